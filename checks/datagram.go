package checks

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/acme-lab/grader/checks/result"
)

// Datagrams (UDP) are messages: each arrives whole or not at all, and two
// are never merged into one, nor one split in two. A datagram socket keeps
// them apart, and expect judges one datagram at a time, as it is.

// maxDatagram is the largest datagram the grader reads (UDP's own limit).
const maxDatagram = 65535

// fillDatagram waits until deadline for one datagram. It returns nil when
// one arrived, os.ErrDeadlineExceeded on timeout.
func (c *conn) fillDatagram(deadline time.Time) error {
	if c.closed {
		return net.ErrClosed
	}
	if len(c.datagrams) > 1000 {
		return errFlood
	}
	if deadline = shortWait(c.udp, deadline); deadline.IsZero() {
		return os.ErrDeadlineExceeded
	}
	_ = c.udp.SetReadDeadline(deadline)
	buf := make([]byte, maxDatagram)
	n, from, err := c.udp.ReadFromUDP(buf)
	if err != nil {
		// A datagram the program's port refused (ICMP unreachable) shows up
		// as ECONNREFUSED on a connected socket: nobody is bound there.
		return err
	}
	if c.listening() {
		c.peer = from
	}
	c.datagrams = append(c.datagrams, append([]byte(nil), buf[:n]...))
	c.r.event(result.DatagramRecv, c.name, string(buf[:n]))
	return nil
}

// listening tells whether this is the grader's own bound socket (listen),
// which answers whoever sent last, rather than one connected to the program.
func (c *conn) listening() bool { return c.udp.RemoteAddr() == nil }

func (c *conn) sendDatagram(data []byte, deadline time.Time) error {
	_ = c.udp.SetWriteDeadline(deadline)
	var err error
	if c.listening() {
		if c.peer == nil {
			return errNoPeer
		}
		_, err = c.udp.WriteToUDP(data, c.peer)
	} else {
		_, err = c.udp.Write(data)
	}
	if err == nil {
		c.r.event(result.DatagramSend, c.name, string(data))
	}
	return err
}

var errNoPeer = errors.New("the program has not sent a datagram yet, so the grader does not know where to answer")

// nextDatagram waits for one datagram, and takes it.
func (c *conn) nextDatagram(deadline time.Time) ([]byte, error) {
	for len(c.datagrams) == 0 {
		if err := c.fill(deadline); err != nil {
			return nil, err
		}
	}
	d := c.datagrams[0]
	c.datagrams = c.datagrams[1:]
	return d, nil
}

// runDatagram judges the next datagram as a whole: as text, or byte for
// byte against a packed message.
func (s *expectStep) runDatagram(r *runner, c *conn, wait time.Duration) error {
	if s.code != nil || s.anyCode || s.seek {
		return &ExerciseError{Err: fmt.Errorf("conn %s is a UDP socket: code and seek read lines of a TCP stream", c.name)}
	}
	if s.many != nil {
		return s.runDatagrams(r, c, wait)
	}
	var want []byte
	if s.want != nil {
		var err error
		if want, err = s.want.render(r.env); err != nil {
			return err
		}
	}
	d, err := c.nextDatagram(r.until(wait))
	if err != nil {
		return s.noDatagram(r, c, wait, err, 1)
	}
	switch {
	case s.want != nil:
		at := firstDiff(d, want)
		if at == len(d) && len(d) == len(want) {
			break
		}
		what := fmt.Sprintf("the datagram differs at offset %s: it is 0x%02x where 0x%02x was expected", offsetHex(at), at1(d, at), at1(want, at))
		if len(d) != len(want) {
			what = fmt.Sprintf("the datagram is %d bytes", len(d))
			if at < min(len(d), len(want)) {
				what += fmt.Sprintf(" and differs at offset %s", offsetHex(at))
			}
		}
		f := failf("Expected a datagram of %s, but %s.", s.wantWords(r, want), what)
		f.Expected, f.ExpectedBytes, f.Got, f.GotAt = s.wantWords(r, want), want, string(d), at
		return f
	case s.count != nil:
		v, err := s.count.Eval(r.env)
		if err != nil {
			return err
		}
		if k, ok := wholeNumber(v); !ok || int(k) != len(d) {
			f := failf("Expected a datagram of %v bytes, but it is %d bytes.", v, len(d))
			f.Got = string(d)
			return f
		}
	default:
		j, err := s.m.prepare(r.env)
		if err != nil {
			return err
		}
		if v, err := j.judge(string(d), true); err != nil || v != matched {
			if err != nil {
				return err
			}
			f := failf("The datagram does not match: expected %s.", j.describe())
			f.Expected, f.Got, f.GotAt = j.describe(), string(d), j.offset(string(d))
			return f
		}
		j.keep(string(d))
		return nil
	}
	if s.m.capture != "" {
		r.env[s.m.capture] = string(d)
	}
	return nil
}

func at1(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

func (s *expectStep) wantWords(r *runner, want []byte) string {
	words := fmt.Sprintf("%d bytes", len(want))
	if s.m.says != nil {
		if says, err := s.m.says.Render(r.env, nil); err == nil {
			words = says
		}
	}
	return fmt.Sprintf("%s (%s)", words, hexWords(want, 32))
}

// runDatagrams expects as many datagrams as the list has, holding exactly
// its items in any order: UDP may reorder, but never merges or splits.
func (s *expectStep) runDatagrams(r *runner, c *conn, wait time.Duration) error {
	v, err := s.many.Eval(r.env)
	if err != nil {
		return err
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("expect.datagrams %q gave %T, not a list", s.many.Src, v)
	}
	want := map[string]int{}
	for _, x := range list {
		b, err := toBytes("expect.datagrams", x)
		if err != nil {
			return err
		}
		want[string(b)]++
	}
	deadline := r.until(wait)
	var got []string
	for len(got) < len(list) {
		d, err := c.nextDatagram(deadline)
		if err != nil {
			break
		}
		got = append(got, string(d))
	}
	left := map[string]int{}
	for k, n := range want {
		left[k] = n
	}
	var extra []string
	for _, g := range got {
		if left[g] > 0 {
			left[g]--
		} else {
			extra = append(extra, fmt.Sprintf("%q", g))
		}
	}
	var missing []string
	for k, n := range left {
		for ; n > 0; n-- {
			missing = append(missing, fmt.Sprintf("%q", k))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	msg := fmt.Sprintf("Expected %d datagrams back, one for each sent (in any order), but %d came back within %s", len(list), len(got), wait)
	if len(extra) > 0 {
		msg += fmt.Sprintf(", and these were none of those sent: %s", strings.Join(atMost(extra, 3), ", "))
	}
	msg += fmt.Sprintf("; missing: %s.", strings.Join(atMost(missing, 3), ", "))
	if len(extra) > 0 {
		msg += " A datagram merged with another, or split, does not come back as it was sent."
	}
	f := failf("%s", msg)
	f.Got = strings.Join(got, "\n")
	return f
}

// noDatagram says that no datagram came, and where one went instead.
func (s *expectStep) noDatagram(r *runner, c *conn, wait time.Duration, err error, n int) error {
	var f *Failure
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		f = failf("Expected a datagram on socket %s, but none arrived within %s.", c.name, wait)
	default:
		f = failf("Expected a datagram on socket %s, but the socket failed: %v. Is your program still running?", c.name, err)
	}
	for _, other := range r.conns {
		if other == c || other.udp == nil {
			continue
		}
		for other.fill(time.Now().Add(time.Millisecond)) == nil {
		}
		if len(other.datagrams) > 0 {
			f.Msg += fmt.Sprintf(" One arrived on socket %s instead, %q: answer each datagram to the address it came from (recvfrom, then sendto that address).", other.name, other.datagrams[len(other.datagrams)-1])
			break
		}
	}
	return f
}
