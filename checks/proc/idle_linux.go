//go:build linux

package proc

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
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
func (p *Process) Idle() (idle, known bool) {
	if p.Exited() {
		return true, true
	}
	if untimed == nil {
		return false, false
	}
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
			state, ok := taskState(dir + t.Name())
			switch {
			case !ok:
				return false, false
			case state == 'Z' || state == 'X':
				continue
			case state != 'S' || !waitsForEver(dir+t.Name()):
				return false, true
			}
			seen++
			children, _ := os.ReadFile(dir + t.Name() + "/children")
			for _, c := range strings.Fields(string(children)) {
				if n, err := strconv.Atoi(c); err == nil {
					pids = append(pids, n)
				}
			}
		}
	}
	return seen > 0, seen > 0
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

// waitsForEver tells whether a sleeping thread waits for an event with no
// timeout, from /proc/…/syscall ("NR arg0 … arg5 sp pc", in hex).
func waitsForEver(dir string) bool {
	b, err := os.ReadFile(dir + "/syscall")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	if len(f) < 7 {
		return false
	}
	arg, ok := untimed[f[0]]
	if !ok {
		return false
	}
	if arg == forever {
		return true
	}
	v := f[1+int(arg)]
	// poll and epoll_wait take milliseconds, -1 for ever; the others a
	// pointer, null for ever.
	if millis[f[0]] {
		return v == "0xffffffffffffffff" || v == "0xffffffff"
	}
	return v == "0x0"
}

// millis are the waiting system calls whose timeout is a number of
// milliseconds (poll, epoll_wait, epoll_pwait), not a pointer.
var millis = map[string]map[string]bool{
	"amd64": {"7": true, "232": true, "281": true},
	"arm64": {"22": true},
}[runtime.GOARCH]

// IdleKnowable tells whether Idle can know, on this system.
func IdleKnowable() bool { return untimed != nil }
