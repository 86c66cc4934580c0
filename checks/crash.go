package checks

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/acme-lab/grader/checks/proc"
)

// crash is the first program of a check that ended by itself with an
// error status or a signal. A failure that follows it is its doing, so the
// failure's message begins with it: the earliest cause wins.
type crash struct {
	at   time.Time
	exit string // "exit status 1"
	last string // the last line it printed on stderr: a traceback's last line
}

// noteEnd records the end of p, which has ended, unless the grader
// stopped it (stopping is set first) or it ended well.
func (r *runner) noteEnd(p *proc.Process, stopping *atomic.Bool) {
	if stopping.Load() || p.ExitCode() == 0 {
		return
	}
	errOut, _, _ := r.stderr.Snapshot(0)
	c := &crash{at: time.Now(), exit: p.ExitDescription(), last: lastLine(string(errOut))}
	r.mu.Lock()
	if r.crashed == nil {
		r.crashed = c
	}
	r.mu.Unlock()
}

// lastLine is the last line of text that is not blank.
func lastLine(text string) string {
	lines := strings.Split(strings.TrimRight(text, " \t\r\n"), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(last) > 300 {
		last = last[:300] + "…"
	}
	return last
}

// withCrash puts the crash before a failure found after it, unless the
// failure already says how the program ended. ended tells whether the
// program was over when the failure was found; its end is recorded by the
// time the check's teardown is done.
func (r *runner) withCrash(f *Failure, failedAt time.Time, ended bool) {
	r.mu.Lock()
	c := r.crashed
	r.mu.Unlock()
	if c == nil || f.explainsCrash || (c.at.After(failedAt) && !ended) || strings.Contains(f.Msg, c.exit) {
		return
	}
	if why, ok := r.clientEnd(); ok {
		if !strings.HasPrefix(f.Msg, why) {
			f.Msg = why + " Then: " + f.Msg
		}
		return
	}
	head := fmt.Sprintf("Your program crashed (%s)", c.exit)
	if c.last != "" {
		head += fmt.Sprintf(" with “%s”; its traceback is in the transcript", c.last)
	}
	f.Msg = head + ". Then: " + f.Msg
}

// clientEnd says why a client ended without a connection to the grader,
// when what it printed tells: it dialled where nobody listens, or could not
// look the host up.
func (r *runner) clientEnd() (string, bool) {
	addr := r.listenAddr()
	if !r.ex.Port.Client || addr == "" {
		return "", false
	}
	out := r.allOutput()
	switch {
	case refused.MatchString(out):
		return fmt.Sprintf("Your client tried to connect somewhere nothing was listening (connection refused), but the grader listens on %s: %s.", addr, r.dialAdvice()), true
	case lookupFailed.MatchString(out):
		return fmt.Sprintf("Your client could not look up the name of the host it connects to. The grader listens on %s: connect to 127.0.0.1 or localhost.", addr), true
	}
	return "", false
}
