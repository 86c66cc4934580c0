package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/acme-lab/grader/batch"
	"github.com/acme-lab/grader/checks/result"
)

const mergeUsage = `Usage: grader merge OUT1 OUT2 ... --out DIR [--partial]

Combines the --out folders of the shards of one class (grader batch --shard
I/N, on N machines) into DIR: the same results.jsonl, grades.csv, index.html
and students' reports as one run over the whole class would give.

Example:
  grader merge shard-1 shard-2 shard-3 shard-4 --out class

`

func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grader merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the folder to write the whole class into")
	partial := fs.Bool("partial", false, "merge even when some shards are missing")
	fs.Usage = func() {
		fmt.Fprint(stderr, mergeUsage)
		fs.PrintDefaults()
	}
	outs, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(outs) == 0 || *out == "" {
		return usagef("merge takes the shards' folders and --out, e.g. grader merge shard-1 shard-2 --out class")
	}
	meta, err := batch.Merge(outs, *out, *partial)
	if err != nil {
		return usagef("%v", err)
	}
	if err := batch.WriteClassReports(*out, meta.Exercise); err != nil {
		return err
	}
	return summarize(*out, stdout)
}

// summarize prints what a class's OUT holds, and fails (exit 1) unless
// every student got full marks, as check does for one student.
func summarize(out string, stdout io.Writer) error {
	var students, full, notGraded, points, maxPoints, faulty int
	exercise := ""
	for g, err := range batch.Results(out).Students() {
		if err != nil {
			return err
		}
		exercise = g.Exercise
		students++
		points += g.Score
		maxPoints = max(maxPoints, g.MaxScore)
		switch {
		case g.Error != "":
			notGraded++
		case g.Score == g.MaxScore:
			full++
		}
		if g.Error == "" && g.Count(result.Error) > 0 {
			faulty++
		}
	}
	mean := 0.0
	if students > 0 {
		mean = float64(points) / float64(students)
	}
	fmt.Fprintf(stdout, "%s: %d students, %d with full marks, %d not graded, mean %.1f of %d\n", exercise, students, full, notGraded, mean, maxPoints)
	fmt.Fprintf(stdout, "class report: %s\n", joinOut(out, "index.html"))
	fmt.Fprintf(stdout, "grades:       %s\n", joinOut(out, "grades.csv"))
	// As for one student: a check that could not judge is not the
	// student's fault but the exercise's (or the grader's).
	if faulty > 0 {
		return usagef("%d students have checks that could not be graded (error in their transcripts): the exercise file is at fault, or the grader", faulty)
	}
	if full < students {
		return &failedError{}
	}
	return nil
}

func joinOut(out, file string) string { return filepath.Join(out, file) }
