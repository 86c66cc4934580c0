package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// StartError is a start that failed inside the init, before or at the exec
// of the program; Err is the system's error where there is one.
type StartError struct {
	Stage string // "exec", "chdir", "mounts"…
	Msg   string
	Err   error
}

func (e *StartError) Error() string {
	if e.Msg == "" && e.Err != nil {
		return "sandbox: " + e.Stage + ": " + e.Err.Error()
	}
	return "sandbox: " + e.Stage + ": " + e.Msg
}
func (e *StartError) Unwrap() error { return e.Err }

// initTimeout bounds the init's work, from fork to exec.
const initTimeout = 10 * time.Second

// initProc is an init, confined and waiting for its program.
type initProc struct {
	cmd     *exec.Cmd
	sock    *net.UnixConn
	procPid int
	setup   *initSetup
	cg      *cgroups
}

// spawnInit starts an init in n and has it confine itself.
func (s *Sandbox) spawnInit(n *Net, setup *initSetup) (*initProc, error) {
	ip, err := launchInit(s.mode, n, s.limits)
	if err != nil {
		return nil, err
	}
	if err := ip.configure(setup); err != nil {
		return nil, err
	}
	return ip, nil
}

// launchInit starts an init in n, born in groups of its own with the
// limits l, where it waits for its setup (configure).
func launchInit(m Mode, n *Net, l Limits) (*initProc, error) {
	return launchProcess(m, n, l, "program")
}

// launchProcess starts the grader binary in n in the init mode role
// ("program" or "starter"), as launchInit says.
func launchProcess(m Mode, n *Net, l Limits, role string) (*initProc, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socketpair: %w", err)
	}
	child := os.NewFile(uintptr(fds[1]), "init")
	ours := os.NewFile(uintptr(fds[0]), "grader")
	conn, err := net.FileConn(ours)
	ours.Close()
	if err != nil {
		child.Close()
		return nil, err
	}
	cmd := exec.Command("/proc/self/exe")
	cmd.Args = []string{"grader-sandbox-init"}
	// GOMAXPROCS set spares the Go runtime of the init its look through
	// the cgroup files for a CPU limit.
	cmd.Env = []string{initEnv + "=" + role, "GOMAXPROCS=1", "GOGC=off"}
	if role == "starter" {
		// Its thread waits in a system call for the next request, holding
		// its P until the runtime's monitor takes it back (up to 10 ms
		// later): the reaper needs a P of its own to pass on an end at once.
		// It lives for the run: a collector.
		cmd.Env = []string{initEnv + "=" + role, "GOMAXPROCS=2"}
	}
	cmd.ExtraFiles = []*os.File{child}
	cmd.SysProcAttr = cloneAttr(m)
	// The init is born in its groups: nothing of the program's runs
	// outside them.
	cg := newGroups(newTag(), l)
	err = spawn(n, cg, cmd)
	child.Close()
	if err != nil {
		conn.Close()
		cg.remove()
		return nil, err
	}
	return &initProc{cmd: cmd, sock: conn.(*net.UnixConn), cg: cg}, nil
}

// configure sends a launched init its setup and waits until it has
// confined itself; on failure the init is discarded.
func (ip *initProc) configure(setup *initSetup) error {
	ip.setup = setup
	return ip.handOver(setup, nil)
}

// handOver sends a launched init or starter its setup, with the
// descriptors files, and waits until it has confined itself; on failure
// it is discarded.
func (ip *initProc) handOver(setup *initSetup, files []*os.File) error {
	msg, _ := json.Marshal(setup)
	var oob []byte
	if len(files) > 0 {
		oob = unix.UnixRights(fdsOf(files)...)
	}
	if _, _, err := ip.sock.WriteMsgUnix(msg, oob, nil); err != nil {
		return ip.discard(fmt.Errorf("send the sandbox's setup: %w", err))
	}
	reply, err := ip.read()
	if err != nil {
		return ip.discard(err)
	}
	pid, ok := strings.CutPrefix(reply, "ready ")
	if !ok {
		return ip.discard(startError(reply, ""))
	}
	ip.procPid, _ = strconv.Atoi(pid)
	return nil
}

// read waits for the init's next message; "" means it closed the socket.
func (ip *initProc) read() (string, error) {
	_ = ip.sock.SetReadDeadline(time.Now().Add(initTimeout))
	buf := make([]byte, 4096)
	n, err := ip.sock.Read(buf)
	if n == 0 && err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return "", nil
	}
	if err != nil && n == 0 {
		return "", fmt.Errorf("the sandbox's init did not answer: %w", err)
	}
	return string(buf[:n]), nil
}

// exec has the init become the program, with stdio as its standard
// streams, and returns once it did (or failed to).
func (ip *initProc) exec(c Command, stdio [3]*os.File) error {
	msg, _ := json.Marshal(execRequest{Path: c.Path, Argv: c.Args, Env: c.Env})
	if _, _, err := ip.sock.WriteMsgUnix(msg, unix.UnixRights(fdsOf(stdio[:])...), nil); err != nil {
		return fmt.Errorf("send the program to the sandbox's init: %w", err)
	}
	reply, err := ip.read()
	if err != nil {
		return err
	}
	if reply != "" {
		return startError(reply, c.Path)
	}
	ip.sock.Close()
	return nil
}

// discard ends an init that will not be used, and returns err.
func (ip *initProc) discard(err error) error {
	ip.sock.Close()
	_ = ip.cmd.Process.Kill()
	_ = ip.cmd.Wait()
	ip.cg.remove()
	return err
}

// startError rebuilds the init's "stage: message (errno N)".
func startError(text, path string) error {
	stage, msg, _ := strings.Cut(text, ": ")
	e := &StartError{Stage: stage, Msg: msg}
	if i := strings.LastIndex(msg, "(errno "); i >= 0 {
		if n, err := strconv.Atoi(strings.TrimSuffix(msg[i+len("(errno "):], ")")); err == nil {
			e.Msg = strings.TrimSpace(msg[:i])
			e.Err = syscall.Errno(n)
			if stage == "exec" {
				e.Err = &os.PathError{Op: "exec", Path: path, Err: syscall.Errno(n)}
			}
		}
	}
	return e
}

// fdsOf are the descriptors of files, to pass in a message.
func fdsOf(files []*os.File) []int {
	fds := make([]int, len(files))
	for i, f := range files {
		fds[i] = int(f.Fd())
	}
	return fds
}

func sameSetup(a, b *initSetup) bool { return reflect.DeepEqual(a, b) }

// Start starts c in the network n, with stdio as its standard input,
// output and error (the caller closes its copies afterwards): forked by the
// run's starter (root), or through an init that confines it as the
// sandbox's mode says and then becomes it. An init made ahead for n is
// used when it was set up alike.
func (s *Sandbox) Start(n *Net, c Command, stdio [3]*os.File) (*Program, error) {
	setup := s.setupFor(c)
	first, pid, cg, err := s.startFirst(n, c, stdio, setup)
	if err != nil {
		return nil, err
	}
	s.live.Add(1)
	p := &Program{Pid: pid, first: first, isolated: s.mode.Isolated(), limits: s.limits, cg: cg, done: make(chan struct{}), live: &s.live}
	if !p.cg.has("memory") {
		go p.watchMemory()
	}
	s.prepareNext(setup)
	s.rewarm(n, setup, c.Again)
	return p, nil
}

// startFirst starts the program's first process and says its pid, as
// /proc numbers it, and its groups.
func (s *Sandbox) startFirst(n *Net, c Command, stdio [3]*os.File, setup *initSetup) (firstProcess, int, *cgroups, error) {
	ip := s.takeWarm(n, setup)
	if ip == nil {
		if st := s.starterFor(setup); st != nil && n.Isolated() && st.usable() {
			f, cg, err := st.start(n, c, stdio, s.limits)
			if err == nil {
				return f, f.gpid, cg, nil
			}
			if !errors.Is(err, errStarterGone) {
				return nil, 0, nil, err
			}
		}
		var err error
		if ip, err = s.spawnInit(n, setup); err != nil {
			return nil, 0, nil, err
		}
	}
	if err := ip.exec(c, stdio); err != nil {
		return nil, 0, nil, ip.discard(err)
	}
	return child{ip.cmd}, ip.procPid, ip.cg, nil
}
