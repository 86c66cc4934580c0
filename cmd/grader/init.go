package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const initUsage = `Usage: grader init EXERCISE [--dir DIR]

Writes the exercise's starter files (if it has any) into DIR, the current
folder by default. It never overwrites: if one of the files is there
already, it writes none.

Example:
  grader init problem3 && grader check problem3
`

// runInit writes an exercise's starter files into a folder. It never
// overwrites: if any of the files is there already, it writes none.
func runInit(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("grader init", flag.ContinueOnError)
	dir := flags.String("dir", ".", "the folder to write the starter files into")
	course := addCourseFlag(flags)
	rest, err := parseInterleaved(flags, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("init takes one exercise, e.g. grader init problem3 [--dir DIR]")
	}
	cat, err := course.open(stderr)
	if err != nil {
		return err
	}
	if _, err := findExercise(cat, rest[0]); err != nil {
		return err
	}
	entry, _ := cat.Resolve(rest[0])
	starter, ok := entry.Starter()
	if !ok {
		return usagef("%s has no starter files: you write it from scratch (grader show %s says what is checked)", rest[0], rest[0])
	}
	var names []string
	err = fs.WalkDir(starter, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	var present []string
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(*dir, n)); !errors.Is(err, fs.ErrNotExist) {
			present = append(present, n)
		}
	}
	if len(present) > 0 {
		return usagef("%s already in %s; nothing was written (move it away to start afresh)", strings.Join(present, ", "), *dir)
	}
	for _, n := range names {
		data, err := fs.ReadFile(starter, n)
		if err != nil {
			return err
		}
		path := filepath.Join(*dir, n)
		if err := writeNew(path, data); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", path)
	}
	fmt.Fprintf(stdout, "Next: edit it, then run: grader check %s --dir %s\n", rest[0], *dir)
	return nil
}
