package sandbox

import "net/netip"

// Socket is a listening TCP socket, or a bound UDP one, as the kernel
// lists it.
type Socket struct {
	Addr       netip.Addr // as bound: 0.0.0.0, ::, 127.0.0.1…
	Port       int
	RemotePort int    // 0 unless connected
	Inode      uint32 // ties it to the process holding it, through /proc/PID/fd
	Unread     int    // a connected TCP socket's bytes received and not yet read
}
