// Package proc starts a submission's program and owns it until it is gone:
// its whole process tree, its output, and the ports it listens on.
//
// Every Start is paired with a Stop that kills the tree, including children
// that left the process group with setsid; nothing is waited on without a
// deadline. The platform files hold what differs: how the tree is found and
// killed, and how listening ports are seen.
package proc

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// TagVar is set in every started program's environment, so that descendants
// which escaped the process group can still be told apart as ours.
const TagVar = "GRADER_RUN_TAG"

// Spec is what to start and where.
type Spec struct {
	Argv   []string
	Dir    string
	Env    []string // the complete environment
	Stdout io.Writer
	Stderr io.Writer
	Limits Limits // zero: DefaultLimits
}

// Process is one started program and everything it spawned.
type Process struct {
	Pid   int
	tag   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}

	limits *cgroups
	hits   []string

	mu       sync.Mutex
	waitErr  error
	stopped  bool
	listened listenCache
}

// ErrNotFound reports a program that could not be started at all.
var ErrNotFound = errors.New("program not found")

// Start runs spec. The program's stdin is an open pipe (as at a terminal
// where nobody types yet); stdout and stderr are drained to spec's writers.
func Start(spec Spec) (*Process, error) {
	if len(spec.Argv) == 0 {
		return nil, errors.New("start: empty command")
	}
	enableSubreaper()
	tag := newTag()
	argv := ResolveInterpreter(spec.Argv, spec.Dir)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = spec.Dir
	cmd.Env = append(append([]string(nil), spec.Env...), TagVar+"="+tag)
	cmd.Stdout = orDiscard(spec.Stdout)
	cmd.Stderr = orDiscard(spec.Stderr)
	cmd.SysProcAttr = sysProcAttr()
	// A daemonised grandchild may keep the pipes open after the tree is
	// killed; never let Wait hang on it.
	cmd.WaitDelay = 500 * time.Millisecond
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	if err := cmd.Start(); err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) || errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %q: %v", ErrNotFound, spec.Argv[0], err)
		}
		return nil, fmt.Errorf("start %q: %w", spec.Argv[0], err)
	}
	p := &Process{Pid: cmd.Process.Pid, tag: tag, cmd: cmd, stdin: stdin, done: make(chan struct{})}
	p.limits = confine(p.Pid, tag, spec.Limits)
	track(p)
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.waitErr = err
		p.mu.Unlock()
		close(p.done)
	}()
	return p, nil
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

func newTag() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Stdin is the program's standard input.
func (p *Process) Stdin() io.Writer { return p.stdin }

// CloseStdin sends end-of-file to the program's standard input.
func (p *Process) CloseStdin() error { return p.stdin.Close() }

// Done is closed once the main process has exited and its output is drained.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the main process has exited, without waiting.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// ExitCode is the main process's exit status once Done is closed: its code,
// or -1 when a signal ended it.
func (p *Process) ExitCode() int {
	if !p.Exited() {
		return -1
	}
	return p.cmd.ProcessState.ExitCode()
}

// ExitDescription says in words how the program ended, for reports.
func (p *Process) ExitDescription() string {
	if !p.Exited() {
		return "still running"
	}
	return describeExit(p.cmd.ProcessState)
}

// Stop kills the whole tree: SIGTERM, up to grace for it to go, then
// SIGKILL until no process of the tree is left. It returns once the main
// process is reaped or a deadline passed. Stop may be called more than once.
func (p *Process) Stop(grace time.Duration) {
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		<-p.waitDone(2 * time.Second)
		return
	}
	p.stopped = true
	p.mu.Unlock()
	_ = p.stdin.Close()
	killTree(p, grace)
	p.hits = p.limits.hitLimit()
	p.limits.remove()
	untrack(p)
	<-p.waitDone(2 * time.Second)
}

// HitLimits names the limits the program ran into ("the limit on
// processes"), so a verdict can say why a fork bomb stopped forking.
// Known once Stop returned.
func (p *Process) HitLimits() []string { return p.hits }

func (p *Process) waitDone(limit time.Duration) <-chan struct{} {
	out := make(chan struct{})
	go func() {
		defer close(out)
		select {
		case <-p.done:
		case <-time.After(limit):
		}
	}()
	return out
}

func describeExit(ps *os.ProcessState) string {
	if ps == nil {
		return "unknown"
	}
	return ps.String()
}
