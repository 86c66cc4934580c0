package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/acme-lab/grader/checks/result"
)

// runList prints every exercise, with where it comes from: built in, or
// the file of a course folder. A file that does not load is listed with
// its first problem, so that one broken exercise hides none of the others.
func runList(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grader list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	course := addCourseFlag(fs)
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("list takes no arguments, only --exercises DIR")
	}
	cat, err := course.open(stderr)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "EXERCISE\tTITLE\tFROM\n")
	broken := 0
	for _, e := range cat.Entries() {
		title := ""
		ex, err := e.Load()
		if err != nil {
			broken++
			title = "(does not load: " + firstLineOf(err.Error()) + ")"
		} else {
			title = ex.Title
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Name, title, e.Origin())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if broken > 0 {
		return usagef("%d exercise(s) do not load; grader lint FILE shows every problem", broken)
	}
	return nil
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func runShow(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grader show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	course := addCourseFlag(fs)
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("show takes one exercise, e.g. grader show problem2")
	}
	cat, err := course.open(stderr)
	if err != nil {
		return err
	}
	ex, err := findExercise(cat, rest[0])
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", ex.Name, ex.Title)
	if ex.Source != "" {
		fmt.Fprintf(&b, "From: %s\n", ex.Source)
	}
	if ex.Description != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimRight(ex.Description, "\n"))
	}
	if len(ex.Submission.Files) > 0 {
		fmt.Fprintf(&b, "\nHand in: %s\n", strings.Join(ex.Submission.Files, ", "))
	}
	var cmd []string
	for _, t := range ex.Submission.Command {
		cmd = append(cmd, t.Src)
	}
	if len(cmd) > 0 {
		fmt.Fprintf(&b, "Started as: %s (in your folder; --cmd to change)\n", strings.Join(cmd, " "))
	}
	total := 0
	for _, c := range ex.Checks {
		total += c.Points
	}
	fmt.Fprintf(&b, "\nChecks (%d points):\n", total)
	hiddenPoints := 0
	for _, c := range ex.Checks {
		switch c.Hidden {
		case result.HiddenAll:
			hiddenPoints += c.Points
			continue
		case result.HiddenDetails:
			fmt.Fprintf(&b, "\n  %s (%d pt) — hidden\n", c.ID, c.Points)
			continue
		}
		fmt.Fprintf(&b, "\n  %s (%d pt): %s\n", c.ID, c.Points, c.Title)
		if c.Explain != "" {
			fmt.Fprintf(&b, "    %s\n", c.Explain)
		}
		if len(c.Needs) > 0 {
			fmt.Fprintf(&b, "    Runs once %s passed.\n", strings.Join(c.Needs, " and "))
		}
	}
	if hiddenPoints > 0 {
		fmt.Fprintf(&b, "\n  Hidden checks (%d pt)\n", hiddenPoints)
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}
