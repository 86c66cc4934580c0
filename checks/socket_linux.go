//go:build linux

package checks

import (
	"net"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// unacked is how many bytes sent on c its peer has not acknowledged yet
// (SIOCOUTQ); on loopback the peer's kernel acknowledges what it took in.
func unacked(c *net.TCPConn) int {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0
	}
	n := 0
	_ = raw.Control(func(fd uintptr) {
		n, err = unix.IoctlGetInt(int(fd), unix.SIOCOUTQ)
	})
	if err != nil {
		return 0
	}
	return n
}

// readableWithin waits at most d for the socket to have something to read
// (bytes, a datagram, its end or an error), and tells whether it has; known
// is false where it cannot tell. Go's own timers wake no sooner than a
// millisecond later (its poller waits in whole milliseconds); a watch that
// looks at the program every fraction of one waits here instead, with
// ppoll's nanoseconds.
func readableWithin(s syscall.Conn, d time.Duration) (readable, known bool) {
	raw, err := s.SyscallConn()
	if err != nil {
		return false, false
	}
	if d < 0 {
		d = 0
	}
	ts := unix.NsecToTimespec(int64(d))
	err = raw.Control(func(fd uintptr) {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		for {
			n, perr := unix.Ppoll(fds, &ts, nil)
			if perr == unix.EINTR {
				continue // Go's preemption signals; the wait starts again, a little longer
			}
			readable, known = n > 0, perr == nil
			return
		}
	})
	return readable, known && err == nil
}

// nap sleeps for d, however short: time.Sleep sleeps a millisecond at least
// where nothing else wakes Go's poller.
func nap(d time.Duration) {
	ts := unix.NsecToTimespec(int64(d))
	for unix.Nanosleep(&ts, &ts) == unix.EINTR {
	}
}
