//go:build linux

package proc

import (
	"os"
	"strconv"
	"strings"

	"github.com/acme-lab/grader/checks/sandbox"
)

// Listening TCP sockets and bound UDP ones are seen through sock_diag in
// the program's network (sandbox.Net). In a network of its own, every
// socket but the grader's is the program's. In the grader's own, the
// machine's, they are tied to the program's tree by inode, through
// /proc/PID/fd.

func canDiscover() bool {
	_, err := sandbox.HostNet().Listening()
	return err == nil
}

func (p *Process) listening() ([]Listener, error) {
	return p.owned(p.net.Listening())
}

// boundUDP lists the UDP sockets of the tree that are bound to a port and
// not connected: those that receive from anyone, as a server's do.
func (p *Process) boundUDP() ([]Listener, error) {
	return p.owned(p.net.BoundUDP())
}

// owned keeps the sockets that belong to the program: all of them in a
// network of its own; in the machine's, those its tree holds, remembering
// the others so that a poll that sees nothing new costs no walk of /proc.
func (p *Process) owned(socks []sandbox.Socket, err error) ([]Listener, error) {
	if err != nil {
		return nil, err
	}
	if p.net.Isolated() {
		out := make([]Listener, 0, len(socks))
		for _, s := range socks {
			out = append(out, Listener{Addr: s.Addr, Port: s.Port})
		}
		return out, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.listened.foreign == nil {
		p.listened.foreign = map[uint32]bool{}
	}
	unknown := false
	for _, s := range socks {
		if !p.listened.foreign[s.Inode] {
			unknown = true
			break
		}
	}
	if !unknown {
		return nil, nil
	}
	ours := p.socketInodes()
	var out []Listener
	for _, s := range socks {
		if ours[s.Inode] {
			out = append(out, Listener{Addr: s.Addr, Port: s.Port})
		} else {
			p.listened.foreign[s.Inode] = true
		}
	}
	return out, nil
}

// socketInodes collects the socket inodes held open by the tree.
func (p *Process) socketInodes() map[uint32]bool {
	out := map[uint32]bool{}
	for _, info := range p.tree() {
		dir := "/proc/" + strconv.Itoa(info.pid) + "/fd/"
		f, err := os.Open(dir)
		if err != nil {
			continue
		}
		names, _ := f.Readdirnames(-1)
		f.Close()
		for _, n := range names {
			link, err := os.Readlink(dir + n)
			if err != nil || !strings.HasPrefix(link, "socket:[") {
				continue
			}
			ino, err := strconv.ParseUint(strings.TrimSuffix(link[len("socket:["):], "]"), 10, 32)
			if err == nil {
				out[uint32(ino)] = true
			}
		}
	}
	return out
}
