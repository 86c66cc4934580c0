package checks

import "time"

// settler tells when the program has settled for a watch that ends at a
// given time: it ended, or two looks settleLook apart found it waiting for
// something to reach it (every thread asleep in a wait that cannot time
// out before the watch ends, proc.QuietUntil) with the same mark, so that
// no thread ran in between, and nothing the grader sent on TCP is still on
// its way to it. Waits that only watch what a program might still do end
// then, instead of at their full time: the program will do nothing more
// until the grader acts. Where idleness cannot be seen, a program settles
// only by ending.
type settler struct {
	r    *runner
	mark uint64    // the mark of the first of the quiet looks alike
	at   time.Time // when it was taken; zero: none yet
	// delivered: what the grader sent is known to have been read by the
	// program, so the looks need not wait for the kernel to deliver it.
	delivered bool
}

// settleLook is how far apart the two looks must be at least. Their marks
// show that no thread ran between them; the time lets the kernel deliver
// what the grader sent just before (a datagram is handed on after the
// send has returned, on a loaded machine).
const settleLook = 250 * time.Microsecond

func (s *settler) settled(until time.Time) bool {
	p := s.r.proc
	if p == nil || p.Exited() {
		return true
	}
	l := p.Look(until)
	if !l.Known || !l.Quiet {
		s.at = time.Time{}
		return false
	}
	now := time.Now()
	if s.at.IsZero() || s.mark != l.Mark {
		s.mark, s.at = l.Mark, now
		return false
	}
	return (s.delivered || now.Sub(s.at) >= settleLook) && !s.r.sentInFlight()
}

// sentInFlight tells whether bytes the grader sent on a TCP connection
// have not yet been taken in by the program's side (its kernel), so that
// the program may still be woken by them.
func (r *runner) sentInFlight() bool {
	for _, c := range r.conns {
		if c.tcp != nil && c.ended == nil && !c.closed && unacked(c.tcp) > 0 {
			return true
		}
	}
	return false
}

// settleWithin waits until the program settles, or the time is up.
func (r *runner) settleWithin(d time.Duration) {
	deadline := r.until(d)
	s := settler{r: r}
	for !s.settled(deadline) && time.Now().Before(deadline) {
		nap(lingerLook)
	}
}
