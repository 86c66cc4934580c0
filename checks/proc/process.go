// Package proc starts a submission's program and owns it until it is gone:
// its whole process tree, its output, and the ports it listens on.
//
// Every Start is paired with a Stop that kills the tree; nothing is waited
// on without a deadline. How the program is isolated is the sandbox's
// business (checks/sandbox): proc asks it for a start in a network, and
// stops a sandboxed program by ending its PID namespace. Unsandboxed, it
// finds the tree itself, including children that left the process group
// with setsid; the platform files hold how.
package proc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/acme-lab/grader/checks/sandbox"
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
	// Sandbox isolates the program; nil: none, with the default limits.
	Sandbox *sandbox.Sandbox
	// Net is the network the program is started in, made by Sandbox;
	// nil: the grader's own.
	Net *sandbox.Net
	// Again: the program will be started again in Net (sandbox.Command).
	Again bool
}

// Process is one started program and everything it spawned.
type Process struct {
	Pid  int // its first process, as the grader signals it
	tag  string
	prog *sandbox.Program
	net  *sandbox.Net

	stdin *os.File
	done  chan struct{}
	state *sandbox.Exit

	mu       sync.Mutex
	stopped  bool
	hits     []sandbox.Limit
	listened listenCache

	started time.Time // just before the start: no thread of it is older
	waits   waitLog   // what Idle saw of threads that wait with a timeout
}

// ErrNotFound reports a program that could not be started at all.
var ErrNotFound = errors.New("program not found")

// DeniedError reports a program that was found but that the sandbox's user
// may not run: a file without the execute bit, or one in a folder that
// user may not enter.
type DeniedError struct {
	Path string // the file, as the grader found it
	Err  error
}

func (e *DeniedError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *DeniedError) Unwrap() error { return e.Err }

// waitDelay bounds how long output is still read after the program ended:
// a daemonised grandchild may keep the pipes open (never inside a PID
// namespace, where it dies with the program).
const waitDelay = 500 * time.Millisecond

// Start runs spec. The program's stdin is an open pipe (as at a terminal
// where nobody types yet); stdout and stderr are drained to spec's writers.
func Start(spec Spec) (*Process, error) {
	if len(spec.Argv) == 0 {
		return nil, errors.New("start: empty command")
	}
	enableSubreaper()
	sb := spec.Sandbox
	if sb == nil {
		sb = sandbox.Plain()
	}
	n := spec.Net
	if n == nil {
		n = sandbox.HostNet()
	}
	argv, path, err := resolve(spec)
	if err != nil {
		return nil, err
	}
	tag := newTag()
	env := append(append([]string(nil), spec.Env...), TagVar+"="+tag)
	var ours, theirs [3]*os.File
	for i := range ours {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll(ours[:], theirs[:])
			return nil, fmt.Errorf("start: %w", err)
		}
		if i == 0 {
			ours[i], theirs[i] = w, r
		} else {
			ours[i], theirs[i] = r, w
		}
	}
	started := time.Now()
	prog, err := sb.Start(n, sandbox.Command{Path: path, Args: argv, Env: env, Dir: spec.Dir, Again: spec.Again}, theirs)
	closeAll(theirs[:])
	if err != nil {
		closeAll(ours[:])
		var se *sandbox.StartError
		if errors.As(err, &se) && se.Stage == "exec" && errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %q: %v", ErrNotFound, spec.Argv[0], err)
		}
		if errors.As(err, &se) && se.Stage == "exec" && errors.Is(err, os.ErrPermission) {
			return nil, &DeniedError{Path: path, Err: err}
		}
		return nil, fmt.Errorf("start %q: %w", spec.Argv[0], err)
	}
	p := &Process{Pid: prog.GraderPid(), tag: tag, prog: prog, net: n, stdin: ours[0], done: make(chan struct{}), started: started}
	track(p)
	drained := make(chan struct{}, 2)
	for i, w := range []io.Writer{spec.Stdout, spec.Stderr} {
		r := ours[i+1]
		go func() {
			_, _ = io.Copy(orDiscard(w), r)
			drained <- struct{}{}
		}()
	}
	go func() {
		p.state, _ = prog.Wait()
		timeout := time.After(waitDelay)
		for got := 0; got < 2; {
			select {
			case <-drained:
				got++
			case <-timeout:
				// Unblocks the copies; what a daemon prints later is lost.
				ours[1].Close()
				ours[2].Close()
				timeout = nil
			}
		}
		ours[1].Close()
		ours[2].Close()
		close(p.done)
	}()
	return p, nil
}

// resolve finds what spec runs: its argv, an interpreter's shim resolved,
// and the path of the file executed.
func resolve(spec Spec) (argv []string, path string, err error) {
	argv = ResolveInterpreter(spec.Argv, spec.Dir)
	path, err = lookPath(argv[0], spec.Dir, spec.Env)
	if errors.Is(err, os.ErrPermission) {
		return nil, "", &DeniedError{Path: path, Err: err}
	}
	if err != nil {
		return nil, "", fmt.Errorf("%w: %q: %v", ErrNotFound, spec.Argv[0], err)
	}
	return argv, path, nil
}

// Expect tells spec's sandbox what its first start will be, as soon as
// that is known, so that it is prepared before it is asked for. Nothing is
// started; a spec that cannot be resolved is left to Start to report.
func Expect(spec Spec) {
	if len(spec.Argv) == 0 || spec.Sandbox == nil {
		return
	}
	argv, path, err := resolve(spec)
	if err != nil {
		return
	}
	spec.Sandbox.Expect(sandbox.Command{Path: path, Args: argv, Env: spec.Env, Dir: spec.Dir})
}

// lookPath finds the program as exec would, on the PATH of the program's
// own environment: a name with a slash is a path, relative to dir, given
// back with the error too when it is no program.
func lookPath(name, dir string, env []string) (string, error) {
	if strings.ContainsRune(name, '/') {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		return path, executable(path)
	}
	pathVar := os.Getenv("PATH")
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathVar = v
		}
	}
	for _, d := range filepath.SplitList(pathVar) {
		if d == "" || !filepath.IsAbs(d) {
			continue
		}
		if path := filepath.Join(d, name); executable(path) == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("not found in PATH")
}

func executable(path string) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return err
	case st.IsDir():
		return fmt.Errorf("%s is a folder", path)
	case st.Mode()&0o111 == 0:
		return fmt.Errorf("%s is not executable: %w", path, os.ErrPermission)
	}
	return nil
}

func closeAll(groups ...[]*os.File) {
	for _, g := range groups {
		for _, f := range g {
			if f != nil {
				f.Close()
			}
		}
	}
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
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
	if !p.Exited() || p.state == nil {
		return -1
	}
	return p.state.ExitCode()
}

// ExitDescription says in words how the program ended, for reports.
func (p *Process) ExitDescription() string {
	if !p.Exited() {
		return "still running"
	}
	if p.state == nil {
		return "unknown"
	}
	return p.state.String()
}

// Isolated tells whether the program runs in namespaces of its own.
func (p *Process) Isolated() bool { return p.prog.Isolated() }

// Stop kills the whole tree: SIGTERM, up to grace for it to go, then
// SIGKILL until no process of the tree is left. It returns once the main
// process is reaped or a deadline passed. Stop may be called more than once.
//
// A sandboxed program is PID 1 of its namespace: SIGKILL of it ends
// everything in it. SIGTERM is sent first only if it handles SIGTERM (a
// PID 1 without a handler never sees it, and anyone else would have died
// of it at once); the grace is then its to use.
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
	if p.prog.Isolated() {
		if grace > 0 && !p.Exited() && p.prog.HandlesTerm() {
			_ = p.prog.Signal(syscall.SIGTERM)
			<-p.waitDone(grace)
		}
		p.prog.Kill()
	} else {
		killTree(p, grace)
	}
	<-p.waitDone(3 * time.Second)
	p.prog.Finish(p.state)
	p.hits = p.prog.Hits()
	untrack(p)
}

// HitLimits names the limits the program ran into, so that a verdict can
// say why a fork bomb stopped forking. Known once Stop returned.
func (p *Process) HitLimits() []sandbox.Limit { return p.hits }

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
