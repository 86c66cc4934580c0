package sandbox

import (
	"os/exec"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// Programs are started from a few OS threads that stay locked for the
// grader's whole life. A child's parent-death signal fires when the thread
// that started it ends, not the process (golang/go#27505): a child started
// from a thread that the runtime later discards (one left locked after a
// failed setns) would be killed mid-check. These threads never end. They
// also enter the program's network namespace and cgroups for the fork, so
// the child is born in them (cgroups.enter).
const spawners = 4

type spawnReq struct {
	n    *Net
	cg   *cgroups // nil: none
	cmd  *exec.Cmd
	errc chan error
}

var (
	spawnOnce sync.Once
	spawnQ    = make(chan spawnReq)
)

// spawn starts cmd inside n (nil: the grader's own network) and, where
// cg is not nil, in its groups.
func spawn(n *Net, cg *cgroups, cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		for range spawners {
			go spawner()
		}
	})
	req := spawnReq{n: n, cg: cg, cmd: cmd, errc: make(chan error, 1)}
	spawnQ <- req
	return <-req.errc
}

func spawner() {
	runtime.LockOSThread() // never unlocked
	for req := range spawnQ {
		entered := false
		if req.n != nil && req.n.fd >= 0 {
			if err := req.n.enter(); err != nil {
				req.errc <- err
				continue
			}
			entered = true
		}
		joined, home := req.cg.enter()
		err := req.cmd.Start()
		left := req.cg.leave(home)
		if err == nil && !joined {
			req.cg.attach(req.cmd.Process.Pid)
		}
		if entered && !backHome() || !left {
			// Stuck in the program's namespace or groups: this thread must
			// start nothing more, and must not end either. Another takes
			// its place.
			go spawner()
			req.errc <- err
			<-make(chan struct{})
		}
		req.errc <- err
	}
}

func backHome() bool {
	host, err := hostNamespace()
	return err == nil && unix.Setns(host, unix.CLONE_NEWNET) == nil
}
