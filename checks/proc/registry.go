package proc

import (
	"sync"
)

var (
	liveMu sync.Mutex
	live   = map[*Process]bool{}
)

func track(p *Process)   { liveMu.Lock(); live[p] = true; liveMu.Unlock() }
func untrack(p *Process) { liveMu.Lock(); delete(live, p); liveMu.Unlock() }

// StopAll kills every program started and not yet stopped: for an
// interrupted grader, so that Ctrl-C leaves nothing running.
func StopAll() {
	liveMu.Lock()
	ps := make([]*Process, 0, len(live))
	for p := range live {
		ps = append(ps, p)
	}
	liveMu.Unlock()
	for _, p := range ps {
		p.Stop(0)
	}
}
