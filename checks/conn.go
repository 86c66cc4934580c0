package checks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"

	"github.com/acme-lab/grader/checks/result"
)

var loopback4 = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// maxPending bounds what one expectation may accumulate: a program that
// floods its socket gets a verdict instead of filling the grader's memory.
const maxPending = 1 << 20

// conn is one of the grader's TCP connections to the program, or one of
// its UDP sockets. TCP is a byte stream: what arrives is kept in pending
// until an expectation consumes it. UDP carries datagrams, each a message
// of its own: they are kept apart, in datagrams (see datagram.go).
type conn struct {
	name    string
	tcp     *net.TCPConn
	udp     *net.UDPConn // instead of tcp, for a datagram socket
	r       *runner
	pending []byte
	ended   error // io.EOF when the program closed its side, errReset on RST
	closed  bool  // the grader closed or aborted it
	// accepted: the program connected to the grader (it is a client), so
	// what comes from it is what it sends, not a reply.
	accepted bool
	// lastSent is the first line of what the grader last sent, to name
	// what a reply answers ("in reply to \"HELO grader\"").
	lastSent string
	// datagrams arrived and not yet judged, oldest first (UDP only).
	datagrams [][]byte
	// peer is where a datagram socket of the grader's own (listen with
	// udp) sends: the program's address, once it sent a datagram.
	peer *net.UDPAddr
}

var errReset = errors.New("connection reset by the program")

func (r *runner) dial(name string, to netip.AddrPort, deadline time.Time) (*conn, error) {
	c, err := r.dialTCP(to, deadline)
	if err != nil {
		return nil, err
	}
	cn := &conn{name: name, tcp: c, r: r}
	r.event(result.Connect, name, to.String())
	return cn, nil
}

// fill reads once, waiting until deadline. It returns nil when bytes
// arrived, os.ErrDeadlineExceeded on timeout, or the way the stream ended.
func (c *conn) fill(deadline time.Time) error {
	if c.udp != nil {
		return c.fillDatagram(deadline)
	}
	if c.ended != nil {
		return c.ended
	}
	if c.closed {
		return net.ErrClosed
	}
	if len(c.pending) > maxPending {
		return errFlood
	}
	if deadline = shortWait(c.tcp, deadline); deadline.IsZero() {
		return os.ErrDeadlineExceeded
	}
	_ = c.tcp.SetReadDeadline(deadline)
	buf := make([]byte, 32<<10)
	n, err := c.tcp.Read(buf)
	if n > 0 {
		c.pending = append(c.pending, buf[:n]...)
		c.r.event(result.Recv, c.name, string(buf[:n]))
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF):
		c.ended = io.EOF
		c.r.event(result.EOF, c.name, "")
	case errors.Is(err, syscall.ECONNRESET):
		c.ended = errReset
		c.r.event(result.Reset, c.name, "")
	case errors.Is(err, os.ErrDeadlineExceeded):
		if n > 0 {
			return nil
		}
		return err
	default:
		c.ended = err
	}
	if n > 0 {
		return nil
	}
	return c.ended
}

// shortWait does a wait of less than a millisecond (a look between two
// looks at the program) precisely: it returns the zero time if nothing
// came by deadline, else a deadline for a read that returns at once.
// Longer waits are the read's own.
func shortWait(s syscall.Conn, deadline time.Time) time.Time {
	d := time.Until(deadline)
	if d >= time.Millisecond {
		return deadline
	}
	readable, known := readableWithin(s, d)
	switch {
	case !known:
		return deadline
	case !readable:
		return time.Time{}
	}
	return time.Now().Add(time.Millisecond)
}

// send writes data as one write (one datagram, on UDP) and records it.
func (c *conn) send(data []byte, deadline time.Time) error {
	if c.udp != nil {
		return c.sendDatagram(data, deadline)
	}
	_ = c.tcp.SetWriteDeadline(deadline)
	// Listed before it is written, so that what the program does in answer
	// (a traceback, at once) comes after it in the transcript.
	c.r.event(result.Send, c.name, string(data))
	n, err := c.tcp.Write(data)
	if n < len(data) {
		c.r.event(result.Note, c.name, fmt.Sprintf("only %d of those %d bytes were sent", n, len(data)))
	}
	c.sent(data)
	_ = c.tcp.SetWriteDeadline(time.Time{})
	return err
}

// sent remembers the first line of what was last sent, so that a reply
// that is wrong can be told apart from one to something else.
func (c *conn) sent(data []byte) {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	c.lastSent = string(bytes.TrimRight(line, "\r"))
}

var errFlood = errors.New("more than 1 MiB arrived without matching")

// await is the pause between the pieces of a message: it reads what
// arrives meanwhile, so that the transcript shows when a reply came, and
// tells whether the connection is still open. The pause is there for the
// program to take in the piece before the next one comes; it ends as soon
// as the program settles (it read what there was and waits for more),
// after d at most. A program whose idleness cannot be seen, or that waits
// with a timeout, gets the whole of d. Once its side of the connection is
// seen to hold nothing unread (sock_diag), the piece is known to be
// delivered and read, and two looks in a row that find the program
// waiting are enough: they need not be settleLook apart.
func (c *conn) await(d time.Duration) bool {
	begun := time.Now()
	deadline := c.r.until(d)
	s := settler{r: c.r}
	for c.ended == nil && !c.closed && time.Now().Before(deadline) {
		s.delivered = c.taken()
		if s.delivered && s.settled(deadline) {
			break
		}
		wait := takenLook
		if !s.delivered && time.Since(begun) >= settleLook {
			// Not seen read yet: a program whose socket cannot be seen
			// settles as before, looks settleLook apart.
			if s.settled(deadline) {
				break
			}
			wait = lingerLook
		}
		if c.fill(earliest(deadline, time.Now().Add(wait))) == nil {
			continue
		}
	}
	return c.ended == nil && !c.closed
}

// takenLook is how long a pause waits between two looks whether the
// program has read the piece and waits for more: an interpreter takes a
// piece in within some tens of microseconds; a look at its socket costs a
// few, one at its threads some tens.
const takenLook = 20 * time.Microsecond

// taken tells whether the program has read everything the grader sent on
// this connection.
func (c *conn) taken() bool {
	if c.tcp == nil || c.r.ns == nil || unacked(c.tcp) > 0 {
		return false
	}
	unread, ok := c.r.ns.PeerUnread(c.tcp)
	return ok && unread == 0
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// endErr is how the connection ended, or net.ErrClosed when the grader
// closed it.
func (c *conn) endErr() error {
	if c.ended != nil {
		return c.ended
	}
	return net.ErrClosed
}

// peekEnded reports whether the program has already closed this
// connection. A program that closes after its reply may not have closed
// yet: its FIN is waited for until the program settles (a program waiting
// for the grader closes nothing by itself), and at most a millisecond.
func (c *conn) peekEnded() bool {
	if c.ended != nil || c.closed {
		return true
	}
	limit := time.Now().Add(time.Millisecond)
	s := settler{r: c.r}
	for c.ended == nil && time.Now().Before(limit) {
		if c.fill(time.Now().Add(settleLook)) == nil || c.ended != nil {
			continue
		}
		if s.settled(limit) {
			// Settled: whatever it sent before is here by now.
			c.drain()
			break
		}
	}
	return c.ended != nil
}

// drain takes in, without waiting, whatever has already arrived, and
// notices a close or a reset that came with it.
func (c *conn) drain() {
	for c.ended == nil && !c.closed && len(c.pending) <= maxPending && c.ready() {
		if c.fill(time.Now().Add(time.Millisecond)) != nil {
			return
		}
	}
}

// ready tells, without blocking, whether a read would return at once:
// bytes, the end of the stream or an error are waiting.
func (c *conn) ready() bool {
	raw, err := c.tcp.SyscallConn()
	if err != nil {
		return true
	}
	waiting := true
	_ = raw.Read(func(fd uintptr) bool {
		waiting = readable(fd)
		return true
	})
	return waiting
}

// consume drops the first n pending bytes.
func (c *conn) consume(n int) {
	c.pending = append([]byte(nil), c.pending[n:]...)
}

// cut drops the pending bytes from a to b, keeping what is on either side.
func (c *conn) cut(a, b int) {
	c.pending = append(c.pending[:a:a], c.pending[b:]...)
}

// abort closes with a reset (SO_LINGER 0). The program's side is then gone
// at once instead of waiting in TIME_WAIT on its port.
func (c *conn) abort() {
	if c.closed {
		return
	}
	c.closed = true
	if c.udp != nil {
		_ = c.udp.Close()
		return
	}
	_ = c.tcp.SetLinger(0)
	_ = c.tcp.Close()
}

// endedWords describes how the program ended the connection.
func endedWords(err error) string {
	switch {
	case errors.Is(err, io.EOF):
		return "your program closed the connection"
	case errors.Is(err, errReset), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "your program reset the connection"
	case errors.Is(err, errFlood):
		return "your program sent more than 1 MiB without the expected reply"
	case errors.Is(err, net.ErrClosed):
		return "the connection was already closed"
	}
	return "the connection failed: " + err.Error()
}
