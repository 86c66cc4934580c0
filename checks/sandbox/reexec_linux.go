package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// outerEnv marks the grader that Reexec started: it is uid 0 of a user
// namespace of its own, and must not re-execute itself again.
const outerEnv = "GRADER_SANDBOX_USERNS"

// reexecWhy says why Reexec could not re-execute, for Why.
var reexecWhy string

// Reexec lets a grader started by an ordinary user isolate programs: it
// runs this binary again, with the same arguments and streams, as uid 0 of
// new user, network and PID namespaces (its uid and gid mapped to the
// caller's), waits for it, and returns its exit status with done true. The
// caller then exits with that status. Signals are passed on; if this
// process is killed, the new one is killed with it, and with it every
// program it started.
//
// It does nothing (done false) for root, for Off, inside a grader it
// started, or where user namespaces are refused; Why then says why.
// Call it first thing in main, before other goroutines start.
func Reexec(c Choice) (code int, done bool) {
	if c == Off || os.Geteuid() == 0 || os.Getenv(outerEnv) != "" {
		return 0, false
	}
	if err := userNamespacesWork(); err != nil {
		reexecWhy = err.Error()
		return 0, false
	}
	// The parent-death signal is tied to the thread that starts the child.
	runtime.LockOSThread()
	cmd := exec.Command("/proc/self/exe", os.Args[1:]...)
	cmd.Args[0] = os.Args[0]
	cmd.Env = append(os.Environ(), outerEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = reexecAttr()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		reexecWhy = "the grader could not re-execute itself in a user namespace: " + err.Error()
		return 0, false
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, true
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), true
		}
		return ee.ExitCode(), true
	}
	fmt.Fprintf(os.Stderr, "grader: %v\n", err)
	return 2, true
}

func reexecAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{
		Cloneflags:  unix.CLONE_NEWUSER | unix.CLONE_NEWNET | unix.CLONE_NEWPID | unix.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
		Pdeathsig:   syscall.SIGKILL,
	}
}

var (
	usernsOnce sync.Once
	usernsErr  error
)

// userNamespacesWork asks a throwaway child, once, whether Reexec would
// work: Ubuntu's AppArmor creates the user namespace, then refuses
// everything done in it.
func userNamespacesWork() error {
	usernsOnce.Do(func() {
		probe := exec.Command("/proc/self/exe")
		probe.Env = []string{initEnv + "=probe", initEnv + "_NEST=1", initEnv + "_MOUNT=1", "GOMAXPROCS=1"}
		probe.SysProcAttr = reexecAttr()
		if out, err := probe.CombinedOutput(); err != nil {
			usernsErr = fmt.Errorf("user namespaces are refused here (%v%s)", err, orColon(string(out)))
		}
	})
	return usernsErr
}

// CanIsolate tells whether programs started by this binary's grader
// command would be isolated: as root, by the namespaces themselves; as an
// ordinary user, through Reexec.
func CanIsolate() bool {
	if os.Geteuid() != 0 {
		return userNamespacesWork() == nil
	}
	m, _ := available()
	return m.Isolated()
}

func orColon(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// The grader that Reexec started has a network namespace of its own whose
// loopback is down, and the machine's /proc, where its own children's pids
// name other processes (os/exec itself writes /proc/PID/uid_map): bring
// the loopback up and mount a /proc of its PID namespace before anything
// needs them.
func init() {
	if os.Getenv(outerEnv) != "" && os.Getenv(initEnv) == "" && os.Getpid() == 1 {
		if err := ownProc(); err != nil {
			fmt.Fprintf(os.Stderr, "grader: %v\n", err)
			os.Exit(2)
		}
		_ = loopbackUp()
	}
}

func ownProc() error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make / private: %w", err)
	}
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mount /proc: %w", err)
	}
	return nil
}
