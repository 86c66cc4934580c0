package checks

import (
	"net"
	"net/netip"
	"time"

	"github.com/acme-lab/grader/checks/sandbox"
)

// network is the part of a check's runner through which the grader reaches
// the program: a network namespace of the program's own, made by the
// sandbox when first needed (by the grader's listener for a client, or by
// the program's start) and made afresh for each start, except while the
// grader listens in it for a client that is restarted. Every socket the
// grader opens goes through here (TCP and UDP; anything else through
// ns.Do), so that it is created inside the namespace.
type network struct {
	sb       *sandbox.Sandbox
	ns       *sandbox.Net     // the current one; nil until needed
	listener *net.TCPListener // where the grader plays the server, for a client
	// listenedOn is its address, kept after it is closed.
	listenedOn string
	// udpListening is where the grader's own UDP socket is bound, for a
	// client that sends datagrams (listen with udp); "" when none.
	udpListening string
	locks        []*sandbox.PortLock
	seen         int // the port the program was last seen on, locked too in mode None
}

// reach is the current network, made now if there is none yet.
func (w *network) reach() (*sandbox.Net, error) {
	if w.ns == nil {
		ns, err := w.sb.NewNet()
		if err != nil {
			return nil, err
		}
		w.ns = ns
	}
	return w.ns, nil
}

// freshNetwork is the network for a new start of the program: a new one,
// unless the grader listens in the current one, where the program must
// find it.
func (w *network) freshNetwork() (*sandbox.Net, error) {
	if w.listener == nil && w.udpListening == "" && w.ns != nil {
		w.ns.Close()
		w.ns = nil
	}
	return w.reach()
}

// dialTCP connects to the program.
func (w *network) dialTCP(to netip.AddrPort, deadline time.Time) (*net.TCPConn, error) {
	ns, err := w.reach()
	if err != nil {
		return nil, err
	}
	return ns.DialTCP(to, deadline)
}

// listenTCP listens where a client program will connect.
func (w *network) listenTCP(at netip.AddrPort) (*net.TCPListener, error) {
	ns, err := w.reach()
	if err != nil {
		return nil, err
	}
	return ns.ListenTCP(at)
}

// dialUDPSocket makes a UDP socket connected to the program.
func (w *network) dialUDPSocket(to netip.AddrPort) (*net.UDPConn, error) {
	ns, err := w.reach()
	if err != nil {
		return nil, err
	}
	return ns.DialUDP(to)
}

// listenUDPSocket binds the grader's UDP socket for a client program.
func (w *network) listenUDPSocket(at netip.AddrPort) (*net.UDPConn, error) {
	ns, err := w.reach()
	if err != nil {
		return nil, err
	}
	return ns.ListenUDP(at)
}

// closeNetwork closes the grader's listener and lets the namespace go, and
// frees the ports the check held.
func (w *network) closeNetwork() {
	if w.listener != nil {
		_ = w.listener.Close()
		w.listener = nil
	}
	w.udpListening = ""
	if w.ns != nil {
		w.ns.Close()
		w.ns = nil
	}
	for _, l := range w.locks {
		l.Unlock()
	}
	w.locks = nil
}

// isolated tells whether the program has a network of its own.
func (w *network) isolated() bool { return w.sb.Mode().Isolated() }
