// Package lint finds what is wrong with an exercise file and its fixtures
// before students meet it: every load error, and warnings of what loads but
// cannot be what the author meant (a check that can never pass or never
// run, points that sum to 0, fixtures that prove less than they seem to).
package lint

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/selftest"
)

// Severity says whether a finding stops the exercise from loading.
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one problem, at its place.
type Finding struct {
	File      string
	Line, Col int
	Severity  Severity
	Msg       string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", f.File, f.Line, f.Col, f.Severity, f.Msg)
}

// Target is one exercise file to lint, and the folder its fixtures are in
// ("" when it has none known).
type Target struct {
	File     string
	Data     []byte
	Fixtures string
}

type linter struct {
	t   Target
	out []Finding
}

func (l *linter) warn(file string, line, col int, format string, args ...any) {
	l.out = append(l.out, Finding{File: file, Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

func (l *linter) errs(err error) {
	var le checks.LoadErrors
	if !errors.As(err, &le) {
		l.out = append(l.out, Finding{File: l.t.File, Line: 1, Col: 1, Severity: Error, Msg: err.Error()})
		return
	}
	for _, e := range le {
		l.out = append(l.out, Finding{File: e.File, Line: e.Line, Col: e.Col, Severity: Error, Msg: e.Msg})
	}
}

// Lint returns every finding of one exercise, in file order.
func Lint(t Target) []Finding {
	l := &linter{t: t}
	ex, err := checks.Load(t.File, t.Data)
	if err != nil {
		l.errs(err)
		return l.out
	}
	l.points(ex)
	never := l.steps(ex)
	l.needs(ex, never)
	l.hiddenAll(ex)
	l.fixtures(ex)
	sort.SliceStable(l.out, func(i, j int) bool {
		a, b := l.out[i], l.out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return l.out
}

func (l *linter) points(ex *checks.Exercise) {
	total := 0
	for _, c := range ex.Checks {
		total += c.Points
	}
	if total == 0 {
		c := ex.Checks[0]
		l.warn(l.t.File, c.Line, c.Col, "the checks' points sum to 0, so every submission scores 0/0: give the checks points")
	}
}

// steps warns of steps that never run or always fail, and returns the
// checks that can never pass.
func (l *linter) steps(ex *checks.Exercise) map[string]string {
	never := map[string]string{}
	for _, c := range ex.Checks {
		failedAt := 0
		for _, f := range c.Facts() {
			switch {
			case failedAt > 0:
				l.warn(l.t.File, f.Line, f.Col, "this step never runs: the step at line %d always fails", failedAt)
				failedAt = -1
			case failedAt < 0:
			case f.Never:
				l.warn(l.t.File, f.Line, f.Col, "this %s step never runs: its when is always false", f.Kind)
			case f.Fails != "":
				l.warn(l.t.File, f.Line, f.Col, "this %s step always fails (%s), so check %q can never pass", f.Kind, f.Fails, c.ID)
				never[c.ID] = "can never pass"
				failedAt = f.Line
			}
		}
	}
	return never
}

// needs warns of checks that never run because a check they need can never
// pass.
func (l *linter) needs(ex *checks.Exercise, never map[string]string) {
	for _, c := range ex.Checks {
		for _, n := range c.Needs {
			if why, ok := never[n]; ok {
				l.warn(l.t.File, c.Line, c.Col, "check %q never runs: it needs %q, which %s", c.ID, n, why)
				never[c.ID] = "never runs"
				break
			}
		}
	}
}

// hiddenAll warns of a check hidden whole that every other check needs:
// when it fails, students see everything skipped and nothing of why.
func (l *linter) hiddenAll(ex *checks.Exercise) {
	needs := map[string][]string{}
	for _, c := range ex.Checks {
		needs[c.ID] = c.Needs
	}
	var reaches func(from, to string, seen map[string]bool) bool
	reaches = func(from, to string, seen map[string]bool) bool {
		for _, n := range needs[from] {
			if n == to || !seen[n] && func() bool { seen[n] = true; return reaches(n, to, seen) }() {
				return true
			}
		}
		return false
	}
	for _, h := range ex.Checks {
		if h.Hidden != result.HiddenAll || len(ex.Checks) < 2 {
			continue
		}
		all := true
		for _, c := range ex.Checks {
			if c.ID != h.ID && !reaches(c.ID, h.ID, map[string]bool{}) {
				all = false
			}
		}
		if all {
			l.warn(l.t.File, h.Line, h.Col, "every other check needs %q, which is hidden: all: when it fails, students see every check skipped and nothing of why. Hide its details instead (hidden: true)", h.ID)
		}
	}
}

// fixtures warns of an exercise with no fixtures, and of fixtures that do
// not prove what they seem to.
func (l *linter) fixtures(ex *checks.Exercise) {
	if l.t.Fixtures == "" {
		return
	}
	dirs, err := selftest.Fixtures(l.t.Fixtures)
	if err != nil {
		l.out = append(l.out, Finding{File: l.t.Fixtures, Line: 1, Col: 1, Severity: Error, Msg: err.Error()})
		return
	}
	if len(dirs) == 0 {
		l.warn(l.t.File, 1, 1, "no fixtures in %s, so nothing proves the exercise: grader new writes a good and a bad one to start from", l.t.Fixtures)
		return
	}
	var ids []string
	for _, c := range ex.Checks {
		ids = append(ids, c.ID)
	}
	for _, dir := range dirs {
		f, err := selftest.LoadFixture(dir)
		if err != nil {
			l.errs(err)
			continue
		}
		listed := map[string]bool{}
		for _, v := range f.Verdicts {
			listed[v.Check] = true
			if !slices.Contains(ids, v.Check) {
				l.warn(f.File, v.Line, v.Col, "%q is not a check of %s%s", v.Check, ex.Name, nearest(v.Check, ids))
			}
		}
		var omitted []string
		for _, id := range ids {
			if !listed[id] {
				omitted = append(omitted, id)
			}
		}
		if len(omitted) > 0 {
			l.warn(f.File, 1, 1, "the verdicts omit %s: list every check, so that selftest compares them all", strings.Join(omitted, ", "))
		}
		l.badName(f, ex, ids)
	}
}

// badName: a bad fixture's folder is bad-CHECK (or bad-CHECK-more words),
// and it fails the check it names.
func (l *linter) badName(f *selftest.Fixture, ex *checks.Exercise, ids []string) {
	rest, ok := strings.CutPrefix(f.Name, "bad-")
	if !ok {
		return
	}
	named := ""
	for _, id := range ids {
		if (rest == id || strings.HasPrefix(rest, id+"-")) && len(id) > len(named) {
			named = id
		}
	}
	if named == "" {
		l.warn(f.File, 1, 1, "the bad fixture %s names no check of %s: call it bad-CHECK after the check it fails%s", f.Name, ex.Name, nearest(rest, ids))
		return
	}
	for _, v := range f.Verdicts {
		if v.Check == named && v.Status != result.Failed {
			l.warn(f.File, v.Line, v.Col, "the bad fixture %s names %s, but expects it %s: a bad fixture fails the check it names", f.Name, named, v.Status)
		}
		// A fault is charged to the check that names it: the others judge
		// what they are about, and pass (or are skipped for what failed).
		if v.Check != named && (v.Status == result.Failed || v.Status == result.Error) {
			l.warn(f.File, v.Line, v.Col, "the bad fixture %s fails %s too: a bad fixture fails only the check it names, %s; the others pass or are skipped", f.Name, v.Check, named)
		}
	}
}

func nearest(word string, known []string) string {
	if n := checks.Nearest(word, known); n != "" {
		return fmt.Sprintf(" (did you mean %s?)", n)
	}
	return ""
}

// Counts returns how many errors and warnings there are.
func Counts(fs []Finding) (errs, warnings int) {
	for _, f := range fs {
		if f.Severity == Error {
			errs++
		} else {
			warnings++
		}
	}
	return errs, warnings
}

// GitHub is a finding as a GitHub Actions workflow command, which the
// Actions log turns into an annotation on the file's line.
func GitHub(f Finding) string {
	prop := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	data := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	return fmt.Sprintf("::%s file=%s,line=%d,col=%d,title=grader lint::%s", f.Severity, prop.Replace(filepath.ToSlash(f.File)), f.Line, f.Col, data.Replace(f.Msg))
}
