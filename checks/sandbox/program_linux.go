package sandbox

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Program is one started program, as the sandbox sees it: the limits it is
// held to and how to end it. The process layer owns waiting for it.
type Program struct {
	Pid      int // its first process, as /proc numbers it
	first    firstProcess
	isolated bool
	limits   Limits
	cg       *cgroups
	done     chan struct{}   // closed by Finish
	live     *sync.WaitGroup // the sandbox's programs not yet reaped

	mu     sync.Mutex
	hits   []Limit
	killed bool // by Kill or the memory watch, not by the kernel
}

// killedByUs tells whether the grader killed the program. A SIGKILL that
// it did not send, nor the kernel for memory, is the kernel's at the CPU
// limit: nothing else may kill a namespace's PID 1. (Its rusage may show
// a good deal less CPU time than the limit, on a busy machine.)
func (p *Program) killedByUs() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.killed
}

func (p *Program) markKilled() {
	p.mu.Lock()
	p.killed = true
	p.mu.Unlock()
}

// memoryPoll is how often a program's memory is measured where no cgroup
// counts it (CodeCrafters polls every 100 ms too).
const memoryPoll = 100 * time.Millisecond

// Isolated tells whether the program is PID 1 of a namespace of its own:
// killing it then kills everything it started.
func (p *Program) Isolated() bool { return p.isolated }

// HandlesTerm tells whether the program has a SIGTERM handler. A PID 1
// without one never sees SIGTERM (the kernel protects a namespace's init),
// so waiting for it to go would only waste the grace period; without a
// handler SIGTERM would have killed it at once anyway.
func (p *Program) HandlesTerm() bool { return handlesSignal(p.Pid, int(syscall.SIGTERM)) }

// Kill ends the program. For an isolated one that is everything: when a PID
// namespace's init dies, the kernel kills the rest of it, whatever sessions
// or process groups they made. Before, it counts them, to tell whether the
// process limit held the program back.
func (p *Program) Kill() {
	// A fork that RLIMIT_NPROC refuses leaves one fewer task than the
	// limit (the kernel counts the refused one before refusing it).
	if p.isolated && p.taskCount() >= p.limits.Processes-1 {
		p.hit(LimitProcesses)
	}
	// Read now: a program dying at the memory limit may take longer to be
	// reaped than Stop waits.
	for _, l := range p.cg.hit() {
		p.hit(l)
	}
	p.markKilled()
	// Its processes die on its share of the CPU: one share for a fork
	// bomb's hundred, on a busy machine, takes seconds. Dying, it may have
	// more.
	p.cg.boost()
	_ = p.first.signal(syscall.SIGKILL)
}

// Members lists the processes in the program's cgroups, escaped from its
// process group or not; nil without cgroups.
func (p *Program) Members() []int { return p.cg.members() }

// Freeze stops the program's processes where they stand, if it can; Thaw
// lets them go on. Between the two, a fork bomb is killed in one pass.
func (p *Program) Freeze() bool { return p.cg.freeze() }

// Thaw undoes Freeze.
func (p *Program) Thaw() { p.cg.thaw() }

// Finish is called once the program was stopped: it stops the memory
// watch and, for a program outside a PID namespace (whose escaped
// processes Stop had to find through the groups), removes its cgroups.
// An isolated program's are removed as soon as it is reaped.
func (p *Program) Finish(*Exit) {
	select {
	case <-p.done:
		return
	default:
		close(p.done)
	}
	if !p.isolated {
		p.cg.remove()
	}
}

// reaped records what the program's end says of the limits.
func (p *Program) reaped(e *Exit) {
	for _, l := range p.cg.hit() {
		p.hit(l)
	}
	if e != nil {
		if e.signal != 0 {
			cpu := e.user + e.system
			switch sig := e.signal; {
			case sig == syscall.SIGXCPU, sig == syscall.SIGKILL && !p.killedByUs() && !p.hasHit(LimitMemory) && cpu >= p.limits.CPU/2:
				p.hit(LimitCPU)
			case sig == syscall.SIGXFSZ:
				p.hit(LimitFileSize)
			}
		}
	}
}

// Hits names the limits the program ran into, each once, in the order met.
func (p *Program) Hits() []Limit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Limit(nil), p.hits...)
}

func (p *Program) hasHit(l Limit) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Contains(p.hits, l)
}

func (p *Program) hit(l Limit) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.hits {
		if h == l {
			return
		}
	}
	p.hits = append(p.hits, l)
}

// watchMemory measures the program's resident memory where no cgroup
// limits it, and kills it once it holds more than its limit.
func (p *Program) watchMemory() {
	t := time.NewTicker(memoryPoll)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		if residentBytes(p.processes()) <= p.limits.Memory {
			continue
		}
		p.hit(LimitMemory)
		p.markKilled()
		if !p.isolated {
			_ = syscall.Kill(-p.first.pid(), syscall.SIGKILL)
		}
		_ = p.first.signal(syscall.SIGKILL)
		return
	}
}

// Wait waits for the program to end and reaps it. Call it once.
func (p *Program) Wait() (*Exit, error) {
	e, err := p.first.wait()
	p.reaped(e)
	if p.isolated {
		// Once its PID 1 is reaped the namespace holds nothing, but the
		// killed processes leave their groups as the kernel reaps them:
		// the groups are removed meanwhile, and the program counts as
		// live (Close waits for it) until they are gone.
		go func() {
			p.cg.remove()
			if p.live != nil {
				p.live.Done()
			}
		}()
	} else if p.live != nil {
		p.live.Done()
	}
	return e, err
}

// Signal sends sig to the program's first process.
func (p *Program) Signal(sig os.Signal) error {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return errors.New("not a signal of this system: " + sig.String())
	}
	return p.first.signal(s)
}

// GraderPid is the program's first process as the grader's own PID
// namespace numbers it (Pid is as /proc does).
func (p *Program) GraderPid() int { return p.first.pid() }

// firstProcess is the program's first process as the grader holds it: its
// own child (an init that became the program) or a process the run's
// starter forked (starter_linux.go).
type firstProcess interface {
	pid() int // in the grader's PID namespace
	signal(syscall.Signal) error
	wait() (*Exit, error) // once
}

// child is a first process that is the grader's child.
type child struct{ cmd *exec.Cmd }

func (c child) pid() int                        { return c.cmd.Process.Pid }
func (c child) signal(sig syscall.Signal) error { return c.cmd.Process.Signal(sig) }
func (c child) wait() (*Exit, error) {
	err := c.cmd.Wait()
	return exitOf(c.cmd.ProcessState), err
}

// processes lists the program's processes, as /proc numbers them.
func (p *Program) processes() []int {
	if p.isolated {
		return namespaceMembers(p.Pid)
	}
	return descendants(p.Pid)
}

// taskCount is how many threads the program has, counted by its pids
// cgroup where it has one.
func (p *Program) taskCount() int {
	if n, ok := p.cg.tasks(); ok {
		return n
	}
	return taskCount(p.processes())
}
