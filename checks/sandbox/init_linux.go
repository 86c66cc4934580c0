package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// init runs the init mode when this binary was started as one. It must run
// before anything else in the program: the environment variable is the only
// sign, and the process exits (or becomes the student's program) here.
// Hooking it in the package's init, not in a main, makes it work in every
// binary that links the package, test binaries included.
func init() {
	switch os.Getenv(initEnv) {
	case "":
		return
	case "program":
		runInit()
	case "starter":
		runStarter()
	case "probe":
		os.Exit(probeChild())
	}
	os.Exit(127)
}

// runInit is the child's side of the protocol in spec_linux.go. Every step
// that can fail says which on the socket and exits 127. It never returns.
func runInit() {
	// Landlock, no_new_privs, the parent-death signal and the uid change
	// below are properties of one thread; the exec must happen on it.
	runtime.LockOSThread()
	syscall.CloseOnExec(initFd)
	fail := func(stage string, err error) {
		_ = unix.Sendmsg(initFd, []byte(failure(stage, err)), nil, nil, 0)
		os.Exit(127)
	}
	buf := make([]byte, 1<<20)
	n, _, _, _, err := unix.Recvmsg(initFd, buf, nil, 0)
	if err != nil || n == 0 {
		os.Exit(127)
	}
	setup := confineAs(buf[:n], fail)
	// As /proc numbers us, read before a /proc of our own was mounted.
	if err := unix.Sendmsg(initFd, []byte("ready "+itoa(procPid)), nil, nil, 0); err != nil {
		os.Exit(127)
	}
	oob := make([]byte, unix.CmsgSpace(3*4))
	n, oobn, _, _, err := unix.Recvmsg(initFd, buf, oob, unix.MSG_CMSG_CLOEXEC)
	if err != nil || n == 0 {
		os.Exit(0) // discarded before it was needed
	}
	var req execRequest
	if err := json.Unmarshal(buf[:n], &req); err != nil {
		fail("read request", err)
	}
	fds, err := receivedFds(oob[:oobn])
	if err != nil || len(fds) != 3 {
		fail("receive the program's streams", fmt.Errorf("got %d descriptors: %v", len(fds), err))
	}
	if err := becomeProgram(setup); err != nil {
		var se *StartError
		if errors.As(err, &se) {
			fail(se.Stage, se.Err)
		}
		fail("setup", err)
	}
	for i, fd := range fds {
		if err := unix.Dup3(fd, i, 0); err != nil {
			fail("attach the program's streams", err)
		}
	}
	var none unix.Sigset_t
	_ = unix.PthreadSigmask(unix.SIG_SETMASK, &none, nil)
	err = unix.Exec(req.Path, req.Argv, req.Env)
	fail("exec", err)
}

// confineAs reads the setup in msg and confines this process so
// (confineSelf); fail reports a step that failed and exits.
func confineAs(msg []byte, fail func(stage string, err error)) *initSetup {
	var setup initSetup
	if err := json.Unmarshal(msg, &setup); err != nil {
		fail("read setup", err)
	}
	if err := confineSelf(&setup); err != nil {
		var se *StartError
		if errors.As(err, &se) {
			fail(se.Stage, se.Err)
		}
		fail("setup", err)
	}
	return &setup
}

// failure is "stage: message (errno N)", as startError reads it back.
func failure(stage string, err error) string {
	var errno syscall.Errno
	msg := fmt.Sprintf("%s: %v", stage, err)
	if errors.As(err, &errno) {
		msg += fmt.Sprintf(" (errno %d)", int(errno))
	}
	return msg
}

// procPid is this process as /proc numbers it.
var procPid int

// confineSelf does what the setup says can be done ahead, while the init
// waits: everything but taking the program's uid, so that an init made
// ahead counts for nothing in the uid's RLIMIT_NPROC while the previous
// program still runs under it. Landlock is in force from here (root of
// its namespace may restrict itself without no_new_privs).
func confineSelf(s *initSetup) error {
	self, err := os.Readlink("/proc/self")
	if err != nil {
		return &StartError{Stage: "read /proc/self", Err: err}
	}
	procPid, _ = strconv.Atoi(self)
	if s.Mounts != nil {
		if err := applyMounts(s.Mounts); err != nil {
			return &StartError{Stage: "mounts", Err: err}
		}
	}
	for _, r := range s.Rlimits {
		if err := unix.Setrlimit(r.Resource, &unix.Rlimit{Cur: r.Cur, Max: r.Max}); err != nil {
			return &StartError{Stage: "setrlimit", Err: err}
		}
	}
	if err := unix.Chdir(s.Dir); err != nil {
		return &StartError{Stage: "chdir", Err: err}
	}
	if s.Landlock != nil {
		restrict, err := prepareLandlock(s.Landlock)
		if err == nil {
			err = restrict()
		}
		if err != nil {
			return &StartError{Stage: "landlock", Err: err}
		}
	}
	if s.DropCaps {
		if err := dropCapabilities(); err != nil {
			return &StartError{Stage: "drop capabilities", Err: err}
		}
	}
	return nil
}

// becomeProgram is the rest, once the program is wanted: its uid, no new
// privileges for good, and the parent-death signal again (a uid change
// clears it). If the grader died meanwhile, the socket says so and the
// init stops here.
func becomeProgram(s *initSetup) error {
	if s.Uid >= 0 {
		if err := becomeUser(s.Uid, s.Gid); err != nil {
			return &StartError{Stage: "change user", Err: err}
		}
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return &StartError{Stage: "no_new_privs", Err: err}
	}
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0); err != nil {
		return &StartError{Stage: "pdeathsig", Err: err}
	}
	var b [1]byte
	if n, _, err := unix.Recvfrom(initFd, b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT); n == 0 && err == nil {
		os.Exit(0) // the grader is gone
	}
	return nil
}

func receivedFds(oob []byte) ([]int, error) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, err
	}
	var fds []int
	for _, m := range msgs {
		f, err := unix.ParseUnixRights(&m)
		if err != nil {
			return nil, err
		}
		fds = append(fds, f...)
	}
	return fds, nil
}

// becomeUser switches this thread to uid and gid with no supplementary
// groups. Raw per-thread system calls on purpose: the exec happens on this
// thread, and the others vanish with it.
func becomeUser(uid, gid int) error {
	if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, 0, 0, 0); e != 0 {
		return fmt.Errorf("setgroups: %w", e)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, uintptr(gid), uintptr(gid), uintptr(gid)); e != 0 {
		return fmt.Errorf("setresgid %d: %w", gid, e)
	}
	if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, uintptr(uid), uintptr(uid), uintptr(uid)); e != 0 {
		return fmt.Errorf("setresuid %d: %w", uid, e)
	}
	return nil
}

// dropCapabilities leaves uid 0 of a user namespace without capabilities,
// now and after exec: the program then owns its namespace in name only and
// cannot undo the mounts, the limits or the confinement set up for it.
func dropCapabilities() error {
	// linux/securebits.h: NOROOT, NO_SETUID_FIXUP, KEEP_CAPS (off) and
	// NO_CAP_AMBIENT_RAISE, each with its lock bit.
	const bits = 1<<0 | 1<<1 | 1<<2 | 1<<3 | 1<<5 | 1<<6 | 1<<7
	if err := unix.Prctl(unix.PR_SET_SECUREBITS, bits, 0, 0, 0); err != nil {
		return fmt.Errorf("securebits: %w", err)
	}
	for c := 0; c <= unix.CAP_LAST_CAP; c++ {
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); err != nil && err != unix.EINVAL {
			return fmt.Errorf("drop capability %d from the bounding set: %w", c, err)
		}
	}
	_ = unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset: %w", err)
	}
	return nil
}

// probeChild is the init mode's self-test: started with the flags the
// grader means to use, it checks that it can also do what comes after.
func probeChild() int {
	runtime.LockOSThread()
	if os.Getenv(initEnv+"_NEST") != "" {
		// The re-executed grader must be able to make namespaces of its
		// own: Ubuntu's AppArmor lets an unprivileged user namespace be
		// created, then refuses everything in it.
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			fmt.Fprintf(os.Stderr, "unshare(CLONE_NEWNET): %v", err)
			return 1
		}
		if err := loopbackUp(); err != nil {
			fmt.Fprintf(os.Stderr, "bring loopback up: %v", err)
			return 1
		}
	}
	if os.Getenv(initEnv+"_MOUNT") != "" {
		if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
			fmt.Fprintf(os.Stderr, "mount: %v", err)
			return 1
		}
		if err := unix.Mount("tmpfs", "/tmp", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=1m"); err != nil {
			fmt.Fprintf(os.Stderr, "mount tmpfs: %v", err)
			return 1
		}
		if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
			fmt.Fprintf(os.Stderr, "mount /proc: %v", err)
			return 1
		}
	}
	return 0
}

// itoa is strconv.Itoa, shorter at call sites.
func itoa(n int) string { return strconv.Itoa(n) }
