// Package selftest proves an exercise with its fixtures: sample
// submissions, good and bad, each with a fixture.yaml that says which
// verdict every check must give it. It grades each one with the engine,
// compares every check's verdict, and reruns them to find checks whose
// verdict changes from run to run. The grader's own suite and
// `grader selftest` both use it, so the two can never disagree.
package selftest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
)

// FileName is the name of a fixture's file of expected verdicts.
const FileName = "fixture.yaml"

// Fixture is one sample submission and the verdicts it must get.
//
//	about: Forgot to break after a win, so the connection stays open.
//	cmd: python3 rps_server.py --port 10001   # optional: replaces the exercise's command
//	verdicts:                                 # every check, in the exercise's order
//	  listens: passed
//	  closes-on-win: failed
//
// A hostile submission may say more (hostile.go):
//
//	sandbox: required        # graded only where programs are isolated
//	messages: {listens: "before it listened"}   # a check's message holds this
//	notices: ["the memory limit of 512 MiB"]    # some check's notices hold each
//	outside: [/tmp/escaped.txt, ../escaped.txt] # none may exist after a run
//	copy: true               # it writes in its folder: a copy is graded
//	host_listener: 29871     # a server of the machine's own listens meanwhile
type Fixture struct {
	Name     string // the case folder's name: good-lab, bad-closes-on-win
	Dir      string
	File     string // Dir/fixture.yaml
	About    string
	Cmd      string
	Verdicts []Verdict
	Hostile
}

// Verdict is one check's expected status, with its line in fixture.yaml.
type Verdict struct {
	Check     string
	Status    result.Status
	Line, Col int
}

var statuses = []result.Status{result.Passed, result.Failed, result.Skipped, result.Error}

// LoadFixture reads dir/fixture.yaml strictly: an unknown key, a status that
// is not one, a check listed twice are checks.LoadErrors at file:line:col.
func LoadFixture(dir string) (*Fixture, error) {
	file := filepath.Join(dir, FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	f := &Fixture{Name: filepath.Base(dir), Dir: dir, File: file}
	var errs checks.LoadErrors
	errorf := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, checks.LoadError{File: file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, checks.LoadErrors{{File: file, Line: 1, Col: 1, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, checks.LoadErrors{{File: file, Line: 1, Col: 1, Msg: "a fixture.yaml is a mapping with about, verdicts and, if needed, cmd"}}
	}
	root := doc.Content[0]
	var verdicts *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "about":
			f.About = v.Value
		case "cmd":
			f.Cmd = v.Value
		case "verdicts":
			verdicts = v
		default:
			if !f.Hostile.decode(k, v, errorf) {
				errorf(k, "unknown key %q in a fixture (the keys are about, cmd, verdicts, and for a hostile one %s)", k.Value, strings.Join(hostileKeys, ", "))
			}
		}
	}
	switch {
	case verdicts == nil:
		errorf(root, "a fixture needs verdicts: the status every check must get")
	case verdicts.Kind != yaml.MappingNode:
		errorf(verdicts, "verdicts must map each check id to passed, failed, skipped or error")
	default:
		seen := map[string]bool{}
		for i := 0; i+1 < len(verdicts.Content); i += 2 {
			k, v := verdicts.Content[i], verdicts.Content[i+1]
			st := result.Status(v.Value)
			switch {
			case seen[k.Value]:
				errorf(k, "check %q is listed twice", k.Value)
			case !slices.Contains(statuses, st):
				errorf(v, "%q is not a verdict: passed, failed, skipped or error", v.Value)
			}
			seen[k.Value] = true
			f.Verdicts = append(f.Verdicts, Verdict{Check: k.Value, Status: st, Line: k.Line, Col: k.Column})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return f, nil
}

// Expects lists the checks the fixture expects to get the status s.
func (f *Fixture) Expects(s result.Status) []string {
	var out []string
	for _, v := range f.Verdicts {
		if v.Status == s {
			out = append(out, v.Check)
		}
	}
	return out
}

// Good tells whether the fixture expects every check to pass.
func (f *Fixture) Good() bool {
	return len(f.Verdicts) > 0 && len(f.Expects(result.Passed)) == len(f.Verdicts)
}

// Fixtures lists the case folders of an exercise's fixtures folder (those
// that hold a fixture.yaml), sorted by name. A folder that does not exist
// has none.
func Fixtures(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), FileName)); err == nil {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}
