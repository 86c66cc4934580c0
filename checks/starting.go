package checks

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Start-up under load. On 2 cores a Python server listens about 42 ms after
// it starts alone, and about 470 ms after it starts when 16 start at once
// (grader batch): an interpreter's start-up is CPU work, shared by every
// program starting at the same time. So a wait for a program to come up
// counts time at the rate the program gets the CPU: while n programs of this
// grader are starting on c cores (n > c), a second of the clock counts as c/n
// of a second of start-up, and the check's own deadline moves by the rest.
// A program started alone is judged exactly as before; one started among
// many is given the time its neighbours took from it, and no more.

// booting counts the programs of this process that have started and not yet
// come up: seen listening, connected to the grader, ended, or stopped.
var booting atomic.Int64

// bootToken is one program's place in booting, given back once.
type bootToken struct{ ended atomic.Bool }

func beginBoot() *bootToken {
	booting.Add(1)
	return &bootToken{}
}

// end gives the place back; it may be called any number of times.
func (t *bootToken) end() {
	if t != nil && t.ended.CompareAndSwap(false, true) {
		booting.Add(-1)
	}
}

// startClock measures a wait for a program to come up in start-up time
// rather than wall time.
type startClock struct {
	limit   time.Duration
	charged time.Duration // start-up time counted so far
	last    time.Time
	cores   int
	load    func() int64 // programs starting now, this one included
}

func newStartClock(limit time.Duration, now time.Time) *startClock {
	return &startClock{limit: limit, last: now, cores: runtime.NumCPU(), load: booting.Load}
}

// share is the part of a core-second one starting program gets.
func (c *startClock) share() float64 {
	n := c.load()
	if n <= int64(c.cores) {
		return 1
	}
	return float64(c.cores) / float64(n)
}

// tick counts the time since the last tick at the program's share of the
// machine, and returns the wall time that did not count: the caller moves
// the check's deadline by it.
func (c *startClock) tick(now time.Time) (extra time.Duration) {
	dt := now.Sub(c.last)
	c.last = now
	counted := time.Duration(float64(dt) * c.share())
	c.charged += counted
	return dt - counted
}

// expired tells whether the program has had its start-up time.
func (c *startClock) expired() bool { return c.charged >= c.limit }

// startPoll is how long a wait for a program to come up waits between two
// looks at its sockets, alone: a look is a netlink query of some 60 µs, so
// the watch costs an eighth of a core while an interpreter starts, and
// sees the program listening a quarter of a millisecond late on average.
const startPoll = 500 * time.Microsecond

// poll is how long to wait between looks: startPoll alone, longer while
// many programs start, so that all the waits together cost the machine the
// same.
func (c *startClock) poll() time.Duration {
	return time.Duration(float64(startPoll) / c.share())
}
