package batch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// Options are the choices of one batch.
type Options struct {
	Exercise *checks.Exercise
	Meta     Meta     // the seed, and how it is given to each student
	Jobs     int      // submissions graded at once
	Env      []string // the environment programs start with (os.Environ())
	// Sandbox is how programs are isolated (sandbox.Resolve); empty: the
	// best this machine allows.
	Sandbox  sandbox.Mode
	Progress Progress // nil: none
	// Work is where private copies are made; empty: the system's
	// temporary folder. Each copy is removed once graded.
	Work string
}

// Tally counts what one batch did.
type Tally struct {
	Graded    int // results added to OUT by this run
	Kept      int // results already in OUT, not graded again
	FullMarks int // of those graded by this run
	Left      int // not graded because the run was interrupted
	// Regraded were graded again alone, because their program could not
	// bind its port while another held it, where programs share one
	// network (clash.go).
	Regraded int
}

// Grade grades every row not yet in store, o.Jobs at a time, each in a
// private copy of its folder, and appends each result to the store as soon
// as it is known. A submission interrupted in mid-run (ctx cancelled) is not
// kept: the next run in the same OUT grades it. An error is OUT's (a full
// disk); a submission's own problems are verdicts in its result.
func Grade(ctx context.Context, rows []Submission, store *Store, o Options) (Tally, error) {
	var t Tally
	var todo []Submission
	for _, row := range rows {
		if store.Done(row.Student) {
			t.Kept++
		} else {
			todo = append(todo, row)
		}
	}
	progress := o.Progress
	if progress == nil {
		progress = quiet{}
	}
	progress.Begin(len(todo), t.Kept)
	work, err := os.MkdirTemp(o.Work, "grader-batch-")
	if err != nil {
		return t, err
	}
	defer os.RemoveAll(work)

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu       sync.Mutex
		firstErr error
		again    []Submission // to grade alone: their port was taken
	)
	keep := func(g *result.Graded) {
		err := store.Add(g)
		mu.Lock()
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("writing %s: %w", ResultsFile, err)
			stop()
		}
		if err == nil {
			t.Graded++
			if g.Error == "" && g.Score == g.MaxScore {
				t.FullMarks++
			}
		}
		mu.Unlock()
		if err == nil {
			progress.Graded(g)
		}
	}
	jobs := max(1, o.Jobs)
	run(ctx, todo, jobs, func(row Submission) {
		g := gradeOne(ctx, row, work, o)
		switch {
		case g == nil:
		case jobs > 1 && portClash(g.Result):
			mu.Lock()
			again = append(again, row)
			mu.Unlock()
		default:
			keep(g)
		}
	})
	// Alone now: nothing else can hold their port.
	run(ctx, again, 1, func(row Submission) {
		if g := gradeOne(ctx, row, work, o); g != nil {
			t.Regraded++
			keep(g)
		}
	})
	t.Left = len(todo) - t.Graded
	progress.End(t.Left > 0)
	return t, firstErr
}

// run calls grade for each row, jobs at a time, until the rows or ctx end.
func run(ctx context.Context, rows []Submission, jobs int, grade func(Submission)) {
	var wg sync.WaitGroup
	queue := make(chan Submission)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for row := range queue {
				grade(row)
			}
		}()
	}
feed:
	for _, row := range rows {
		select {
		case queue <- row:
		case <-ctx.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
}

// gradeOne grades one row, or returns nil when the run was interrupted
// before its result was complete.
func gradeOne(ctx context.Context, row Submission, work string, o Options) *result.Graded {
	seed := SeedFor(o.Meta.Seed, row.Student, o.Meta.SeedPerStudent)
	graded := func(r *result.Result) *result.Graded {
		return &result.Graded{Student: row.Student, Submission: row.Path, Result: r}
	}
	if ctx.Err() != nil {
		return nil
	}
	if row.Problem != "" {
		return graded(NotGraded(o.Exercise, seed, row.Problem))
	}
	// The copy is named after the student, so that a traceback's path
	// says whose it is.
	dst := filepath.Join(work, row.Student)
	defer os.RemoveAll(dst)
	if err := privateCopy(row.Dir, dst); err != nil {
		return graded(NotGraded(o.Exercise, seed, copyProblem(row.Path, row.Dir, err)))
	}
	if missing := missingFiles(o.Exercise, dst); len(missing) > 0 {
		return graded(NotGraded(o.Exercise, seed, fmt.Sprintf("%s not found in %s%s.", strings.Join(missing, ", "), row.Path, holds(dst))))
	}
	res := checks.Run(ctx, o.Exercise, checks.Options{Dir: dst, Seed: seed, Env: o.Env, Sandbox: o.Sandbox})
	if ctx.Err() != nil {
		return nil
	}
	return graded(res)
}

// NotGraded is the result of a submission that could not be graded: 0
// points, every check an error that gives the reason, as checks.Run gives a
// folder that lacks the exercise's files.
func NotGraded(ex *checks.Exercise, seed uint64, reason string) *result.Result {
	r := &result.Result{Version: result.Version, Exercise: ex.Name, Title: ex.Title, Seed: seed, Error: reason, Started: time.Now()}
	for _, c := range ex.Checks {
		r.MaxScore += c.Points
		r.Checks = append(r.Checks, result.Check{ID: c.ID, Title: c.Title, Status: result.Error, MaxScore: c.Points, Message: reason, Hidden: c.Hidden, Transcript: []result.Event{}})
	}
	return r
}

// missingFiles lists the exercise's files that dir lacks.
func missingFiles(ex *checks.Exercise, dir string) []string {
	var out []string
	for _, f := range ex.Submission.Files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			out = append(out, f)
		}
	}
	return out
}

// holds says what a folder holds instead, which tells an instructor at once
// whether the student misnamed the file or handed in nothing.
func holds(dir string) string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	switch {
	case len(names) == 0:
		return ", which is empty"
	case len(names) > 8:
		names = append(names[:8], fmt.Sprintf("and %d more", len(names)-8))
	}
	return ", which holds " + strings.Join(names, ", ")
}
