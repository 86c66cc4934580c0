package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// runStarter is the starter's side of the protocol in starter_linux.go. It
// confines itself once, as an init does, and then forks each program it is
// sent, from the same thread, so that every program inherits that thread's
// confinement; it reaps them (it is PID 1 of the run's namespace) and says
// how each ended. It never returns: it exits when the grader closes the
// socket, and the kernel then kills whatever is left in its namespace.
func runStarter() {
	runtime.LockOSThread() // Landlock, no_new_privs and setns are the thread's
	syscall.CloseOnExec(initFd)
	fail := func(stage string, err error) {
		_ = unix.Sendmsg(initFd, []byte(failure(stage, err)), nil, nil, 0)
		os.Exit(127)
	}
	buf := make([]byte, 1<<20)
	oob := make([]byte, unix.CmsgSpace(16*4))
	n, oobn, _, _, err := unix.Recvmsg(initFd, buf, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil || n == 0 {
		os.Exit(127)
	}
	home, err := receivedFds(oob[:oobn])
	if err != nil {
		fail("receive the starter's groups", err)
	}
	setup := confineAs(buf[:n], fail)
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		fail("no_new_privs", err)
	}
	st := &forker{started: map[int]bool{}}
	// Before the first fork: a child that ends at once must find the
	// handler there.
	ended := make(chan os.Signal, 1)
	signal.Notify(ended, syscall.SIGCHLD)
	go st.reap(ended)
	if err := unix.Sendmsg(initFd, []byte("ready "+itoa(procPid)), nil, nil, 0); err != nil {
		os.Exit(127)
	}
	for {
		n, oobn, _, _, err := unix.Recvmsg(initFd, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			os.Exit(0)
		}
		fds, err := receivedFds(oob[:oobn])
		if err != nil {
			fail("receive the program's streams", err)
		}
		var req execRequest
		if err := json.Unmarshal(buf[:n], &req); err != nil {
			fail("read request", err)
		}
		if !st.start(setup, &req, fds, home) {
			// Stuck in a program's groups, every later program would be
			// born there: the grader starts the rest through inits.
			os.Exit(127)
		}
		closeFds(fds)
	}
}

// forker forks programs and reports their ends. A program's "started" is
// sent before its "exit": the fork and the message are made under mu,
// which the reaper takes before it reports.
type forker struct {
	mu      sync.Mutex
	started map[int]bool // programs not reaped yet, by pid
}

// start forks the program req names: its streams are fds[0:3], fds[3] is
// its network namespace and the rest are the tasks files of its groups,
// which this thread enters for the fork and leaves for home after. It
// says whether the thread is back home.
func (f *forker) start(s *initSetup, req *execRequest, fds, home []int) bool {
	reply := func(msg string, rights []byte) {
		_ = unix.Sendmsg(initFd, []byte(msg), rights, nil, 0)
	}
	if len(fds) < 4 {
		reply(failure("receive the program's streams", fmt.Errorf("got %d descriptors", len(fds))), nil)
		return true
	}
	if err := unix.Setns(fds[3], unix.CLONE_NEWNET); err != nil {
		reply(failure("enter the program's network", err), nil)
		return true
	}
	for _, t := range fds[4:] {
		if _, err := unix.Write(t, []byte("0")); err != nil {
			reply(failure("enter the program's groups", err), nil)
			return goHome(home)
		}
	}
	pidfd := -1
	attr := &syscall.ProcAttr{
		Env:   req.Env,
		Files: []uintptr{uintptr(fds[0]), uintptr(fds[1]), uintptr(fds[2])},
		Sys: &syscall.SysProcAttr{
			Setsid:     true,
			Pdeathsig:  syscall.SIGKILL,
			Cloneflags: unix.CLONE_NEWPID,
			Credential: &syscall.Credential{Uid: uint32(s.Uid), Gid: uint32(s.Gid)},
			PidFD:      &pidfd,
		},
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	pid, err := syscall.ForkExec(req.Path, req.Argv, attr)
	if err != nil {
		back := goHome(home)
		reply(failure("exec", err), nil)
		return back
	}
	f.started[pid] = true
	reply("started "+itoa(pid), unix.UnixRights(pidfd))
	unix.Close(pidfd)
	// After the reply: leaving a cpu group takes most of a millisecond
	// here, and the program is running already.
	return goHome(home)
}

func goHome(home []int) bool {
	for _, t := range home {
		if _, err := unix.Write(t, []byte("0")); err != nil {
			return false
		}
	}
	return true
}

// reap waits for every child that ends (PID 1 is the reaper of its
// namespace, so also the orphans of programs whose namespaces died) and
// reports the programs' ends: "exit PID STATUS USER-µs SYSTEM-µs".
func (f *forker) reap(ended chan os.Signal) {
	for range ended {
		for {
			var ws unix.WaitStatus
			var ru unix.Rusage
			pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, &ru)
			if err == unix.EINTR {
				continue
			}
			if pid <= 0 {
				break
			}
			f.mu.Lock()
			if f.started[pid] {
				delete(f.started, pid)
				msg := "exit " + itoa(pid) + " " + strconv.FormatUint(uint64(uint32(ws)), 10) + " " +
					strconv.FormatInt(ru.Utime.Nano()/1000, 10) + " " + strconv.FormatInt(ru.Stime.Nano()/1000, 10)
				_ = unix.Sendmsg(initFd, []byte(msg), nil, nil, 0)
			}
			f.mu.Unlock()
		}
	}
}
