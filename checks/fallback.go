package checks

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// Where programs are not isolated (sandbox mode None) they share the
// machine's loopback: with another grader, with a server the student left
// running in another terminal. The grader then holds a lock on each port
// it expects the program (or its own listener) to use, so that two graders
// on one machine never run programs on the same port at once, and when the
// program cannot listen because something else holds its port, it says
// which process that is.

// lockPorts takes, in mode None, the locks of the ports this start will
// use: the exercise's, the one handed to the program, and the one the
// program was last seen on (a hard-coded port other than the exercise's).
// They are held until the check ends.
func (r *runner) lockPorts() error {
	if r.isolated() {
		return nil
	}
	for _, port := range []int{r.ex.Port.Suggested, r.handed, r.seen} {
		if err := r.lockPort(port); err != nil {
			return err
		}
	}
	return nil
}

// lockPort takes one port's lock, waiting for another grader to let it go
// until the check's deadline.
func (r *runner) lockPort(port int) error {
	if port == 0 || r.isolated() {
		return nil
	}
	for _, l := range r.locks {
		if l.Port == port {
			return nil
		}
	}
	l, err := sandbox.LockPort(port, r.deadline, func() {
		r.event(result.Note, "", fmt.Sprintf("waiting for another grader on this machine to finish with port %d", port))
	})
	if errors.Is(err, sandbox.ErrPortBusy) {
		return failf("Another grader on this machine used port %d for the whole of this check, so your program could not be given it. Grade one submission at a time, or on Linux let the grader isolate each program (--sandbox auto).", port)
	}
	if err != nil {
		return err
	}
	r.locks = append(r.locks, l)
	return nil
}

// sawPort remembers the port the program listens on, for the next start's
// lock.
func (r *runner) sawPort(port int) {
	r.seen = port
	if r.isolated() || port == r.ex.Port.Suggested || port == r.handed {
		return
	}
	// Only if no other grader holds it: the program listens there already.
	if l, err := sandbox.LockPort(port, time.Time{}, nil); err == nil {
		r.locks = append(r.locks, l)
	}
}

// addrInUse is how programs say that bind() failed with EADDRINUSE:
// Python's OSError (98 on Linux, 48 on macOS, 10048 on Windows), Node's,
// Java's, C's perror.
var addrInUse = regexp.MustCompile(`(?i)address already in use|EADDRINUSE|\[Errno (98|48)\]|WinError 10048`)

// AddressInUse tells whether a program's output says that it could not
// bind its port because something else held it.
func AddressInUse(output string) bool { return addrInUse.MatchString(output) }

// blamePortHolder rewrites a failure to listen whose cause is another
// program holding the port: it says which program, and what to do.
func (r *runner) blamePortHolder(f *Failure) {
	if r.isolated() || !addrInUse.MatchString(r.outputSince(r.startMark)) {
		return
	}
	ports := []int{r.seen, r.handed, r.ex.Port.Suggested}
	for _, port := range ports {
		if port == 0 {
			continue
		}
		if h, ok := sandbox.PortHolder(port); ok {
			f.Msg = portInUse(port, h)
			f.explainsCrash = true
			return
		}
	}
}

// portInUse is the sentence for a port that another program holds.
func portInUse(port int, h sandbox.Holder) string {
	return fmt.Sprintf("Port %d is in use by pid %d (%s), so your program could not listen there. Stop it (kill %d) and grade again; on Linux the grader can also run your program apart from it (--sandbox auto).", port, h.Pid, h.Command, h.Pid)
}

// outputSince is what the program printed since m, stdout then stderr.
func (p *program) outputSince(m mark) string {
	out, _, _ := p.stdout.Snapshot(m.stdout)
	errOut, _, _ := p.stderr.Snapshot(m.stderr)
	return string(out) + "\n" + string(errOut)
}

// The limits a program meets in its own system calls show in its output
// only: a write that fails with EFBIG, an open with EMFILE.
var (
	fileTooLarge  = regexp.MustCompile(`File too large|EFBIG|\[Errno 27\]`)
	tooManyOpened = regexp.MustCompile(`Too many open files|EMFILE|\[Errno 24\]`)
)

func limitsInOutput(out string) []sandbox.Limit {
	var hits []sandbox.Limit
	if fileTooLarge.MatchString(out) {
		hits = append(hits, sandbox.LimitFileSize)
	}
	if tooManyOpened.MatchString(out) {
		hits = append(hits, sandbox.LimitOpenFiles)
	}
	return hits
}

func appendLimit(hits []sandbox.Limit, l sandbox.Limit) []sandbox.Limit {
	if slices.Contains(hits, l) {
		return hits
	}
	return append(hits, l)
}
