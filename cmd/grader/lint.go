package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/acme-lab/grader/exercises"
	"github.com/acme-lab/grader/lint"
)

const lintUsage = `Usage: grader lint [FILE|DIR...] [--exercises DIR] [--format text|github] [--strict]

Reports everything wrong with exercise files (a folder: its *.yaml; none:
the course folders of --exercises and $GRADER_EXERCISES) and their fixtures
(DIR/../fixtures/EXERCISE/): every load error, and warnings of what loads
but cannot be meant: a check that can never pass or never run, a step after
one that always fails, points that sum to 0, a hidden: all check that every
other check needs, an exercise with no fixtures, a bad fixture that names no
check, verdicts that omit a check.

  grader lint exercises/                    # a course folder
  grader lint exercises/echo.yaml --strict  # warnings fail too
  grader lint --format github exercises/    # annotations in a GitHub Actions log

Exit status: 0 when clean (or warnings only), 1 for warnings with --strict,
2 for errors.
`

func runLint(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grader lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	course := addCourseFlag(fs)
	format := fs.String("format", "text", "text, or github: GitHub Actions annotations")
	strict := fs.Bool("strict", false, "exit 1 when there are warnings")
	fs.Usage = func() { fmt.Fprint(stderr, lintUsage+"\n"); fs.PrintDefaults() }
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "github" {
		return usagef("--format must be text or github, not %q", *format)
	}
	if len(paths) == 0 {
		paths = exercises.Folders(*course, os.Getenv(exercises.EnvVar))
		if len(paths) == 0 {
			return usagef("lint needs exercise files, or a course folder (lint DIR, --exercises DIR or $%s)", exercises.EnvVar)
		}
	}
	targets, err := lintTargets(paths)
	if err != nil {
		return err
	}
	var all []lint.Finding
	for _, t := range targets {
		all = append(all, lint.Lint(t)...)
	}
	for _, f := range all {
		if *format == "github" {
			fmt.Fprintln(stdout, lint.GitHub(f))
		} else {
			fmt.Fprintln(stdout, f)
		}
	}
	errs, warnings := lint.Counts(all)
	fmt.Fprintf(stderr, "grader lint: %d file(s): %d error(s), %d warning(s)\n", len(targets), errs, warnings)
	switch {
	case errs > 0:
		return &usageError{fmt.Sprintf("%d error(s) in the exercise files", errs)}
	case warnings > 0 && *strict:
		return &failedError{}
	}
	return nil
}

// lintTargets reads the files, and every *.yaml of the folders. An
// exercise's fixtures are in its folder's ../fixtures/NAME.
func lintTargets(paths []string) ([]lint.Target, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, usagef("%s: no such file or folder", p)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		found, _ := filepath.Glob(filepath.Join(p, "*.yaml"))
		if len(found) == 0 {
			return nil, usagef("%s holds no exercise (*.yaml)", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	var out []lint.Target
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, usagef("%v", err)
		}
		name := filepath.Base(f)
		name = name[:len(name)-len(filepath.Ext(name))]
		out = append(out, lint.Target{File: f, Data: data, Fixtures: exercises.FixturesOf(filepath.Dir(f), name)})
	}
	return out, nil
}
