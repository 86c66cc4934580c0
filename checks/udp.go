package checks

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
	"time"

	"github.com/acme-lab/grader/checks/proc"
	"github.com/acme-lab/grader/checks/result"
)

// UDP: the grader's UDP sockets are made through the network part
// (network.go), inside the program's network, and the program's UDP ports
// are looked for there.

// dialUDP opens a UDP socket of the grader's, connected to the program: it
// has a source port of its own, and receives only what comes from there.
func (r *runner) dialUDP(name string, to netip.AddrPort) (*conn, error) {
	u, err := r.dialUDPSocket(to)
	if err != nil {
		return nil, err
	}
	r.event(result.Connect, name, fmt.Sprintf("UDP socket %s: %s → %s", name, u.LocalAddr(), to))
	return &conn{name: name, udp: u, r: r}, nil
}

// listenUDP binds the grader's UDP socket for a client program, on
// 127.0.0.1 and port (0: a free one). It is a conn whose replies go to
// whoever sent it the last datagram.
func (r *runner) listenUDP(name string, port int) (*conn, error) {
	addr := netip.AddrPortFrom(loopback4, uint16(port))
	if err := r.lockPort(port); err != nil {
		return nil, err
	}
	deadline := r.until(bindWait)
	for {
		u, err := r.listenUDPSocket(addr)
		if err == nil {
			return &conn{name: name, udp: u, r: r}, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("listen on UDP %s: %w", addr, err)
		}
		if time.Now().After(deadline) {
			return nil, failf("The grader could not bind UDP %s, where your client is to send: another program holds that port. Is a server of yours still running? Stop it and grade again.", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitBoundUDP watches, sending nothing, until the program has bound a UDP
// port, and returns where to send to it. TCP listeners do not count.
func (r *runner) waitBoundUDP(limit time.Duration) (proc.Listener, error) {
	if r.udpTarget != nil {
		return *r.udpTarget, nil
	}
	if limit <= 0 {
		limit = r.ex.Timeouts.Start
	}
	deadline := r.until(limit)
	for {
		ls, err := r.proc.BoundUDP()
		if errors.Is(err, proc.ErrNoDiscovery) {
			return r.fallbackTarget()
		}
		if err != nil {
			return proc.Listener{}, err
		}
		if len(ls) > 0 {
			r.boot.end()
			l, err := r.choose(ls, "binds UDP port")
			if err == nil {
				r.udpTarget = &l
				r.env["address"] = l.DialAddr().String()
				r.event(result.Listen, "", "UDP "+l.DialAddr().String())
			}
			return l, err
		}
		if r.proc.Exited() {
			<-r.proc.Done()
			f := failf("Your program ended (%s) before it bound a UDP port.", r.proc.ExitDescription())
			f.Got = r.outputTail()
			return proc.Listener{}, f
		}
		if time.Now().After(deadline) {
			f := failf("Your program did not bind any UDP port within %s of starting.", limit)
			if tcp, _ := r.proc.Listening(); len(tcp) > 0 {
				f.Msg += fmt.Sprintf(" It listens on TCP port %d: a UDP server makes its socket with socket.SOCK_DGRAM, binds it, and needs no listen() or accept().", tcp[0].Port)
			}
			f.Got = r.outputTail()
			return proc.Listener{}, f
		}
		nap(startPoll)
	}
}

// openUDP starts the program if it is not running, waits until it has
// bound a UDP port and opens a socket to it, kept under name.
func (r *runner) openUDP(name string, limit time.Duration) (*conn, error) {
	if err := r.ensureStarted(); err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = r.ex.Timeouts.Start
	}
	target, err := r.waitBoundUDP(limit)
	if err != nil {
		return nil, err
	}
	c, err := r.dialUDP(name, target.DialAddr())
	if err != nil {
		return nil, err
	}
	r.conns[name] = c
	return c, nil
}
