//go:build linux

package proc

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Idle tells whether the whole tree waits for something to reach it: every
// thread of the program and of its children is blocked in a system call
// that waits without a timeout (accept, recv, read, select or poll with no
// timeout, a lock, a child). Such a program does nothing until the grader
// acts, so a step that watches what it might still do (a traceback after a
// close, a second response, a JOIN sent too soon) can stop watching. A
// thread that sleeps, or waits with a timeout, is not idle: its program
// acts by itself later (time.sleep(1) before sending). known is false
// where the system calls cannot be read; callers then wait their full time.
func (p *Process) Idle() (idle, known bool) { return p.QuietUntil(time.Time{}) }

// QuietUntil is Idle for a watch that ends at horizon: it also counts as
// waiting a thread whose wait has a timeout that cannot run out before
// horizon. A server's loop that polls its socket every half second
// (socketserver's serve_forever) does nothing by itself within a 400 ms
// watch that began after the poll did. How early a poll can time out is
// its timeout after the start of the wait, and the start of the wait is
// bounded by the looks that saw the thread before it (waitLog): the
// thread's context switches change whenever it has run. Only timeouts
// passed by value (poll, epoll_wait) are read; a thread in a wait whose
// timeout lies in its memory (select, a sleep, a lock) is not waiting. A
// zero horizon asks for waits with no timeout at all.
func (p *Process) QuietUntil(horizon time.Time) (quiet, known bool) {
	l := p.Look(horizon)
	return l.Quiet, l.Known
}

// Look is what one look at the program saw: whether it was quiet (and
// whether that could be known), and a mark of every thread's context
// switches. Two quiet looks with the same mark saw every thread asleep
// in between: none of them ran, so none could wake another.
type Look struct {
	Quiet, Known bool
	Mark         uint64
}

// Look looks at the whole tree once, as QuietUntil does.
func (p *Process) Look(horizon time.Time) Look {
	if p.Exited() {
		return Look{Quiet: true, Known: true}
	}
	if untimed == nil {
		return Look{}
	}
	now := time.Now()
	mark := uint64(14695981039346656037)
	seen := 0
	pids := []int{p.Pid}
	for len(pids) > 0 {
		pid := pids[0]
		pids = pids[1:]
		dir := "/proc/" + strconv.Itoa(pid) + "/task/"
		tasks, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, t := range tasks {
			task := dir + t.Name()
			state, ok := taskState(task)
			switch {
			case !ok:
				return Look{}
			case state == 'Z' || state == 'X':
				continue
			case state != 'S':
				return Look{Known: true}
			}
			line, timeout, ok := waiting(task)
			if !ok {
				return Look{Known: true}
			}
			n, ok := switches(task)
			tid, err := strconv.Atoi(t.Name())
			if !ok || err != nil {
				return Look{Known: true}
			}
			if timeout >= 0 && (horizon.IsZero() || !p.sleepsPast(task, tid, line, n, timeout, now, horizon)) {
				return Look{Known: true}
			}
			mark = ((mark^uint64(tid))*1099511628211 ^ n) * 1099511628211
			seen++
			children, _ := os.ReadFile(task + "/children")
			for _, c := range strings.Fields(string(children)) {
				if n, err := strconv.Atoi(c); err == nil {
					pids = append(pids, n)
				}
			}
		}
	}
	return Look{Quiet: seen > 0, Known: seen > 0, Mark: mark}
}

// sleepsPast tells whether a thread seen waiting with a timeout cannot
// time out before horizon. line is its syscall line, and before the count
// of its context switches read after it: the wait is read again, then the
// count, so that it is seen between two equal counts, the one wait
// throughout.
func (p *Process) sleepsPast(task string, tid int, line string, before uint64, timeout time.Duration, look, horizon time.Time) bool {
	again, _, ok := waiting(task)
	if !ok || again != line {
		return false
	}
	after, ok := switches(task)
	if !ok || after != before {
		return false
	}
	since := p.waits.entered(tid, after, look, p.started)
	return !since.Add(timeout).Before(horizon)
}

// switches is how many times a thread has stopped running, from its status.
func switches(task string) (uint64, bool) {
	b, err := os.ReadFile(task + "/status")
	if err != nil {
		return 0, false
	}
	var n uint64
	for _, key := range []string{"\nvoluntary_ctxt_switches:", "\nnonvoluntary_ctxt_switches:"} {
		i := bytes.Index(b, []byte(key))
		if i < 0 {
			return 0, false
		}
		rest := b[i+len(key):]
		if j := bytes.IndexByte(rest, '\n'); j >= 0 {
			rest = rest[:j]
		}
		v, err := strconv.ParseUint(string(bytes.TrimSpace(rest)), 10, 64)
		if err != nil {
			return 0, false
		}
		n += v
	}
	return n, true
}

// taskState is a thread's state letter from its stat: S sleeping, R
// running, D in disk wait, Z zombie…
func taskState(dir string) (byte, bool) {
	stat, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return 0, false
	}
	return stat[i+2], true
}

// timeoutArg marks a system call that waits for an event: -1 when it never
// times out, else the argument that holds its timeout (none when it is 0,
// a null pointer, or -1 for poll and epoll_wait).
type timeoutArg int

const forever timeoutArg = -1

// untimed is this architecture's table of waiting system calls, by number.
var untimed = map[string]map[string]timeoutArg{
	"amd64": {
		"0": forever, "1": forever, "43": forever, "288": forever, "45": forever, "47": forever, // read, write, accept, accept4, recvfrom, recvmsg
		"44": forever, "46": forever, "42": forever, "61": forever, "247": forever, "34": forever, "130": forever, // sendto, sendmsg, connect, wait4, waitid, pause, rt_sigsuspend
		"7": 2, "271": 2, "23": 4, "270": 4, "232": 3, "281": 3, "441": 3, "202": 3, // poll, ppoll, select, pselect6, epoll_wait, epoll_pwait, epoll_pwait2, futex
	},
	"arm64": {
		"63": forever, "64": forever, "202": forever, "242": forever, "207": forever, "212": forever,
		"206": forever, "211": forever, "203": forever, "260": forever, "95": forever, "133": forever,
		"73": 2, "72": 4, "22": 3, "441": 3, "98": 3,
	},
}[runtime.GOARCH]

// waiting reads what a sleeping thread waits in, from /proc/…/syscall
// ("NR arg0 … arg5 sp pc", in hex): ok if it is a system call that waits
// for an event, with its timeout: -1 for none, else how long it is where
// the call takes it by value (poll and epoll_wait, in milliseconds).
// A timeout behind a pointer is not read: such a wait is not ok.
func waiting(task string) (line string, timeout time.Duration, ok bool) {
	b, err := os.ReadFile(task + "/syscall")
	if err != nil {
		return "", 0, false
	}
	line = string(b)
	f := strings.Fields(line)
	if len(f) < 7 {
		return "", 0, false
	}
	arg, ok := untimed[f[0]]
	if !ok {
		return "", 0, false
	}
	if arg == forever {
		return line, -1, true
	}
	v := f[1+int(arg)]
	if !millis[f[0]] {
		return line, -1, v == "0x0" // a null pointer: no timeout
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 64)
	if err != nil {
		return "", 0, false
	}
	ms := int32(uint32(n)) // an int in the kernel; -1 (or any negative) waits for ever
	if ms < 0 {
		return line, -1, true
	}
	return line, time.Duration(ms) * time.Millisecond, true
}

// millis are the waiting system calls whose timeout is a number of
// milliseconds (poll, epoll_wait, epoll_pwait), not a pointer.
var millis = map[string]map[string]bool{
	"amd64": {"7": true, "232": true, "281": true},
	"arm64": {"22": true},
}[runtime.GOARCH]

// IdleKnowable tells whether Idle can know, on this system.
func IdleKnowable() bool { return untimed != nil }
