package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/acme-lab/grader/batch"
	"github.com/acme-lab/grader/checks/sandbox"
	"github.com/acme-lab/grader/report"
)

type batchOptions struct {
	exercise    string
	submissions string
	out         string
	jobs        int
	seed        uint64
	seedSet     bool
	perStudent  bool
	shard       batch.Shard
	regrade     bool
	reports     []batch.StudentReport
	showHidden  bool
	course      *courseFlag
	sandbox     *sandboxFlag
}

const batchUsage = `Usage: grader batch EXERCISE SUBMISSIONS [--jobs N] [--out DIR] [--seed N] [--seed-per-student]
                    [--shard I/N] [--regrade] [--report FORMAT[=FILE]]... [--show-hidden]
                    [--exercises DIR] [--sandbox auto|none|required]

Grades a whole class. SUBMISSIONS is a folder holding one folder per student
(the folder's name is the student), or a CSV manifest of student,path rows.
Each submission is graded in a private copy of its folder, each start of its
program in a sandbox of its own (Linux: its own network, so that programs
that hard-code one port run side by side; --sandbox as for check); results go to
DIR/results.jsonl as they come, then DIR/grades.csv, DIR/index.html (the
class report) and DIR/students/NAME/FILE for each --report format.
A rerun with the same DIR grades only the students not graded yet.

Examples:
  grader batch problem2 ~/course/submissions
  grader batch problem2 roster.csv --out week3 --jobs 4 --report junit
  grader batch problem2 submissions --shard 2/4 --out shard-2   # on machine 2 of 4
  grader merge shard-1 shard-2 shard-3 shard-4 --out class

Exit status: 0 when every student got full marks, 1 when one did not, 2 for a
usage, exercise-file or OUT error, 130 when interrupted (what was graded is
kept; the same command goes on from there).

`

func runBatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseBatch(args, stderr)
	if err != nil {
		return err
	}
	cat, err := o.course.open(stderr)
	if err != nil {
		return err
	}
	ex, err := findExercise(cat, o.exercise)
	if err != nil {
		return err
	}
	mode, err := o.sandbox.mode()
	if err != nil {
		return err
	}
	rows, notes, err := batch.Roster(o.submissions)
	if err != nil {
		return usagef("%v", err)
	}
	for _, n := range notes {
		fmt.Fprintf(stderr, "grader: %s\n", n)
	}
	class := len(rows)
	var mine []batch.Submission
	for _, r := range rows {
		if o.shard.Has(r.Student) {
			mine = append(mine, r)
		}
	}
	if class == 0 {
		return usagef("%s holds no student's folder", o.submissions)
	}
	shard := ""
	if o.shard.Count > 1 {
		shard = o.shard.String()
	}
	store, meta, err := batch.Open(o.out, batch.Meta{Exercise: o.exercise, Seed: o.seed, SeedPerStudent: o.perStudent, Shard: shard}, o.seedSet, o.regrade)
	if err != nil {
		return usagef("%v", err)
	}
	of := ""
	if shard != "" {
		of = fmt.Sprintf(" (shard %s of a class of %d)", shard, class)
	}
	seeds := fmt.Sprintf("seed %d", meta.Seed)
	if meta.SeedPerStudent {
		seeds = fmt.Sprintf("a seed per student from %d", meta.Seed)
	}
	fmt.Fprintf(stderr, "grader: %s: %d submissions%s, %d at a time, %s, into %s\n", ex.Name, len(mine), of, o.jobs, seeds, o.out)
	if mode == sandbox.None {
		fmt.Fprintf(stderr, "grader: no sandbox (%s): programs share this machine's loopback; one that finds its port taken by another's is graded again alone\n", noSandboxWhy(o.sandbox.choice))
	}
	tally, gradeErr := batch.Grade(ctx, mine, store, batch.Options{
		Exercise: ex, Meta: meta, Jobs: o.jobs, Env: os.Environ(), Progress: newProgress(stderr), Sandbox: mode,
	})
	if err := store.Close(); err != nil && gradeErr == nil {
		gradeErr = err
	}
	if gradeErr != nil {
		return gradeErr
	}
	if err := batch.WriteStudentReports(o.out, o.reports, o.showHidden); err != nil {
		return err
	}
	if err := batch.WriteClassReports(o.out, o.exercise); err != nil {
		return err
	}
	if tally.Regraded > 0 {
		fmt.Fprintf(stderr, "grader: %d submissions could not listen on their port while another held it; each was graded again alone\n", tally.Regraded)
	}
	if tally.Left > 0 {
		fmt.Fprintf(stderr, "grader: stopped with %d not graded; %d results are kept in %s, and the same command grades the rest\n", tally.Left, tally.Graded+tally.Kept, o.out)
	}
	return summarize(o.out, stdout)
}

func parseBatch(args []string, stderr io.Writer) (*batchOptions, error) {
	o := &batchOptions{}
	fs := flag.NewFlagSet("grader batch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "submissions graded at once (default: the number of cores)")
	fs.StringVar(&o.out, "out", "graded", "the folder for results.jsonl, grades.csv, index.html and the students' reports")
	seed := fs.String("seed", "", "seed of the random inputs, the same for everyone (default: drawn once, or the one of the run being resumed)")
	fs.BoolVar(&o.perStudent, "seed-per-student", false, "derive each student's seed from the seed and the student's name (each result says which)")
	shard := fs.String("shard", "", "grade only part `I/N` of the class (I from 1 to N), for N machines")
	fs.BoolVar(&o.regrade, "regrade", false, "grade everyone again, even the students already graded in --out")
	fs.Func("report", "also write each student's report `FORMAT[=FILE]` as OUT/students/NAME/FILE (repeatable): "+strings.Join(report.Names(), ", "), func(v string) error {
		r, err := parseStudentReport(v)
		o.reports = append(o.reports, r)
		return err
	})
	fs.BoolVar(&o.showHidden, "show-hidden", false, "show hidden checks' details in the students' reports too")
	o.course = addCourseFlag(fs)
	o.sandbox = addSandboxFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, batchUsage)
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	if len(rest) != 2 {
		return nil, usagef("batch takes an exercise and the submissions, e.g. grader batch problem2 submissions/ (grader batch --help)")
	}
	o.exercise, o.submissions = rest[0], rest[1]
	if o.jobs < 1 {
		return nil, usagef("--jobs must be at least 1, not %d", o.jobs)
	}
	o.shard = batch.All
	if *shard != "" {
		if o.shard, err = batch.ParseShard(*shard); err != nil {
			return nil, usagef("%v", err)
		}
	}
	if *seed != "" {
		v, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			return nil, usagef("--seed must be a whole number, not %q", *seed)
		}
		o.seed, o.seedSet = v, true
	} else {
		o.seed = drawSeed()
	}
	return o, nil
}

// parseStudentReport reads one --report FORMAT[=FILE] of batch: FILE is a
// file name inside each student's folder of reports.
func parseStudentReport(v string) (batch.StudentReport, error) {
	name, file, _ := strings.Cut(v, "=")
	f, ok := report.Lookup(name)
	if !ok {
		return batch.StudentReport{}, usagef("no format %q%s; the formats are %s", name, nearestFormat(name), strings.Join(report.Names(), ", "))
	}
	if file == "" {
		file = f.File
	}
	if file != filepath.Base(file) || file == "." || file == ".." {
		return batch.StudentReport{}, usagef("--report %s: FILE is a file name in each student's folder (OUT/students/NAME/FILE), not a path", v)
	}
	return batch.StudentReport{Name: name, File: file, Format: f}, nil
}

// newProgress draws a bar on a terminal, and writes a line every tenth of
// the class elsewhere and in CI, where a redrawn line is noise in the log.
func newProgress(stderr io.Writer) batch.Progress {
	if os.Getenv("CI") == "" && os.Getenv("TERM") != "dumb" && isTerminal(stderr) {
		return batch.NewBar(stderr, terminalWidth(stderr))
	}
	return batch.NewLines(stderr)
}

// isTerminal tells whether w is a terminal (not a pipe or a file).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil {
			return width
		}
	}
	return 80
}

// noSandboxWhy says why a batch runs unsandboxed.
func noSandboxWhy(c sandbox.Choice) string {
	if c == sandbox.Off {
		return "--sandbox none"
	}
	return sandbox.Why()
}
