package sandbox

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Net is the network the grader reaches a program through: a network
// namespace of its own (loopback only), or, in mode None, the machine's.
// Sockets are created inside it from a thread that enters it for the one
// system call (setns on a locked OS thread), and work from anywhere after.
// Only IP literals are dialled: Go's resolver would create its sockets on
// other threads, outside the namespace (../shared/ISOLATION.md, pitfall 3).
type Net struct {
	fd   int // the namespace; -1 for the grader's own network
	diag *diagConn

	// mu guards owned and closed; entering the namespace holds it for
	// reading, so that Close never frees the fd under a setns.
	mu      sync.RWMutex
	owned   map[uint32]bool // the grader's own sockets in it
	closed  bool
	warm    *initProc // an init made ahead in it, waiting for its program
	starts  int       // programs started in it
	hosting bool      // the grader listens in it: it is kept across starts
}

var (
	hostOnce sync.Once
	hostFd   = -1
	hostErr  error
	hostNet  = &Net{fd: -1, diag: newDiagConn(openDiagSocket), owned: map[uint32]bool{}}
)

// HostNet is the grader's own network, shared with the machine.
func HostNet() *Net { return hostNet }

// hostNamespace is the grader's own network namespace, for threads to come
// back to. Read from a fresh locked thread: any thread not locked by this
// package is in it.
func hostNamespace() (int, error) {
	hostOnce.Do(func() {
		done := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			hostFd, hostErr = unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
			close(done)
		}()
		<-done
	})
	return hostFd, hostErr
}

// onThread runs f on a locked OS thread after enter moved the thread into
// another network namespace, then moves it back. If it cannot come back,
// the goroutine ends still locked, and the runtime discards the thread
// rather than let other goroutines run in the wrong namespace (pitfall 2).
func onThread(enter func() error, f func() error) error {
	host, err := hostNamespace()
	if err != nil {
		return fmt.Errorf("open the grader's network namespace: %w", err)
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := enter(); err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		ferr := f()
		if err := unix.Setns(host, unix.CLONE_NEWNET); err != nil {
			errc <- errors.Join(ferr, fmt.Errorf("return to the grader's network namespace: %w", err))
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// newNet makes a network namespace with its loopback up, IPv4 and IPv6,
// where any port may be bound (ip_unprivileged_port_start is 0: there is
// nothing else in it to protect).
func newNet() (*Net, error) {
	n := &Net{fd: -1, owned: map[uint32]bool{}}
	err := onThread(func() error {
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
		}
		return nil
	}, func() error {
		fd, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		n.fd = fd
		if err := loopbackUp(); err != nil {
			return fmt.Errorf("bring loopback up: %w", err)
		}
		_ = os.WriteFile("/proc/sys/net/ipv4/ip_unprivileged_port_start", []byte("0"), 0o644)
		return nil
	})
	if err != nil {
		if n.fd >= 0 {
			unix.Close(n.fd)
		}
		return nil, err
	}
	n.diag = newDiagConn(func() (int, error) {
		fd := -1
		err := n.Do(func() error {
			var err error
			fd, err = openDiagSocket()
			return err
		})
		return fd, err
	})
	return n, nil
}

// loopbackUp sets IFF_UP on lo, in the calling thread's namespace.
func loopbackUp() error {
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(s)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(s, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(s, unix.SIOCSIFFLAGS, ifr)
}

// Isolated tells whether this is a namespace of the program's own, where
// every listening socket but the grader's is the program's.
func (n *Net) Isolated() bool { return n.fd >= 0 }

// Do runs f with its thread inside the network, for the sockets f creates
// (UDP ones, say). f must create them itself, not in other goroutines, and
// must not resolve names.
func (n *Net) Do(f func() error) error {
	if n.fd < 0 {
		return f()
	}
	return onThread(n.enter, f)
}

// enter moves the calling thread into the namespace.
func (n *Net) enter() error {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if n.closed {
		return net.ErrClosed
	}
	if err := unix.Setns(n.fd, unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("enter the program's network namespace: %w", err)
	}
	return nil
}

// DialTCP connects to an address inside the network.
func (n *Net) DialTCP(to netip.AddrPort, deadline time.Time) (*net.TCPConn, error) {
	var c net.Conn
	err := n.Do(func() error {
		var err error
		c, err = (&net.Dialer{Deadline: deadline}).Dial("tcp", to.String())
		return err
	})
	if err != nil {
		return nil, err
	}
	return c.(*net.TCPConn), nil
}

// ListenTCP listens inside the network: the grader playing the server for
// a client program. The socket is the grader's, so Listening leaves it out.
func (n *Net) ListenTCP(at netip.AddrPort) (*net.TCPListener, error) {
	var l *net.TCPListener
	err := n.Do(func() error {
		var err error
		l, err = net.ListenTCP("tcp", net.TCPAddrFromAddrPort(at))
		return err
	})
	if err != nil {
		return nil, err
	}
	n.own(l)
	n.host()
	return l, nil
}

// DialUDP makes a UDP socket inside the network, connected to an address
// there. The socket is the grader's, so BoundUDP leaves it out.
func (n *Net) DialUDP(to netip.AddrPort) (*net.UDPConn, error) {
	var c *net.UDPConn
	err := n.Do(func() error {
		var err error
		c, err = net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(to))
		return err
	})
	if err != nil {
		return nil, err
	}
	n.own(c)
	return c, nil
}

// host records that the grader listens in n, for a client program that
// will be restarted in it.
func (n *Net) host() {
	n.mu.Lock()
	n.hosting = true
	n.mu.Unlock()
}

// ListenUDP binds a UDP socket inside the network: the grader as a UDP
// server for a client program.
func (n *Net) ListenUDP(at netip.AddrPort) (*net.UDPConn, error) {
	var c *net.UDPConn
	err := n.Do(func() error {
		var err error
		c, err = net.ListenUDP("udp", net.UDPAddrFromAddrPort(at))
		return err
	})
	if err != nil {
		return nil, err
	}
	n.own(c)
	n.host()
	return c, nil
}

// own remembers a socket of the grader's, by inode. In the machine's
// network the process layer tells the program's sockets by their holder.
func (n *Net) own(c syscall.Conn) {
	if n.fd < 0 {
		return
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		var st unix.Stat_t
		if unix.Fstat(int(fd), &st) == nil {
			n.mu.Lock()
			n.owned[uint32(st.Ino)] = true
			n.mu.Unlock()
		}
	})
}

// BoundUDP lists the UDP sockets bound and not connected in this network,
// but the grader's own.
func (n *Net) BoundUDP() ([]Socket, error) {
	return n.mine(n.diag.boundUDP())
}

// FreePort is a TCP port nothing listens on in this network, to hand to a
// program.
func (n *Net) FreePort() (int, error) {
	l, err := n.ListenTCP(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Listening lists the TCP sockets listening in this network, but the
// grader's own.
func (n *Net) Listening() ([]Socket, error) {
	return n.mine(n.diag.listening())
}

// PeerUnread tells how many bytes the other end of the grader's TCP
// connection c, in this network, has received and not yet read; ok is
// false when that end is not to be seen here. Where it is 0 and nothing c
// sent is still unacknowledged, the program has read all of it.
func (n *Net) PeerUnread(c *net.TCPConn) (unread int, ok bool) {
	local, lok := c.LocalAddr().(*net.TCPAddr)
	remote, rok := c.RemoteAddr().(*net.TCPAddr)
	if !lok || !rok {
		return 0, false
	}
	// The other end is bound to our remote address and connected to ours.
	unmap := func(a *net.TCPAddr) netip.AddrPort {
		ap := a.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	s, found, err := n.diag.connected(unmap(remote), unmap(local))
	// The kernel's lookup falls back to a listener on the port once the
	// connection is gone: that is not the other end.
	if err != nil || !found || s.RemotePort != local.Port {
		return 0, false
	}
	return s.Unread, true
}

// mine leaves out the grader's own sockets.
func (n *Net) mine(all []Socket, err error) ([]Socket, error) {
	if err != nil {
		return nil, err
	}
	n.mu.RLock()
	defer n.mu.RUnlock()
	out := all[:0]
	for _, s := range all {
		if !n.owned[s.Inode] {
			out = append(out, s)
		}
	}
	return out, nil
}

// Close lets the namespace go once nothing in it is left: the kernel frees
// it when the last socket and process in it are gone.
func (n *Net) Close() error {
	if n.fd < 0 {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil
	}
	n.closed = true
	if n.warm != nil {
		_ = n.warm.discard(nil)
		n.warm = nil
	}
	n.diag.close()
	return unix.Close(n.fd)
}
