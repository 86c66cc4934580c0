package proc

import (
	"sync"
	"time"
)

// waitLog is what Idle has seen of the program's threads that wait with a
// timeout, by thread id: from it, how early each can wake by itself.
type waitLog struct {
	mu      sync.Mutex
	threads map[int]*waitSeen
}

// waitSeen is one thread as last seen in a timed wait. Its context
// switches change whenever it has run: while they stay the same, it is in
// the one wait, which it entered after since.
type waitSeen struct {
	switches uint64
	since    time.Time // the wait began after this
	looked   time.Time // the start of the last look that saw it so
}

// entered records a thread seen in a timed wait at the look that began at
// look, and returns when that wait began at the earliest. A thread seen
// for the first time began it after the program started; one whose
// switches changed, after the last look that saw the old count.
func (w *waitLog) entered(tid int, switches uint64, look, started time.Time) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.threads == nil || len(w.threads) > 4096 {
		w.threads = map[int]*waitSeen{} // forgetting only weakens the bounds
	}
	s := w.threads[tid]
	switch {
	case s == nil:
		s = &waitSeen{switches: switches, since: started}
		w.threads[tid] = s
	case s.switches != switches:
		s.switches, s.since = switches, s.looked
	}
	s.looked = look
	return s.since
}
