package sandbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"syscall"
)

// Sockets are seen through sock_diag (NETLINK_INET_DIAG): one query
// costs tens of microseconds, where reading /proc/net/tcp costs about a
// millisecond and slows the program being watched (../shared/ISOLATION.md).
// A netlink socket answers for the network namespace it was created in.
const (
	sockDiagByFamily = 20
	tcpListenState   = 10
	inetDiagReqLen   = 56
	inetDiagMsgLen   = 72
)

// diagConn is one netlink socket, kept: opening one per query costs more
// than the query. Queries take turns; after any error the socket is dropped,
// so a half-read dump never leaks into the next answer.
type diagConn struct {
	mu   sync.Mutex
	fd   int
	seq  uint32
	buf  []byte
	open func() (int, error) // makes the socket, in the right namespace
}

func newDiagConn(open func() (int, error)) *diagConn { return &diagConn{fd: -1, open: open} }

func openDiagSocket() (int, error) {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, syscall.NETLINK_INET_DIAG)
	if err != nil {
		return -1, fmt.Errorf("sock_diag socket: %w", err)
	}
	// A dump always ends with NLMSG_DONE; the timeout is only so that a
	// kernel that never answers cannot hang the grader.
	_ = syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &syscall.Timeval{Sec: 1})
	return fd, nil
}

// listening asks for every TCP socket in the LISTEN state, both families.
func (d *diagConn) listening() ([]Socket, error) {
	return d.sockets(syscall.IPPROTO_TCP, 1<<tcpListenState)
}

// boundUDP asks for every UDP socket bound to a port and not connected:
// those that receive from anyone, as a server's do.
func (d *diagConn) boundUDP() ([]Socket, error) {
	all, err := d.sockets(syscall.IPPROTO_UDP, ^uint32(0))
	out := all[:0]
	for _, s := range all {
		if s.Port != 0 && s.RemotePort == 0 {
			out = append(out, s)
		}
	}
	return out, err
}

// sockets asks for the sockets of a protocol whose state is in the mask
// (UDP sockets are "closed" unless connected), both families.
func (d *diagConn) sockets(protocol uint8, states uint32) ([]Socket, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Socket
	for _, fam := range []uint8{syscall.AF_INET, syscall.AF_INET6} {
		if err := d.openLocked(); err != nil {
			return nil, err
		}
		s, err := d.query(fam, protocol, states)
		if err != nil {
			d.closeLocked()
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// openLocked makes the socket, unless it is open already.
func (d *diagConn) openLocked() error {
	if d.fd >= 0 {
		return nil
	}
	fd, err := d.open()
	if err != nil {
		return err
	}
	d.fd, d.buf = fd, make([]byte, 64<<10)
	return nil
}

func (d *diagConn) close() {
	d.mu.Lock()
	d.closeLocked()
	d.mu.Unlock()
}

func (d *diagConn) closeLocked() {
	if d.fd >= 0 {
		syscall.Close(d.fd)
		d.fd = -1
	}
}

func (d *diagConn) query(family, protocol uint8, states uint32) ([]Socket, error) {
	return d.ask(family, protocol, states, nil)
}

// connected asks for the one TCP socket bound to local and connected to
// remote (both IPv4 or both IPv6): a lookup in the kernel's hash of
// connections (which answers with a listener on local's port when there is
// no such connection). A dump of every established socket walks the whole hash,
// which is sized by the machine's memory and shared by every network: a
// few milliseconds here.
func (d *diagConn) connected(local, remote netip.AddrPort) (Socket, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.openLocked(); err != nil {
		return Socket{}, false, err
	}
	family := uint8(syscall.AF_INET6)
	if local.Addr().Is4() {
		family = syscall.AF_INET
	}
	id := make([]byte, 48) // struct inet_diag_sockid
	binary.BigEndian.PutUint16(id[0:], local.Port())
	binary.BigEndian.PutUint16(id[2:], remote.Port())
	copy(id[4:], local.Addr().AsSlice()) // 4 bytes for IPv4, 16 for IPv6
	copy(id[20:], remote.Addr().AsSlice())
	binary.NativeEndian.PutUint32(id[40:], ^uint32(0)) // INET_DIAG_NOCOOKIE
	binary.NativeEndian.PutUint32(id[44:], ^uint32(0))
	found, err := d.ask(family, syscall.IPPROTO_TCP, ^uint32(0), id)
	if err != nil {
		// No such socket is an error answer too: it is simply not there.
		if errors.Is(err, errDiagRefused) {
			return Socket{}, false, nil
		}
		d.closeLocked()
		return Socket{}, false, err
	}
	if len(found) == 0 {
		return Socket{}, false, nil
	}
	return found[0], true, nil
}

var errDiagRefused = errors.New("sock_diag: kernel refused the query")

// ask sends one request: a dump of the sockets in states, or, given id,
// the one socket it names.
func (d *diagConn) ask(family, protocol uint8, states uint32, id []byte) ([]Socket, error) {
	d.seq++
	req := make([]byte, syscall.NLMSG_HDRLEN+inetDiagReqLen)
	binary.NativeEndian.PutUint32(req[0:], uint32(len(req)))
	binary.NativeEndian.PutUint16(req[4:], sockDiagByFamily)
	flags := uint16(syscall.NLM_F_REQUEST)
	if id == nil {
		flags |= syscall.NLM_F_DUMP
	}
	binary.NativeEndian.PutUint16(req[6:], flags)
	binary.NativeEndian.PutUint32(req[8:], d.seq)
	body := req[syscall.NLMSG_HDRLEN:]
	body[0] = family
	body[1] = protocol
	binary.NativeEndian.PutUint32(body[4:], states)
	copy(body[8:], id)
	if err := syscall.Sendto(d.fd, req, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("sock_diag send: %w", err)
	}
	var out []Socket
	for {
		n, _, err := syscall.Recvfrom(d.fd, d.buf, 0)
		if err != nil {
			return nil, fmt.Errorf("sock_diag receive: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(d.buf[:n])
		if err != nil {
			return nil, fmt.Errorf("sock_diag parse: %w", err)
		}
		for _, m := range msgs {
			if m.Header.Seq != d.seq {
				continue
			}
			switch m.Header.Type {
			case syscall.NLMSG_DONE:
				return out, nil
			case syscall.NLMSG_ERROR:
				return nil, errDiagRefused
			}
			if s, ok := parseDiagMsg(m.Data); ok {
				out = append(out, s)
				if id != nil {
					return out, nil // one answer, no NLMSG_DONE
				}
			}
		}
	}
}

// parseDiagMsg reads struct inet_diag_msg: family, state, timer, retrans,
// then inet_diag_sockid (ports big-endian, addresses as 16 bytes), then
// expires, rqueue, wqueue, uid, inode.
func parseDiagMsg(b []byte) (Socket, bool) {
	if len(b) < inetDiagMsgLen {
		return Socket{}, false
	}
	port := int(binary.BigEndian.Uint16(b[4:6]))
	remote := int(binary.BigEndian.Uint16(b[6:8]))
	var addr netip.Addr
	switch b[0] {
	case syscall.AF_INET:
		addr = netip.AddrFrom4([4]byte(b[8:12]))
	case syscall.AF_INET6:
		addr = netip.AddrFrom16([16]byte(b[8:24]))
	default:
		return Socket{}, false
	}
	return Socket{Addr: addr, Port: port, RemotePort: remote, Unread: int(binary.NativeEndian.Uint32(b[56:60])), Inode: binary.NativeEndian.Uint32(b[68:72])}, true
}
