package main

import (
	"runtime/debug"

	"github.com/acme-lab/grader/checks/result"
)

// version is set at link time by a release build
// (-ldflags "-X main.version=v1.2.0"); otherwise it is read from the build
// information Go records: the module version that `go install …@v1.2.0`
// fetched, or the commit of a build in a clone.
var version string

// tool is what every report names as its grader.
func tool() result.Tool {
	return result.Tool{Name: "grader", Version: buildVersion(version, debug.ReadBuildInfo)}
}

// buildVersion is the version to report: the one set at link time, the
// module's, or else "devel" with the commit it was built from.
func buildVersion(linked string, read func() (*debug.BuildInfo, bool)) string {
	if linked != "" {
		return linked
	}
	info, ok := read()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}
