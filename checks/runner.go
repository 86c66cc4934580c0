package checks

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acme-lab/grader/checks/proc"
	"github.com/acme-lab/grader/checks/result"
)

// runner is the state of one check while it runs: the program, the
// connections, the variables and the transcript. It lives for one check.
type runner struct {
	ctx   context.Context
	ex    *Exercise
	check *Check
	opts  *Options
	env   map[string]any

	begun    time.Time
	deadline time.Time

	mu         sync.Mutex
	events     []result.Event
	eventBytes int
	notices    []string
	noticed    map[string]bool
	mem        *runMemory

	proc     *proc.Process
	stdout   *proc.Output
	stderr   *proc.Output
	conns    map[string]*conn
	listener *net.TCPListener // where the grader plays the server, for a client
	// listenedOn is its address, kept after it is closed.
	listenedOn string
	// udpListening is where the grader's own UDP socket is bound, for a
	// client that sends datagrams (listen with udp); "" when none.
	udpListening string
	marks        map[string]mark
	target       *proc.Listener // where the program was last seen listening
	udpTarget    *proc.Listener // where it was last seen bound to a UDP port
	handed       int            // the port handed to the program, when the exercise hands one
	starts       int
	boot         *bootToken // the current program's place among those starting
	lastExit     string
	exitLogged   chan struct{} // closed once the current program's exit is in the transcript
	stopping     *atomic.Bool  // set when the grader stops the current program
	crashed      *crash        // the first program that ended by itself with an error
}

type mark struct{ stdout, stderr int }

// transcriptLimit bounds the bytes a transcript keeps; a program that floods
// its socket or its stdout is cut, with a note saying so.
const transcriptLimit = 256 << 10

func newRunner(ctx context.Context, ex *Exercise, c *Check, opts *Options) *runner {
	r := &runner{ctx: ctx, ex: ex, check: c, opts: opts, conns: map[string]*conn{}, marks: map[string]mark{}, mem: &runMemory{}}
	r.begun = time.Now()
	r.deadline = r.begun.Add(c.Timeout)
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

// event appends to the transcript, within transcriptLimit.
func (r *runner) event(kind result.EventKind, conn, data string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.eventBytes > transcriptLimit {
		return
	}
	r.eventBytes += len(data)
	if r.eventBytes > transcriptLimit {
		kind, data = result.Note, "the transcript is cut here: more than 256 KiB"
	}
	at := result.MillisOf(time.Since(r.begun))
	// Unbuffered output arrives in scraps (a traceback in a dozen writes,
	// sys.exit's message apart from its newline): a scrap that follows one of
	// the same stream within a few milliseconds, or that goes on a line the
	// last one left open with nothing in between, is the same event. A
	// loaded machine then shows the same transcript as an idle one.
	if n := len(r.events); n > 0 && (kind == result.Stdout || kind == result.Stderr) {
		last := &r.events[n-1]
		if last.Kind == kind && (at-last.At < 5 || !strings.HasSuffix(last.Data, "\n")) {
			last.Data += data
			return
		}
	}
	r.events = append(r.events, result.Event{At: at, Kind: kind, Conn: conn, Data: data})
}

func (r *runner) notice(format string, args ...any) {
	r.noticeOnce(fmt.Sprintf(format, args...), format, args...)
}

// noticeOnce records a notice unless one with the same key was recorded in
// this run: twenty requests with the same harmless flaw make one note.
func (r *runner) noticeOnce(key, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.noticed == nil {
		r.noticed = map[string]bool{}
	}
	if r.noticed[key] {
		return
	}
	r.noticed[key] = true
	r.notices = append(r.notices, fmt.Sprintf(format, args...))
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
// a "connection reset" traceback on its way out.
func (r *runner) teardown() {
	r.stop()
	r.abortConns()
	if r.listener != nil {
		_ = r.listener.Close()
		r.listener = nil
	}
}

// abortConns resets every open connection and forgets them.
func (r *runner) abortConns() {
	for _, c := range r.conns {
		c.abort()
	}
	r.conns = map[string]*conn{}
}

func (r *runner) stop() {
	if r.proc == nil {
		return
	}
	p := r.proc
	r.proc = nil
	r.boot.end()
	r.stopping.Store(true)
	if !p.Exited() {
		r.event(result.Note, "", "the grader stops the program")
	}
	p.Stop(r.ex.Timeouts.Grace)
	r.lastExit = p.ExitDescription()
	for _, l := range p.HitLimits() {
		r.notice("Your program ran into %s (%d processes, %d MiB), so some of what it tried failed. A server needs only a few processes or threads.", l, proc.DefaultLimits.Procs, proc.DefaultLimits.Memory>>20)
	}
	select {
	case <-r.exitLogged:
	case <-time.After(time.Second):
	}
}
