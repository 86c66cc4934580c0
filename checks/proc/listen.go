package proc

import (
	"errors"
	"net/netip"
	"sort"
)

// Listener is a socket on which the program's tree can be reached: a TCP
// socket it listens on, or a UDP socket it has bound.
type Listener struct {
	Addr netip.Addr // as bound: 0.0.0.0, ::, 127.0.0.1, a host address…
	Port int
}

// DialAddr is the address to dial to reach l from this machine: its own
// address when it was bound to one, loopback of its family when it was
// bound to all.
func (l Listener) DialAddr() netip.AddrPort {
	a := l.Addr
	if a.IsUnspecified() {
		if a.Is4() {
			a = netip.AddrFrom4([4]byte{127, 0, 0, 1})
		} else {
			a = netip.IPv6Loopback()
		}
	}
	return netip.AddrPortFrom(a, uint16(l.Port))
}

// ErrNoDiscovery reports a platform where the ports a program listens on
// cannot be seen; callers fall back to the exercise's port.
var ErrNoDiscovery = errors.New("listening ports cannot be discovered on this platform")

// listenCache remembers listening sockets already found to be someone
// else's, so a poll costs one netlink query unless something new appears.
type listenCache struct {
	foreign map[uint32]bool
}

// Listening lists the TCP ports on which p's tree listens right now, lowest
// port first. It has no side effect on the program: nothing connects.
func (p *Process) Listening() ([]Listener, error) {
	ls, err := p.listening()
	sortListeners(ls)
	return ls, err
}

// BoundUDP lists the UDP ports that p's tree has bound and receives on
// from anyone (unconnected sockets), lowest port first. A UDP server
// "listens" by binding: nothing here sends it a datagram.
func (p *Process) BoundUDP() ([]Listener, error) {
	ls, err := p.boundUDP()
	sortListeners(ls)
	return ls, err
}

func sortListeners(ls []Listener) {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].Port != ls[j].Port {
			return ls[i].Port < ls[j].Port
		}
		return ls[i].Addr.Less(ls[j].Addr)
	})
}

// CanDiscover tells whether Listening works here.
func CanDiscover() bool { return canDiscover() }
