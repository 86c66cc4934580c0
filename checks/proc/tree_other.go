//go:build !linux && !windows

package proc

import (
	"syscall"
	"time"
)

// enableSubreaper has no portable equivalent: outside Linux, a daemon that
// left the process group is out of reach (documented in README).
func enableSubreaper() {}

func killTree(p *Process, grace time.Duration) {
	if grace > 0 && !p.Exited() {
		_ = syscall.Kill(-p.Pid, syscall.SIGTERM)
		deadline := time.Now().Add(grace)
		for time.Now().Before(deadline) && !p.Exited() {
			time.Sleep(2 * time.Millisecond)
		}
	}
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	p.prog.Kill()
}
