package selftest

import (
	"context"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// Options are the choices of one selftest.
type Options struct {
	// Sandbox is how programs are isolated (sandbox.Resolve); empty: the
	// best the machine allows. Isolated, fixtures never share a port, and
	// run at once whatever they hard-code.
	Sandbox sandbox.Mode
	Repeat  int    // runs of each fixture (at least 1)
	Jobs    int    // fixtures graded at once (at least 1)
	Seed    uint64 // the seed of each fixture's first run; run i has Seed+i
	Env     []string
	// Progress, when set, sees each fixture's outcome once it is known.
	Progress func(Outcome)
}

// DefaultSeed is the first run's seed unless one is chosen: fixtures are
// graded the same way every time, so that a mismatch can be replayed.
const DefaultSeed = 1234

// Case is one fixture of one exercise.
type Case struct {
	Exercise *checks.Exercise
	Fixture  *Fixture
}

// Outcome is what the runs of one fixture showed.
type Outcome struct {
	Case
	// Skipped says why the fixture was not graded at all (a hostile one
	// that needs the sandbox, on a machine without it).
	Skipped    string
	Runs       []*result.Result
	Seeds      []uint64
	Mismatches []Mismatch // of the first run that has any
	Flakes     []Flake
}

// OK tells whether every run gave every verdict the fixture expects.
func (o *Outcome) OK() bool { return len(o.Mismatches) == 0 && len(o.Flakes) == 0 }

// Mismatch is a check whose verdict is not the fixture's.
type Mismatch struct {
	Check     string
	Want, Got result.Status // "" when the fixture or the exercise has no such check
	Line, Col int           // in fixture.yaml; 0 when not listed there
	Run       int           // the index of the run in Runs
	Why       string        // for what is not a plain difference of status
}

// Flake is a check whose verdict changed between two runs.
type Flake struct {
	Check string
	A, B  int // indexes into Runs, with different statuses
}

// Run grades every case Options.Repeat times. Cases of one exercise, and
// of exercises that suggest the same port, never run at once: their
// programs often hard-code that port.
func Run(ctx context.Context, cases []Case, opts Options) []Outcome {
	opts.Repeat, opts.Jobs = max(opts.Repeat, 1), max(opts.Jobs, 1)
	if opts.Sandbox == "" {
		opts.Sandbox, _ = sandbox.Resolve(sandbox.Auto)
	}
	out := make([]Outcome, len(cases))
	s := &scheduler{cases: cases, held: map[string]bool{}, taken: make([]bool, len(cases)), free: opts.Sandbox.Isolated()}
	s.cond = sync.NewCond(&s.mu)
	var wg sync.WaitGroup
	var progress sync.Mutex
	for range min(opts.Jobs, len(cases)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i, ok := s.next()
				if !ok {
					return
				}
				out[i] = runCase(ctx, cases[i], opts)
				s.done(i)
				if opts.Progress != nil {
					progress.Lock()
					opts.Progress(out[i])
					progress.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// scheduler hands out cases whose locks are free.
type scheduler struct {
	mu    sync.Mutex
	cond  *sync.Cond
	cases []Case
	taken []bool
	held  map[string]bool
	free  bool // programs are isolated: no case excludes another
}

func (s *scheduler) locks(c Case) []string {
	if s.free {
		return nil
	}
	return locks(c)
}

// locks are what a case holds while it runs: its exercise, and the port
// its programs may hard-code, for the transport they use it on (UDP port
// 5005 and TCP port 5005 are two ports: both can be bound at once).
func locks(c Case) []string {
	out := []string{"exercise " + c.Exercise.Name}
	if p := c.Exercise.Port.Suggested; p != 0 {
		transport := "tcp"
		if c.Exercise.Port.UDP {
			transport = "udp"
		}
		out = append(out, transport+" port "+strconv.Itoa(p))
	}
	return out
}

func (s *scheduler) next() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		pending := false
		for i, c := range s.cases {
			if s.taken[i] {
				continue
			}
			pending = true
			free := true
			for _, l := range s.locks(c) {
				free = free && !s.held[l]
			}
			if free {
				s.taken[i] = true
				for _, l := range s.locks(c) {
					s.held[l] = true
				}
				return i, true
			}
		}
		if !pending {
			return 0, false
		}
		s.cond.Wait()
	}
}

func (s *scheduler) done(i int) {
	s.mu.Lock()
	for _, l := range s.locks(s.cases[i]) {
		delete(s.held, l)
	}
	s.mu.Unlock()
	s.cond.Broadcast()
}

func runCase(ctx context.Context, c Case, opts Options) Outcome {
	o := Outcome{Case: c}
	seed := opts.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	var command []string
	if c.Fixture.Cmd != "" {
		command, _ = checks.SplitCommand(c.Fixture.Cmd)
	}
	h := &c.Fixture.Hostile
	if h.Sandbox == "required" && !opts.Sandbox.Isolated() {
		o.Skipped = "not graded: it needs the sandbox, which is not available here (" + sandbox.Why() + ")"
		return o
	}
	dir, tmp, err := h.gradedCopy(c.Fixture.Dir)
	if err == nil {
		var l net.Listener
		if l, err = h.listenOnHost(); l != nil {
			defer l.Close()
		}
	}
	if tmp != "" {
		defer os.RemoveAll(tmp)
	}
	if err != nil {
		o.Mismatches = []Mismatch{{Why: err.Error()}}
		return o
	}
	for i := range opts.Repeat {
		if ctx.Err() != nil {
			break
		}
		s := seed + uint64(i)
		r := checks.Run(ctx, c.Exercise, checks.Options{Dir: dir, Command: command, Seed: s, Env: opts.Env, Sandbox: opts.Sandbox})
		o.Runs = append(o.Runs, r)
		o.Seeds = append(o.Seeds, s)
		if o.Mismatches == nil {
			o.Mismatches = Judge(c.Fixture, dir, r, i)
		}
	}
	o.Flakes = flakes(o.Runs)
	return o
}

// Judge lists where run number run of the fixture, graded in dir, departs
// from what the fixture says: its verdicts, and for a hostile submission
// its messages, notices and the files it must not leave outside dir.
func Judge(f *Fixture, dir string, r *result.Result, run int) []Mismatch {
	out := compare(f, r, run)
	return append(out, f.Hostile.judge(f, dir, r, run)...)
}

// compare lists where a run departs from the fixture: a check with another
// status, a check the fixture does not list, a listed check the exercise
// does not have, and checks listed in another order than the exercise's.
func compare(f *Fixture, r *result.Result, run int) []Mismatch {
	want := map[string]Verdict{}
	for _, v := range f.Verdicts {
		want[v.Check] = v
	}
	var out []Mismatch
	var order []string
	got := map[string]bool{}
	for _, c := range r.Checks {
		got[c.ID] = true
		order = append(order, c.ID)
		v, ok := want[c.ID]
		switch {
		case !ok:
			out = append(out, Mismatch{Check: c.ID, Got: c.Status, Run: run, Why: "fixture.yaml does not list it"})
		case v.Status != c.Status:
			out = append(out, Mismatch{Check: c.ID, Want: v.Status, Got: c.Status, Line: v.Line, Col: v.Col, Run: run})
		}
	}
	var listed []string
	for _, v := range f.Verdicts {
		if !got[v.Check] {
			out = append(out, Mismatch{Check: v.Check, Want: v.Status, Line: v.Line, Col: v.Col, Run: run, Why: "the exercise has no such check" + didYouMean(v.Check, order)})
			continue
		}
		listed = append(listed, v.Check)
	}
	if len(out) == 0 && !slices.Equal(listed, order) {
		out = append(out, Mismatch{Run: run, Why: "fixture.yaml lists the checks in another order than the exercise: " + strings.Join(order, ", ")})
	}
	return out
}

func didYouMean(word string, known []string) string {
	if n := checks.Nearest(word, known); n != "" {
		return fmt.Sprintf(" (did you mean %s?)", n)
	}
	return ""
}

// flakes finds checks whose status differs between runs: for each, the
// first run and the first run that differs from it.
func flakes(runs []*result.Result) []Flake {
	var out []Flake
	if len(runs) < 2 {
		return nil
	}
	for ci, c := range runs[0].Checks {
		for j := 1; j < len(runs); j++ {
			if ci < len(runs[j].Checks) && runs[j].Checks[ci].Status != c.Status {
				out = append(out, Flake{Check: c.ID, A: 0, B: j})
				break
			}
		}
	}
	return out
}
