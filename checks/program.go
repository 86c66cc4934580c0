package checks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/acme-lab/grader/checks/proc"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// program is the part of a check's runner that is the program under test:
// the running process, its output, where it listens, how it last ended.
type program struct {
	proc       *proc.Process
	stdout     *proc.Output
	stderr     *proc.Output
	startMark  mark           // where the output stood when it last started
	target     *proc.Listener // where the program was last seen listening
	udpTarget  *proc.Listener // where it was last seen bound to a UDP port
	handed     int            // the port handed to the program, when the exercise hands one
	starts     int
	lastExit   string
	exitLogged chan struct{} // closed once the current program's exit is in the transcript
	boot       *bootToken    // the current program's place among those starting
	stopping   *atomic.Bool  // set when the grader stops the current program
	crashed    *crash        // the first program that ended by itself with an error
}

// start runs the submission afresh, in a fresh network unless the grader
// listens in the current one for it; output keeps accumulating in the
// check's streams across restarts.
func (r *runner) start() error {
	r.stop()
	if r.ctx.Err() != nil {
		return errInterrupted
	}
	ns, err := r.freshNetwork()
	if err != nil {
		return err
	}
	if r.ex.Port.Handed && r.handed == 0 {
		port, err := ns.FreePort()
		if err != nil {
			return fmt.Errorf("choose a port for the program: %w", err)
		}
		r.handed = port
	}
	if r.handed != 0 {
		r.env["port"] = r.handed
	}
	argv, env, err := r.launch()
	if err != nil {
		return err
	}
	if err := r.lockPorts(); err != nil {
		return err
	}
	r.startMark = mark{stdout: r.stdout.Len(), stderr: r.stderr.Len()}
	p, err := proc.Start(proc.Spec{Argv: argv, Dir: r.sb.Dir(), Env: env, Stdout: r.stdout, Stderr: r.stderr, Sandbox: r.sb, Net: ns, Again: restarts(r.check.Steps)})
	if errors.Is(err, proc.ErrNotFound) {
		return failf("The command %q could not be started: %q was not found. Is it installed and on your PATH?", strings.Join(argv, " "), argv[0])
	}
	var denied *proc.DeniedError
	if errors.As(err, &denied) {
		return r.deniedStart(argv, denied.Path)
	}
	if err != nil {
		return err
	}
	r.starts++
	r.proc = p
	r.target, r.udpTarget = nil, nil
	boot := beginBoot()
	r.boot = boot
	r.event(result.Start, "", strings.Join(argv, " "))
	logged := make(chan struct{})
	r.exitLogged = logged
	stopping := &atomic.Bool{}
	r.stopping = stopping
	go func() {
		<-p.Done()
		boot.end()
		r.event(result.Exit, "", p.ExitDescription())
		r.noteEnd(p, stopping)
		close(logged)
	}()
	return nil
}

// launch is the command and the environment the program starts with.
func (r *runner) launch() (argv, env []string, err error) {
	if argv, err = r.command(); err != nil {
		return nil, nil, err
	}
	env = append(append([]string(nil), r.opts.Env...), "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
	for _, v := range r.ex.Submission.Env {
		val, err := v.Value.Render(r.env, nil)
		if err != nil {
			return nil, nil, err
		}
		env = append(env, v.Name+"="+val)
	}
	if r.ex.Port.Env != "" {
		env = append(env, r.ex.Port.Env+"="+strconv.Itoa(r.handed))
	}
	return argv, env, nil
}

// expectStart tells the sandbox, before the check runs, what its first
// start will be (proc.Expect), where that is known already.
func (r *runner) expectStart() {
	if err := r.setVars(r.ex.Vars); err != nil {
		return
	}
	argv, env, err := r.launch()
	if err != nil {
		return
	}
	proc.Expect(proc.Spec{Argv: argv, Dir: r.sb.Dir(), Env: env, Sandbox: r.sb})
}

func (r *runner) command() ([]string, error) {
	if len(r.opts.Command) > 0 {
		return r.opts.Command, nil
	}
	var argv []string
	for _, t := range r.ex.Submission.Command {
		w, err := t.Render(r.env, nil)
		if err != nil {
			return nil, err
		}
		argv = append(argv, w)
	}
	if len(argv) == 0 {
		return nil, &ExerciseError{Err: errNoCommand}
	}
	return argv, nil
}

var errNoCommand = errors.New("a step needs the program, but the exercise has no submission.command")

// ensureStarted starts the program unless it is already running.
func (r *runner) ensureStarted() error {
	if r.proc != nil && !r.proc.Exited() {
		return nil
	}
	return r.start()
}

// portGrace is how long a program seen listening, but not on the port the
// grader prefers, is watched for that port to appear too: a program that
// listens on two ports binds them one after the other. The watch ends
// sooner once the program settles: it binds nothing more by itself.
const portGrace = 100 * time.Millisecond

// waitListening watches, without connecting, until the program listens on
// a TCP port, and returns where to dial it. Where ports cannot be seen, it
// returns the exercise's port and the caller's dial is the probe. The limit
// is start-up time, which stretches while many programs start at once
// (starting.go).
func (r *runner) waitListening(limit time.Duration) (proc.Listener, error) {
	if r.target != nil {
		return *r.target, nil
	}
	if limit <= 0 {
		limit = r.ex.Timeouts.Start
	}
	clock := newStartClock(limit, time.Now())
	var seen time.Time // when a listener was first seen
	settle := settler{r: r}
	for {
		ls, err := r.proc.Listening()
		if errors.Is(err, proc.ErrNoDiscovery) {
			return r.fallbackTarget()
		}
		if err != nil {
			return proc.Listener{}, err
		}
		if len(ls) > 0 {
			r.boot.end()
			if seen.IsZero() {
				seen = time.Now()
			}
			_, preferred := r.preferred(ls, r.mem.port)
			if preferred || time.Since(seen) >= portGrace || settle.settled(seen.Add(portGrace)) || clock.expired() || time.Now().After(r.deadline) {
				l, err := r.choose(ls, "listens on port")
				if err == nil {
					r.target = &l
					r.sawPort(l.Port)
					r.env["address"] = l.DialAddr().String()
					r.event(result.Listen, "", l.DialAddr().String())
				}
				return l, err
			}
		}
		if len(ls) == 0 && r.proc.Exited() {
			return proc.Listener{}, r.exitedBeforeListening()
		}
		if clock.expired() || time.Now().After(r.deadline) {
			f := failf("Your program did not listen on any TCP port within %s of starting.", limit)
			if r.proc.WaitingForInput() {
				f.Msg += " It is waiting for something to be typed on its standard input (input(), or a read of sys.stdin), and nobody types there: a server must not ask for anything before it listens. Write the port into the program, or take it from its command line."
			}
			f.Got = r.outputTail()
			r.blamePortHolder(f)
			return proc.Listener{}, f
		}
		nap(clock.poll())
		r.deadline = r.deadline.Add(clock.tick(time.Now()))
	}
}

// preferred finds, among the listeners, the port the grader grades when it
// is there: the port handed to the program, else the one graded at an
// earlier start of this run, else the exercise's suggested port.
func (r *runner) preferred(ls []proc.Listener, remembered int) (proc.Listener, bool) {
	for _, want := range []int{r.handed, remembered, r.ex.Port.Suggested} {
		if want == 0 {
			continue
		}
		for _, l := range ls {
			if l.Port == want {
				return l, true
			}
		}
		if want == r.handed {
			break // a handed port is the only one that counts
		}
	}
	return proc.Listener{}, false
}

func (r *runner) exitedBeforeListening() error {
	<-r.proc.Done()
	f := failf("Your program ended (%s) before it listened on a TCP port.", r.proc.ExitDescription())
	if r.proc.Isolated() && r.proc.ExitCode() == 0 {
		// A server that daemonises (forks, and lets the parent exit) is
		// one that ended, here.
		f.Msg += " Whatever it started ended with it: the program the grader starts must itself be the server."
	}
	f.Got = r.outputTail()
	r.blamePortHolder(f)
	return f
}

// outputTail is the end of what the program printed, to show with a failure
// to start (a traceback, usually).
func (p *program) outputTail() string {
	errOut, _, _ := p.stderr.Snapshot(0)
	out := errOut
	if len(out) == 0 {
		out, _, _ = p.stdout.Snapshot(0)
	}
	if len(out) > 2000 {
		out = out[len(out)-2000:]
	}
	return string(out)
}

// choose picks the port to grade among those the program listens on (or
// has bound, for UDP: verb says which, "listens on port" or "binds UDP
// port"): the preferred one if it is there, else the lowest, the same way
// at every start. Which one was graded is said when there were several.
func (r *runner) choose(ls []proc.Listener, verb string) (proc.Listener, error) {
	want := r.ex.Port.Suggested
	if r.handed != 0 {
		want = r.handed
	}
	// The port graded at the first start is remembered for TCP, where a
	// program may listen on two.
	tcp := verb == "listens on port"
	remembered := 0
	if tcp {
		remembered = r.mem.port
	}
	got, ok := r.preferred(ls, remembered)
	if !ok {
		got = ls[0] // Listening lists the lowest port first
	}
	if tcp && r.mem.port == 0 {
		r.mem.port = got.Port
	}
	if ports := portList(ls); len(ports) > 1 {
		why := "the lowest"
		if got.Port == want {
			why = "the one the exercise suggests"
		}
		r.noticeOnce("ports", "Your program %ss %s; the grader graded %d, %s. A server needs only one of them.", verb, joinPorts(ports), got.Port, why)
	}
	switch {
	case ok && (got.Port == want || want == 0):
		return got, nil
	case r.handed != 0:
		return got, failf("The grader gave your program port %d to use, but it %s %d. Read the port from %s instead of hard-coding it.", r.handed, verb, got.Port, r.handedHow())
	case r.ex.Port.Required:
		return got, failf("Your program %s %d, but this exercise requires port %d.", verb, got.Port, want)
	case want != 0:
		r.noticeOnce("port", "Your program %s %d; the exercise suggests %d. That is fine here, but a client written for %d would not find your server.", verb, got.Port, want, want)
	}
	return got, nil
}

// portList is the distinct ports among the listeners (one may listen on
// both IPv4 and IPv6), lowest first.
func portList(ls []proc.Listener) []int {
	var out []int
	for _, l := range ls {
		if len(out) == 0 || out[len(out)-1] != l.Port {
			out = append(out, l.Port)
		}
	}
	return out
}

func joinPorts(ports []int) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	if len(s) == 2 {
		return s[0] + " and " + s[1]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func (r *runner) handedHow() string {
	if r.ex.Port.Env != "" {
		return "the environment variable " + r.ex.Port.Env
	}
	return "its command-line arguments"
}

// fallbackTarget is used where listening ports cannot be seen: the port the
// program was given, or the exercise's.
func (r *runner) fallbackTarget() (proc.Listener, error) {
	port := r.ex.Port.Suggested
	if r.handed != 0 {
		port = r.handed
	}
	if port == 0 {
		return proc.Listener{}, &ExerciseError{Err: fmt.Errorf("this platform cannot discover ports and the exercise names none (port.suggested)")}
	}
	r.notice("This system does not let the grader see which port your program listens on, so it connects to port %d.", port)
	l := proc.Listener{Addr: loopback4, Port: port}
	r.env["address"] = l.DialAddr().String()
	return l, nil
}

// missingFiles lists the submission's files that are not in dir.
func missingFiles(ex *Exercise, dir string) []string {
	var out []string
	for _, f := range ex.Submission.Files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			out = append(out, f)
		}
	}
	return out
}

// deniedStart says why a command that exists could not be run. A file of
// the submission is the student's to fix; anything else is the grading
// machine's: the sandbox runs programs as a user without privileges, who
// may not enter a folder only its owner may (a home of mode 0700).
func (r *runner) deniedStart(argv []string, path string) error {
	if sandbox.Within(path, r.sb.Dir()) {
		return failf("The command %q could not be started: %s may not be run (permission denied). Make it executable (chmod +x %s), or start it through its interpreter.", strings.Join(argv, " "), filepath.Base(path), filepath.Base(path))
	}
	return &machineError{msg: fmt.Sprintf("The grader could not start %q: the sandbox runs programs as a user without privileges, and that user may not run %s (permission denied). Install %s where every user may run it (as in /usr/bin), or grade with --sandbox none.", strings.Join(argv, " "), path, argv[0])}
}
