package sandbox

import (
	"os"
	"strconv"
	"syscall"
	"time"
)

// Exit is how a program ended, as the kernel said when it was reaped: by
// the grader itself (an init that became the program is the grader's
// child) or by the run's starter, which passes it on.
type Exit struct {
	code         int            // -1 when a signal ended it
	signal       syscall.Signal // 0 unless a signal ended it
	core         bool
	user, system time.Duration
}

// exitOf is what os/exec reported of a child of the grader.
func exitOf(ps *os.ProcessState) *Exit {
	if ps == nil {
		return nil
	}
	ws, _ := ps.Sys().(syscall.WaitStatus)
	return exitFrom(ws, ps.UserTime(), ps.SystemTime())
}

// exitFrom is the end a wait status and CPU times tell.
func exitFrom(ws syscall.WaitStatus, user, system time.Duration) *Exit {
	e := &Exit{code: ws.ExitStatus(), user: user, system: system}
	if ws.Signaled() {
		e.code, e.signal, e.core = -1, ws.Signal(), ws.CoreDump()
	}
	return e
}

// ExitCode is the program's exit status, or -1 when a signal ended it.
func (e *Exit) ExitCode() int { return e.code }

// Success tells whether it exited with status 0.
func (e *Exit) Success() bool { return e.code == 0 }

// Signal is the signal that ended it, 0 if none did.
func (e *Exit) Signal() syscall.Signal { return e.signal }

// UserTime and SystemTime are the CPU time it used.
func (e *Exit) UserTime() time.Duration   { return e.user }
func (e *Exit) SystemTime() time.Duration { return e.system }

// String says how it ended in os.ProcessState's words: "exit status 1",
// "signal: killed".
func (e *Exit) String() string {
	if e.signal != 0 {
		s := "signal: " + e.signal.String()
		if e.core {
			s += " (core dumped)"
		}
		return s
	}
	return "exit status " + strconv.Itoa(e.code)
}
