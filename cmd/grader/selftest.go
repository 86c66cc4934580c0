package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/exercises"
	"github.com/acme-lab/grader/selftest"
)

const selftestUsage = `Usage: grader selftest [EXERCISE...] [--exercises DIR] [--repeat N] [--jobs N] [--seed N]

Grades every fixture of each exercise (all of the course folders' exercises
when none is named) and compares each check's verdict with the fixture's
fixture.yaml. A course folder's fixtures are in DIR/../fixtures/EXERCISE/CASE/.

  grader selftest --exercises exercises             # every exercise of the course
  grader selftest echo --exercises exercises        # one
  grader selftest echo --repeat 20                  # catch checks whose verdict changes

Exit status: 0 when every verdict is as expected, 1 when one is not (or a
verdict changed between runs, or an exercise has no fixtures), 2 for a
usage, exercise-file or fixture-file error.
`

func runSelftest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grader selftest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	course := addCourseFlag(fs)
	repeat := fs.Int("repeat", 1, "grade each fixture `N` times; a verdict that changes is reported as flaky")
	jobs := fs.Int("jobs", 1, "grade up to `N` fixtures at once (fixtures of one exercise, or of exercises with the same port, never run at once)")
	seed := fs.Uint64("seed", selftest.DefaultSeed, "the seed of each fixture's first run; run i has seed+i")
	fs.Usage = func() { fmt.Fprint(stderr, selftestUsage+"\n"); fs.PrintDefaults() }
	names, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if *repeat < 1 || *jobs < 1 {
		return usagef("--repeat and --jobs must be at least 1")
	}
	cat, err := course.open(stderr)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		for _, e := range cat.Entries() {
			if !e.BuiltIn() {
				names = append(names, e.Name)
			}
		}
		if len(names) == 0 {
			return usagef("selftest needs a course folder: --exercises DIR or $%s (the built-in exercises' fixtures are in the grader's repository: run grader selftest --exercises exercises there)", exercises.EnvVar)
		}
	}
	cases, unproven, err := selftestCases(cat, names)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "selftest: grading %d fixture(s) of %d exercise(s), %d run(s) each…\n", len(cases), len(names), *repeat)
	outcomes := selftest.Run(ctx, cases, selftest.Options{Repeat: *repeat, Jobs: *jobs, Seed: *seed, Env: os.Environ()})
	if err := selftest.Table(stdout, outcomes); err != nil {
		return err
	}
	if err := selftest.Details(stdout, outcomes, colorWanted(stdout)); err != nil {
		return err
	}
	for _, u := range unproven {
		fmt.Fprintf(stdout, "\n%s\n", u)
	}
	fmt.Fprintf(stdout, "\n%s\n", selftest.Summary(outcomes))
	for _, o := range outcomes {
		if !o.OK() {
			return &failedError{}
		}
	}
	if len(unproven) > 0 {
		return &failedError{}
	}
	return nil
}

// selftestCases loads each exercise and its fixtures; an exercise without
// fixtures is unproven. Every load error of every file is reported at once.
func selftestCases(cat *exercises.Catalog, names []string) ([]selftest.Case, []string, error) {
	var cases []selftest.Case
	var unproven []string
	var bad checks.LoadErrors
	for _, name := range names {
		e, err := cat.Resolve(name)
		if err != nil {
			return nil, nil, usagef("%v", err)
		}
		if e.BuiltIn() {
			return nil, nil, usagef("%s is built in, and its fixtures are in the grader's repository: run grader selftest %s --exercises exercises there", name, name)
		}
		ex, err := e.Load()
		if errors.As(err, new(checks.LoadErrors)) {
			bad = append(bad, err.(checks.LoadErrors)...)
			continue
		}
		if err != nil {
			return nil, nil, usagef("%v", err)
		}
		dirs, err := selftest.Fixtures(e.Fixtures())
		if err != nil {
			return nil, nil, usagef("%v", err)
		}
		if len(dirs) == 0 {
			unproven = append(unproven, fmt.Sprintf("%s: no fixtures in %s, so nothing proves it; grader new writes a good and a bad one to start from", name, e.Fixtures()))
		}
		for _, dir := range dirs {
			f, err := selftest.LoadFixture(dir)
			var le checks.LoadErrors
			switch {
			case errors.As(err, &le):
				bad = append(bad, le...)
			case err != nil:
				return nil, nil, usagef("%v", err)
			default:
				cases = append(cases, selftest.Case{Exercise: ex, Fixture: f})
			}
		}
	}
	if len(bad) > 0 {
		return nil, nil, usagef("%d problem(s) in the exercise and fixture files:\n%v", len(bad), bad)
	}
	return cases, unproven, nil
}
