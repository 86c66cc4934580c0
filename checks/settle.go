package checks

import "time"

// settler tells when the program has settled for a watch that ends at a
// given time: it ended, or it waits for something to reach it at two looks
// settleLook apart (every thread asleep in a wait that cannot time out
// before the watch ends, proc.QuietUntil). Waits that only watch what a
// program might still do end then, instead of at their full time: the
// program will do nothing more until the grader acts. Where idleness
// cannot be seen, a program settles only by ending.
type settler struct {
	r         *runner
	idleSince time.Time
}

// settleLook is how long a program must stay idle to count as settled: a
// thread between two steps of its work is seen running at one look or the
// other.
const settleLook = 2 * time.Millisecond

func (s *settler) settled(until time.Time) bool {
	p := s.r.proc
	if p == nil || p.Exited() {
		return true
	}
	idle, known := p.QuietUntil(until)
	if !known || !idle {
		s.idleSince = time.Time{}
		return false
	}
	if s.idleSince.IsZero() {
		s.idleSince = time.Now()
		return false
	}
	return time.Since(s.idleSince) >= settleLook
}

// settleWithin waits until the program settles, or the time is up.
func (r *runner) settleWithin(d time.Duration) {
	deadline := r.until(d)
	s := settler{r: r}
	for !s.settled(deadline) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}
