package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/exercises"
)

func runList(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usagef("list takes no arguments")
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, name := range exercises.Names() {
		ex, err := exercises.Find(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\n", name, ex.Title)
	}
	return tw.Flush()
}

func runShow(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usagef("show takes one exercise, e.g. grader show problem2")
	}
	ex, err := findExercise(args[0])
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
