package sandbox

import (
	"crypto/rand"
	"encoding/hex"
)

// An init takes a few milliseconds to start and confine itself (mostly the
// Go runtime's own start-up), and a network namespace about one more.
// Both are made ahead, in the background, while the previous program runs:
// after each start the sandbox prepares the next start's network with an
// init already waiting in it, set up as the last one was. A start that
// finds it ready costs only the exec. It is made ahead only after a start
// of the run showed how the program is to be set up.

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
	if ip != nil && !sameSetup(ip.setup, want) {
		_ = ip.discard(nil)
		return nil
	}
	return ip
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
		if sp.n, sp.err = newNet(); sp.err != nil {
			return
		}
		if ip, err := s.spawnInit(sp.n, setup); err == nil {
			sp.n.warm = ip
		}
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
// its way; nil if there is none.
func (s *Sandbox) takeSpare() *Net {
	if sp := s.takeSpareLocked(); sp != nil {
		return sp.n
	}
	return nil
}

// rewarm makes ahead, in n itself, an init for the next start, once n has
// seen a second one: a network kept across starts (the grader listens in
// it for a client program that it restarts) would otherwise have each
// restart pay for a cold init. The first start of a network had its init
// made ahead with the network.
func (s *Sandbox) rewarm(n *Net, setup *initSetup) {
	if !n.Isolated() {
		return
	}
	n.mu.Lock()
	n.starts++
	again := n.starts > 1 && n.warm == nil && !n.closed
	n.mu.Unlock()
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
