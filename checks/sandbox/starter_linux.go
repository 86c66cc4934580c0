package sandbox

import (
	"bufio"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// As root, a run's programs are forked by one starter instead of an init
// each. An init is the grader binary started anew, and made while the
// previous program runs it slows that program's start-up; a start through
// the starter costs a fork: `go test -bench Python ./checks/sandbox`.
//
// The starter is launched as an init is (PID 1 of a PID and a mount
// namespace of its own, killed with the grader) and confines itself once
// as the run's setup says: mounts, limits, working folder, Landlock,
// no_new_privs. For each start it enters the start's network and groups,
// forks the program as the slot's user into a PID namespace of its own
// (killing it ends everything it started, as before), and comes back to
// its own groups. The program inherits the thread's confinement. The
// starter reaps the programs and passes on how each ended.
//
// Only the root mode has one: in the user-namespace mode the program runs
// as the starter's own uid 0, and nothing a fork can do would take away
// its capabilities over the namespace's mounts.
//
// Protocol, on a SOCK_SEQPACKET pair (the starter's end is initFd):
//
//	grader → starter: setup JSON + its groups' tasks files (to come home to)
//	starter → grader: "ready PID" | "stage: message (errno N)"
//	grader → starter: execRequest JSON + [stdin, stdout, stderr, netns, tasks files…]
//	starter → grader: "started PID" + [pidfd] | "stage: message (errno N)"
//	starter → grader: "exit PID STATUS USER-µs SYSTEM-µs", after its "started"
type starter struct {
	setup *initSetup
	ready chan struct{} // closed once launched (ip set) or failed (nil)
	ip    *initProc     // its socket, process and groups

	startMu sync.Mutex // one start at a time
	replies chan reply
	groups  chan groupsAhead // the next start's, made after each start

	mu    sync.Mutex
	exits map[int]chan *Exit // by pid in the starter's namespace
	gone  bool               // the socket ended: no start, no exit, any more
}

// noStarter: every start goes through an init (tests of that path).
var noStarter atomic.Bool

type reply struct {
	text string
	fds  []int
}

// starterFor is the run's starter for setup, launched now if there is none
// yet; nil where programs are started through inits.
func (s *Sandbox) starterFor(setup *initSetup) *starter {
	if s.mode != Namespaces || s.plain || setup.Uid < 0 || setup.DropCaps || noStarter.Load() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	if st := s.starter; st != nil {
		if sameSetup(st.setup, setup) {
			return st
		}
		return nil // another setup: its starts go through inits
	}
	st := &starter{setup: setup, ready: make(chan struct{}), replies: make(chan reply, 1), groups: make(chan groupsAhead, 1), exits: map[int]chan *Exit{}}
	s.starter = st
	go func() {
		defer close(st.ready)
		_ = st.launch(s.mode, s.limits) // failed, ip stays nil: starts go through inits
	}()
	return st
}

// usable waits for the starter's launch and tells whether it can start.
func (st *starter) usable() bool {
	<-st.ready
	if st.ip == nil {
		return false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return !st.gone
}

func (st *starter) launch(m Mode, l Limits) error {
	ip := takeEarlyStarter(m)
	if ip != nil {
		ip.cg.limit(l)
	} else {
		var err error
		if ip, err = launchProcess(m, HostNet(), l, "starter"); err != nil {
			return err
		}
	}
	home := ip.cg.tasksFiles()
	defer closeAll(home)
	setup := *st.setup
	if setup.Mounts != nil {
		mounts := *setup.Mounts
		mounts.ProcOthersHidden = true
		setup.Mounts = &mounts
	}
	if err := ip.handOver(&setup, home); err != nil {
		return err
	}
	_ = ip.sock.SetReadDeadline(time.Time{})
	st.ip = ip
	go st.listen()
	go st.makeGroups(l)
	return nil
}

// listen reads what the starter says until the socket ends: replies go to
// the start that waits for them, ends to the programs' waits.
func (st *starter) listen() {
	buf := make([]byte, 4096)
	oob := make([]byte, unix.CmsgSpace(4))
	for {
		n, oobn, _, _, err := st.ip.sock.ReadMsgUnix(buf, oob)
		if err != nil || n == 0 {
			break
		}
		text := string(buf[:n])
		if rest, ok := strings.CutPrefix(text, "exit "); ok {
			st.ended(rest)
			continue
		}
		var fds []int
		if oobn > 0 {
			fds, _ = receivedFds(oob[:oobn])
		}
		if rest, ok := strings.CutPrefix(text, "started "); ok {
			// The wait is there before the end can be read.
			if pid, err := strconv.Atoi(rest); err == nil {
				st.mu.Lock()
				st.exits[pid] = make(chan *Exit, 1)
				st.mu.Unlock()
			}
		}
		st.replies <- reply{text: text, fds: fds}
	}
	st.mu.Lock()
	st.gone = true
	// With the starter its namespace died, and every program in it.
	for pid, c := range st.exits {
		c <- &Exit{code: -1, signal: syscall.SIGKILL}
		delete(st.exits, pid)
	}
	st.mu.Unlock()
	close(st.replies)
}

// ended passes on "PID STATUS USER-µs SYSTEM-µs".
func (st *starter) ended(text string) {
	f := strings.Fields(text)
	if len(f) != 4 {
		return
	}
	pid, _ := strconv.Atoi(f[0])
	status, _ := strconv.ParseUint(f[1], 10, 32)
	user, _ := strconv.ParseInt(f[2], 10, 64)
	system, _ := strconv.ParseInt(f[3], 10, 64)
	e := exitFrom(syscall.WaitStatus(uint32(status)), time.Duration(user)*time.Microsecond, time.Duration(system)*time.Microsecond)
	st.mu.Lock()
	c := st.exits[pid]
	delete(st.exits, pid)
	st.mu.Unlock()
	if c != nil {
		c <- e
	}
}

// start has the starter fork c in n, in groups of its own, with stdio as
// its standard streams.
func (st *starter) start(n *Net, c Command, stdio [3]*os.File, l Limits) (*forked, *cgroups, error) {
	g := st.takeGroups(l)
	defer closeAll(g.tasks)
	f, err := st.fork(n, c, stdio, g.tasks)
	if err != nil {
		g.cg.remove()
		return nil, nil, err
	}
	return f, g.cg, nil
}

// fork sends the starter the request for c, with the tasks files of its
// groups, and follows the program it started.
func (st *starter) fork(n *Net, c Command, stdio [3]*os.File, tasks []*os.File) (*forked, error) {
	fds := append(append(fdsOf(stdio[:]), n.fd), fdsOf(tasks)...)
	msg, _ := json.Marshal(execRequest{Path: c.Path, Argv: c.Args, Env: c.Env})
	st.startMu.Lock()
	defer st.startMu.Unlock()
	n.mu.RLock()
	if n.closed {
		n.mu.RUnlock()
		return nil, net.ErrClosed
	}
	_, _, err := st.ip.sock.WriteMsgUnix(msg, unix.UnixRights(fds...), nil)
	n.mu.RUnlock()
	if err != nil {
		return nil, errStarterGone
	}
	var r reply
	var ok bool
	select {
	case r, ok = <-st.replies:
	case <-time.After(initTimeout):
		// Its answer, if it comes, would be taken for the next start's.
		st.stop()
	}
	if !ok {
		return nil, errStarterGone
	}
	rest, started := strings.CutPrefix(r.text, "started ")
	if !started {
		return nil, startError(r.text, c.Path)
	}
	pid, _ := strconv.Atoi(rest)
	st.mu.Lock()
	exit := st.exits[pid]
	st.mu.Unlock()
	if len(r.fds) != 1 || exit == nil {
		// Started, but it cannot be followed: it must not run beside
		// the start that replaces it.
		for _, fd := range r.fds {
			_ = unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
		}
		closeFds(r.fds)
		return nil, errStarterGone
	}
	return &forked{pidfd: r.fds[0], gpid: pidfdPid(r.fds[0]), exit: exit}, nil
}

// groupsAhead are a start's groups, made (a few hundred µs) and opened
// while the previous program runs.
type groupsAhead struct {
	cg    *cgroups
	tasks []*os.File
}

// takeGroups takes the groups made ahead, or makes them, and has the next
// start's made.
func (st *starter) takeGroups(l Limits) groupsAhead {
	var g groupsAhead
	select {
	case g = <-st.groups:
	default:
		g = newGroupsAhead(l)
	}
	go st.makeGroups(l)
	return g
}

func newGroupsAhead(l Limits) groupsAhead {
	cg := newGroups(newTag(), l)
	return groupsAhead{cg: cg, tasks: cg.tasksFiles()}
}

// makeGroups makes the next start's groups, unless the starter is gone.
func (st *starter) makeGroups(l Limits) {
	next := newGroupsAhead(l)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.gone {
		next.drop()
		return
	}
	select {
	case st.groups <- next:
	default:
		next.drop()
	}
}

func (g groupsAhead) drop() {
	closeAll(g.tasks)
	g.cg.remove()
}

// errStarterGone is a starter that can no longer start: the start is made
// through an init instead.
var errStarterGone = errors.New("the sandbox's starter ended")

// stop ends the starter, and with it its namespace.
func (st *starter) stop() {
	if st.ip != nil {
		_ = st.ip.discard(nil)
	}
	st.mu.Lock()
	st.gone = true
	st.mu.Unlock()
	select {
	case g := <-st.groups:
		g.drop()
	default:
	}
}

// forked is a program's first process that the starter forked.
type forked struct {
	gpid int
	exit chan *Exit

	mu    sync.Mutex
	pidfd int // -1 once it was reaped
}

func (f *forked) pid() int { return f.gpid }

func (f *forked) signal(sig syscall.Signal) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pidfd < 0 {
		return os.ErrProcessDone
	}
	return unix.PidfdSendSignal(f.pidfd, sig, nil, 0)
}

func (f *forked) wait() (*Exit, error) {
	e := <-f.exit
	f.mu.Lock()
	unix.Close(f.pidfd)
	f.pidfd = -1
	f.mu.Unlock()
	return e, nil
}

// pidfdPid is the pid a pidfd refers to, as the grader's /proc numbers it.
func pidfdPid(fd int) int {
	file, err := os.Open(filepath.Join("/proc/self/fdinfo", strconv.Itoa(fd)))
	if err != nil {
		return -1
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Pid:"); ok {
			pid, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil {
				return pid
			}
		}
	}
	return -1
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

func closeFds(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}
