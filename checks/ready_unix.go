//go:build unix

package checks

import "golang.org/x/sys/unix"

// readable polls a socket without waiting: true when a read would not
// block (bytes, end of stream, or an error are there).
func readable(fd uintptr) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	return err != nil || (n > 0 && fds[0].Revents != 0)
}
