package checks

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/acme-lab/grader/checks/proc"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// runner is the state of one check while it runs. It lives for one check
// and is made of named parts, each with its own file: the transcript
// (transcript.go), the program under test (program.go: start, stop, where
// it listens, its output) and the network the grader reaches it through
// (network.go: dial, listen, all inside the program's sandbox). A step
// talks to the part it needs; the sandbox is swapped in one place.
type runner struct {
	ctx   context.Context
	ex    *Exercise
	check *Check
	opts  *Options
	env   map[string]any

	deadline time.Time

	transcript
	program
	network

	conns map[string]*conn
	marks map[string]mark
	mem   *runMemory
}

type mark struct{ stdout, stderr int }

func newRunner(ctx context.Context, ex *Exercise, c *Check, opts *Options, sb *sandbox.Sandbox) *runner {
	r := &runner{ctx: ctx, ex: ex, check: c, opts: opts, conns: map[string]*conn{}, marks: map[string]mark{}, mem: &runMemory{}}
	r.begun = time.Now()
	r.deadline = r.begun.Add(c.Timeout)
	r.sb = sb
	onChunk := func(ch proc.Chunk) { r.event(result.EventKind(ch.Stream), "", string(ch.Data)) }
	r.stdout = proc.NewOutput("stdout", proc.DefaultOutputCap, onChunk)
	r.stderr = proc.NewOutput("stderr", proc.DefaultOutputCap, onChunk)
	seed := opts.Seed ^ hashString(c.ID)
	r.env = functions(rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), time.Now)
	for _, def := range ex.Defines {
		r.env[def.Name] = def.bind(r.env)
	}
	return r
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// checkDeadline fails the check once its own time is up.
func (r *runner) checkDeadline() error {
	if time.Now().After(r.deadline) {
		return failf("The check ran out of time (%s) before it could finish.", r.check.Timeout)
	}
	return nil
}

// until returns the deadline of a wait of d, never past the check's own.
func (r *runner) until(d time.Duration) time.Time {
	if d <= 0 {
		d = r.ex.Timeouts.Step
	}
	t := time.Now().Add(d)
	if t.After(r.deadline) {
		return r.deadline
	}
	return t
}

// teardown stops the program, then resets every connection (and closes the
// grader's listening socket, if any): the program's side never lingers in
// TIME_WAIT (the grader never sends FIN), so the next start can bind the
// same port even without SO_REUSEADDR; and the program is not provoked into
// a "connection reset" traceback on its way out. The check's network goes
// last.
func (r *runner) teardown() {
	r.stop()
	r.abortConns()
	r.closeNetwork()
}

// abortConns resets every open connection and forgets them.
func (r *runner) abortConns() {
	for _, c := range r.conns {
		c.abort()
	}
	r.conns = map[string]*conn{}
}

// stop ends the program, if one runs, and says which limits it ran into.
func (r *runner) stop() {
	if r.proc == nil {
		return
	}
	p := r.proc
	r.proc = nil
	r.boot.end()
	// A program that ended by itself is not stopped by the grader: its
	// end is recorded as its own (noteEnd), even if that record is still
	// on its way.
	if !p.Exited() {
		r.stopping.Store(true)
		r.event(result.Note, "", "the grader stops the program")
	}
	p.Stop(r.ex.Timeouts.Grace)
	r.lastExit = p.ExitDescription()
	hits := p.HitLimits()
	for _, l := range limitsInOutput(r.outputSince(r.startMark)) {
		hits = appendLimit(hits, l)
	}
	for _, l := range hits {
		msg := r.ex.Limits.Notice(l)
		r.noticeOnce(msg, "%s", msg)
	}
	select {
	case <-r.exitLogged:
	case <-time.After(time.Second):
	}
}
