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

// spare is a network being made ahead, with an init in it.
type spare struct {
	ready chan struct{}
	n     *Net
	err   error
}

// takeWarm returns the init waiting in n, if it was set up as wanted.
func (s *Sandbox) takeWarm(n *Net, want *initSetup) *initProc {
	var ip *initProc
	if n.Isolated() {
		n.mu.Lock()
		ip, n.warm = n.warm, nil
		n.mu.Unlock()
	} else {
		s.mu.Lock()
		ip, s.hostWarm = s.hostWarm, nil
		s.mu.Unlock()
	}
	if ip != nil && !sameSetup(ip.setup, want) {
		_ = ip.discard(nil)
		return nil
	}
	return ip
}

// prepareNext makes the next start's network and init, unless one is
// being made already.
func (s *Sandbox) prepareNext(setup *initSetup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.plain {
		return
	}
	if !s.mode.Isolated() {
		if s.hostWarm != nil || s.warming {
			return
		}
		s.warming = true
		go func() {
			ip, err := s.spawnInit(HostNet(), setup)
			s.mu.Lock()
			defer s.mu.Unlock()
			s.warming = false
			if err != nil {
				return
			}
			if s.closed {
				_ = ip.discard(nil)
				return
			}
			s.hostWarm = ip
		}()
		return
	}
	if s.spare != nil {
		return
	}
	sp := &spare{ready: make(chan struct{})}
	s.spare = sp
	go func() {
		defer close(sp.ready)
		if sp.n, sp.err = newNet(); sp.err != nil {
			return
		}
		if ip, err := s.spawnInit(sp.n, setup); err == nil {
			sp.n.warm = ip
		}
	}()
}

// takeSpare returns the network made ahead, waiting for it if it is on
// its way; nil if there is none.
func (s *Sandbox) takeSpare() *Net {
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
	return sp.n
}

// dropSpares ends what was made ahead and not used.
func (s *Sandbox) dropSpares() {
	s.mu.Lock()
	s.closed = true
	ip := s.hostWarm
	s.hostWarm = nil
	s.mu.Unlock()
	if ip != nil {
		_ = ip.discard(nil)
	}
	if n := s.takeSpare(); n != nil {
		n.Close()
	}
}

func newTag() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
