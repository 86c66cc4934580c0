package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// An init takes a few milliseconds to start and confine itself (mostly the
// Go runtime's own start-up), and a network namespace about one more.
// Both are made ahead, in the background, while the previous program runs:
// after each start the sandbox prepares the next start's network with an
// init already waiting in it, set up as the last one was. A start that
// finds it ready costs only the exec. It is made ahead only after a start
// of the run showed how the program is to be set up. Where the run's
// starter forks the programs (root), only the network is made ahead (and
// the groups, by the starter): an init made beside a starting program
// slows its start-up.

// spare is what is being made ahead: a network with an init in it, or, in
// mode None, an init in the grader's own network.
type spare struct {
	ready chan struct{}
	n     *Net      // isolated: its init is n.warm
	ip    *initProc // mode None
	err   error
}

// takeWarm returns the init waiting in n (isolated) or made ahead in the
// grader's network (mode None, waiting for it if it is on its way), if it
// was set up as wanted.
func (s *Sandbox) takeWarm(n *Net, want *initSetup) *initProc {
	var ip *initProc
	if n.Isolated() {
		n.mu.Lock()
		ip, n.warm = n.warm, nil
		n.mu.Unlock()
	} else if sp := s.takeSpareLocked(); sp != nil {
		ip = sp.ip
	}
	if ip != nil && ip.setup == nil && !s.setUpEarly(ip, want) {
		return nil
	}
	if ip != nil && !sameSetup(ip.setup, want) {
		_ = ip.discard(nil)
		return nil
	}
	return ip
}

// setUpEarly gives the run's first init, launched beside the probe before
// the run's setup was known, the run's limits and that setup. False: it
// failed, and the init is discarded.
func (s *Sandbox) setUpEarly(ip *initProc, setup *initSetup) bool {
	ip.cg.limit(s.limits)
	return ip.configure(setup) == nil
}

// prepareNext makes the next start's network and init, unless they are
// being made already.
func (s *Sandbox) prepareNext(setup *initSetup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.plain || s.spare != nil {
		return
	}
	sp := &spare{ready: make(chan struct{})}
	s.spare = sp
	go func() {
		defer close(sp.ready)
		if !s.mode.Isolated() {
			sp.ip, sp.err = s.spawnInit(HostNet(), setup)
			return
		}
		s.makeNet(sp, setup)
	}()
}

// makeNet makes sp's network, with an init set up for setup waiting in it.
func (s *Sandbox) makeNet(sp *spare, setup *initSetup) {
	if sp.n, sp.err = newNet(); sp.err != nil {
		return
	}
	if st := s.starterFor(setup); st != nil && st.usable() {
		return // the starter forks the program there
	}
	if ip, err := s.spawnInit(sp.n, setup); err == nil {
		sp.n.warm = ip
	}
}

// Expect says what the run's first start will be, as soon as that is
// known (before the first check): the starter or the init launched beside
// the probe gets its setup now, in the background, rather than at that
// start, where it cost about a millisecond. Where none was launched, they
// are made now, as prepareNext makes them.
func (s *Sandbox) Expect(c Command) {
	if !s.mode.Isolated() {
		return
	}
	setup := s.setupFor(c)
	s.starterFor(setup)
	s.mu.Lock()
	if s.closed || s.plain || s.spare != nil {
		s.mu.Unlock()
		return
	}
	sp := &spare{ready: make(chan struct{})}
	s.spare = sp
	s.mu.Unlock()
	go func() {
		defer close(sp.ready)
		n := takeEarly(s.mode)
		if n == nil {
			s.makeNet(sp, setup)
			return
		}
		n.mu.Lock()
		ip := n.warm
		n.mu.Unlock()
		if ip != nil && ip.setup == nil && !s.setUpEarly(ip, setup) {
			n.mu.Lock()
			n.warm = nil
			n.mu.Unlock()
		}
		if ip == nil && s.starterFor(setup) == nil {
			// Launched for the starter, but this run's programs start
			// through inits.
			if ip, err := s.spawnInit(n, setup); err == nil {
				n.mu.Lock()
				n.warm = ip
				n.mu.Unlock()
			}
		}
		sp.n = n
	}()
}

// takeSpareLocked takes what is being made ahead, once it is ready; nil if
// nothing is.
func (s *Sandbox) takeSpareLocked() *spare {
	s.mu.Lock()
	sp := s.spare
	s.spare = nil
	s.mu.Unlock()
	if sp == nil {
		return nil
	}
	<-sp.ready
	if sp.err != nil {
		return nil
	}
	return sp
}

// takeSpare returns the network made ahead, waiting for it if it is on
// its way; nil if there is none. A run's first start finds none, and
// takes the one launched beside the probe, if it is there.
func (s *Sandbox) takeSpare() *Net {
	if sp := s.takeSpareLocked(); sp != nil {
		return sp.n
	}
	return takeEarly(s.mode)
}

// The probe of what the sandbox can do runs as a command begins (the
// grader command starts it before it reads the exercise). Beside it, a
// network and an init in it are launched for the run's first start, or,
// as root, a network and the run's starter; their setup is not known yet:
// the init or the starter waits for it. The first start
// then costs what the others do, instead of a network and an init's
// start-up in the check's time. One that no run takes is ended after
// earlyLife; one launched for a probe that failed, at once.
var early struct {
	sync.Mutex
	mode    Mode
	ready   chan struct{} // nil: none launched, or taken
	n       *Net          // its init, if any, is n.warm, not configured yet
	starter *initProc     // as root, the run's starter instead, not configured yet
}

const earlyLife = 3 * time.Second

func launchEarly(m Mode) {
	ready := make(chan struct{})
	early.Lock()
	early.mode, early.ready, early.n = m, ready, nil
	early.Unlock()
	go func() {
		defer close(ready)
		n, err := newNet()
		if err != nil {
			return
		}
		var starter *initProc
		if m == Namespaces && !noStarter.Load() {
			starter, err = launchProcess(m, HostNet(), Limits{}.WithDefaults(), "starter")
		} else {
			n.warm, err = launchInit(m, n, Limits{}.WithDefaults())
		}
		if err != nil {
			n.Close()
			return
		}
		early.Lock()
		early.n, early.starter = n, starter
		early.Unlock()
		time.AfterFunc(earlyLife, func() { dropEarly(m) })
	}()
}

func dropEarly(m Mode) {
	if n := takeEarly(m); n != nil {
		n.Close()
	}
	if ip := takeEarlyStarter(m); ip != nil {
		_ = ip.discard(nil)
	}
}

// takeEarlyStarter takes the starter launched beside the probe, once,
// waiting for it if it is on its way: nil if there is none for mode m.
func takeEarlyStarter(m Mode) (ip *initProc) {
	takeFromEarly(m, func() bool {
		ip, early.starter = early.starter, nil
		return early.n == nil
	})
	return ip
}

// DropUnused ends the network and init launched beside the probe, if no
// run took them: a command calls it before it exits, so that their
// groups go with it.
func DropUnused() {
	early.Lock()
	m := early.mode
	early.Unlock()
	dropEarly(m)
}

// takeEarly takes the early network, once, waiting for it if it is on its
// way: nil if there is none for mode m.
func takeEarly(m Mode) (n *Net) {
	takeFromEarly(m, func() bool {
		n, early.n = early.n, nil
		return early.starter == nil
	})
	return n
}

// takeFromEarly runs take under early's lock once what was launched
// beside the probe for mode m is there; take says whether that left
// nothing of it.
func takeFromEarly(m Mode, take func() (none bool)) {
	early.Lock()
	ready, mode := early.ready, early.mode
	early.Unlock()
	if ready == nil || mode != m {
		return
	}
	<-ready
	early.Lock()
	defer early.Unlock()
	if early.ready != ready {
		return // taken meanwhile
	}
	if take() {
		early.ready = nil
	}
}

// rewarm makes ahead, in n itself, an init for the next start, once n has
// seen a second one, or at once where the grader listens in n and says
// that it will start the program again: a network kept across starts (the
// grader listens in it for a client program that it restarts) would
// otherwise have each restart pay for a cold init. The first start of a
// network had its init made ahead with the network.
func (s *Sandbox) rewarm(n *Net, setup *initSetup, again bool) {
	if !n.Isolated() {
		return
	}
	n.mu.Lock()
	n.starts++
	again = (n.starts > 1 || n.hosting && again) && n.warm == nil && !n.closed
	n.mu.Unlock()
	if again && s.starterFor(setup) != nil {
		return // the starter forks the next start there
	}
	s.mu.Lock()
	if s.closed || s.plain || !again {
		s.mu.Unlock()
		return
	}
	s.warming.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.warming.Done()
		ip, err := s.spawnInit(n, setup)
		if err != nil {
			return
		}
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		n.mu.Lock()
		keep := !closed && !n.closed && n.warm == nil
		if keep {
			n.warm = ip
		}
		n.mu.Unlock()
		if !keep {
			_ = ip.discard(nil)
		}
	}()
}

// dropSpares ends what was made ahead and not used.
func (s *Sandbox) dropSpares() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.warming.Wait()
	sp := s.takeSpareLocked()
	switch {
	case sp == nil:
	case sp.ip != nil:
		_ = sp.ip.discard(nil)
	case sp.n != nil:
		sp.n.Close()
	}
}

func newTag() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
