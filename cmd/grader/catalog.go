package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/exercises"
)

// courseFlag is --exercises DIR, which every command that takes an
// exercise has: a course folder whose exercises join (and override) the
// built-in ones. GRADER_EXERCISES adds more, after these.
type courseFlag []string

func (f *courseFlag) String() string { return strings.Join(*f, ",") }

func (f *courseFlag) Set(v string) error {
	*f = append(*f, v)
	return nil
}

func addCourseFlag(fs *flag.FlagSet) *courseFlag {
	f := &courseFlag{}
	fs.Var(f, "exercises", "a course `folder` of exercises (repeatable; $"+exercises.EnvVar+" adds more, a list like PATH)")
	return f
}

// open reads the catalog and prints its notices (which file overrides
// which) on stderr.
func (f *courseFlag) open(stderr io.Writer) (*exercises.Catalog, error) {
	c, err := exercises.FromEnvironment(*f)
	if err != nil {
		return nil, usagef("%v", err)
	}
	for _, n := range c.Notices {
		fmt.Fprintf(stderr, "grader: note: %s\n", n)
	}
	return c, nil
}

// findExercise maps loader errors to usage errors: they are the exercise
// author's to fix, and exit with 2.
func findExercise(c *exercises.Catalog, name string) (*checks.Exercise, error) {
	ex, err := c.Find(name)
	var unknown *exercises.UnknownError
	var bad checks.LoadErrors
	switch {
	case err == nil:
		return ex, nil
	case errors.As(err, &unknown):
		return nil, usagef("%v", err)
	case errors.As(err, &bad):
		return nil, usagef("the exercise file has %d problem(s):\n%v", len(bad), err)
	}
	return nil, usagef("%v", err)
}
