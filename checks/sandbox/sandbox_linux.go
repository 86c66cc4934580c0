package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

var (
	probeOnce sync.Once
	probeMode Mode
	probeWhy  string
)

// available probes, once, what this process can do: root of the machine
// (Namespaces), root of a user namespace (UserNamespaces), or neither.
// The probe starts one init with the very flags a program would get.
func available() (Mode, string) {
	probeOnce.Do(func() { probeMode, probeWhy = probe() })
	return probeMode, probeWhy
}

func probe() (Mode, string) {
	if os.Geteuid() != 0 {
		if reexecWhy != "" {
			return None, reexecWhy
		}
		return None, "the grader runs as an ordinary user and was not re-executed in a user namespace of its own (the grader command does that by itself)"
	}
	mode := Namespaces
	if inUserNamespace() {
		mode = UserNamespaces
	}
	launchEarly(mode)
	m, why := probeStart(mode)
	if m == None {
		dropEarly(mode)
	}
	return m, why
}

// probeStart starts one init with the very flags a program would get.
func probeStart(mode Mode) (Mode, string) {
	n, err := newNet()
	if err != nil {
		return None, "network namespaces are refused here: " + err.Error()
	}
	defer n.Close()
	cmd := exec.Command("/proc/self/exe")
	cmd.Env = []string{initEnv + "=probe", initEnv + "_MOUNT=1", "GOMAXPROCS=1"}
	cmd.SysProcAttr = cloneAttr(mode)
	if err := spawn(n, nil, cmd); err != nil {
		return None, "PID and mount namespaces are refused here: " + err.Error()
	}
	if err := cmd.Wait(); err != nil {
		return None, "a sandboxed start failed here: " + err.Error()
	}
	return mode, ""
}

// inUserNamespace tells whether this process is in a user namespace other
// than the machine's, whose uid map is the identity over every uid.
func inUserNamespace() bool {
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	return !(len(f) == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295")
}

// Sandbox holds what every start of one submission's program shares: the
// user it runs as and the folder it works in.
type Sandbox struct {
	mode    Mode
	dir     string // where the program works: the folder, or its copy
	work    string // the copy's private parent, removed by Close
	slot    *slot
	limits  Limits
	confine Confinement

	mu      sync.Mutex // guards what is made ahead (spare_linux.go)
	spare   *spare
	starter *starter // the run's, as root (starter_linux.go)
	closed  bool
	plain   bool // Plain's: nothing is made ahead

	live    sync.WaitGroup // programs started and not yet reaped
	warming sync.WaitGroup // inits being made ahead in a network in use
}

// New prepares the sandbox of one run. As root it takes a slot and copies
// the submission folder for it.
func New(cfg Config) (*Sandbox, error) {
	s := &Sandbox{mode: cfg.Mode, dir: cfg.Dir, limits: cfg.Limits.WithDefaults(), confine: cfg.Confinement}
	if s.confine == ConfineAuto && LandlockABI() == 0 {
		s.confine = ConfineMount
	}
	if s.mode != Namespaces {
		return s, nil
	}
	sweepStaleCopies()
	sl, err := takeSlot()
	if err != nil {
		return nil, err
	}
	s.slot = sl
	work, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", workPrefix, os.Getpid()))
	if err == nil {
		// The program may pass through, not look around.
		err = os.Chmod(work, 0o711)
	}
	if err != nil {
		sl.release()
		return nil, fmt.Errorf("make the sandbox's folder: %w", err)
	}
	s.work = work
	s.dir = filepath.Join(work, filepath.Base(cfg.Dir))
	if err := copyTree(cfg.Dir, s.dir, sl.uid(), sl.uid()); err != nil {
		s.Close()
		return nil, fmt.Errorf("copy the submission folder for the sandbox: %w", err)
	}
	return s, nil
}

var (
	plainOnce sync.Once
	plain     *Sandbox
)

// Plain is a sandbox that isolates nothing (mode None) and holds programs
// to the default limits, for callers that start a program with none.
func Plain() *Sandbox {
	plainOnce.Do(func() {
		plain = &Sandbox{mode: None, limits: DefaultLimits, confine: ConfineAuto, plain: true}
	})
	return plain
}

// Mode is the isolation programs get.
func (s *Sandbox) Mode() Mode { return s.mode }

// Dir is the folder the program works in: the submission folder, or its
// private copy.
func (s *Sandbox) Dir() string { return s.dir }

// User is the uid programs run as, -1 when it is the grader's own.
func (s *Sandbox) User() int {
	if s.slot == nil {
		return -1
	}
	return s.slot.uid()
}

// NewNet gives a start its network: a namespace of its own, or, in mode
// None, the machine's.
func (s *Sandbox) NewNet() (*Net, error) {
	if !s.mode.Isolated() {
		return HostNet(), nil
	}
	if n := s.takeSpare(); n != nil {
		return n, nil
	}
	return newNet()
}

// Close removes the copy and frees the slot. Programs must be stopped.
func (s *Sandbox) Close() error {
	s.dropSpares()
	// A program whose namespace is still dying (a fork bomb's takes a
	// while on a busy machine) still has cgroups to remove.
	reaped := make(chan struct{})
	go func() { s.live.Wait(); close(reaped) }()
	select {
	case <-reaped:
	case <-time.After(5 * time.Second):
	}
	s.mu.Lock()
	st := s.starter
	s.starter = nil
	s.mu.Unlock()
	if st != nil {
		<-st.ready
		st.stop()
	}
	var err error
	if s.work != "" {
		err = os.RemoveAll(s.work)
		s.work = ""
	}
	s.slot.release()
	s.slot = nil
	return err
}

// cloneAttr is how the init is born: PID 1 of new PID and mount
// namespaces, killed with the grader, in a session of its own: a Ctrl-C at
// the terminal reaches the grader, which stops it, not the program, and
// the program has no controlling terminal to print on or type into. An unprivileged grader's programs also get a user namespace of
// their own each, so that RLIMIT_NPROC counts each program's processes
// apart; its uid 0 maps to the grader's and has no capabilities left by the
// time the program runs.
func cloneAttr(m Mode) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	switch m {
	case Namespaces:
		a.Cloneflags = unix.CLONE_NEWPID | unix.CLONE_NEWNS
	case UserNamespaces:
		a.Cloneflags = unix.CLONE_NEWPID | unix.CLONE_NEWNS | unix.CLONE_NEWUSER
		a.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}}
		a.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}}
		// setgroups stays denied, as in the grader's own namespace: a
		// child namespace may not allow what its parent denies.
		a.GidMappingsEnableSetgroups = false
	}
	return a
}
