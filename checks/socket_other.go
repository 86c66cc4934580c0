//go:build !linux

package checks

import (
	"net"
	"syscall"
	"time"
)

// unacked is not read here: a program settles only by ending anyway.
func unacked(*net.TCPConn) int { return 0 }

// readableWithin cannot tell here; reads wait with Go's own deadlines.
func readableWithin(syscall.Conn, time.Duration) (readable, known bool) { return false, false }

func nap(d time.Duration) { time.Sleep(d) }
