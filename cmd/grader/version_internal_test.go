package main

import (
	"runtime/debug"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("The version the grader reports", func() {
	info := func(version string, settings ...string) func() (*debug.BuildInfo, bool) {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/acme-lab/grader", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return func() (*debug.BuildInfo, bool) { return bi, true }
	}
	DescribeTable("comes from the link, the module or the commit",
		func(linked string, read func() (*debug.BuildInfo, bool), want string) {
			Expect(buildVersion(linked, read)).To(Equal(want))
		},
		Entry("a release build sets it at link time", "v1.4.0", info("(devel)"), "v1.4.0"),
		Entry("go install …@v1.2.0 records the module's version", "", info("v1.2.0"), "v1.2.0"),
		Entry("a build in a clone names its commit", "", info("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "false"), "devel-0123456789ab"),
		Entry("…and says when the tree had changes", "", info("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "true"), "devel-0123456789ab-dirty"),
		Entry("without build information", "", func() (*debug.BuildInfo, bool) { return nil, false }, "devel"),
	)
})
