//go:build linux

package proc

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

var subreaperOnce sync.Once

// enableSubreaper makes this process inherit the orphans of programs it
// starts, so a daemon that double-forked and called setsid is still ours to
// find and kill (../shared/ISOLATION.md: kill(-pgid) alone misses it).
func enableSubreaper() {
	subreaperOnce.Do(func() {
		_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	})
}

type procInfo struct {
	pid, ppid, pgid int
	zombie          bool
}

// readProcs lists every process visible in /proc with its parent and group.
func readProcs() map[int]procInfo {
	out := map[int]procInfo{}
	d, err := os.Open("/proc")
	if err != nil {
		return out
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		if info, ok := readStat(pid); ok {
			out[pid] = info
		}
	}
	return out
}

// readStat parses /proc/PID/stat; the command name may hold spaces and
// parentheses, so fields are counted from the last ')'.
func readStat(pid int) (procInfo, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return procInfo{}, false
	}
	f := bytes.Fields(b[i+2:])
	if len(f) < 3 {
		return procInfo{}, false
	}
	ppid, _ := strconv.Atoi(string(f[1]))
	pgid, _ := strconv.Atoi(string(f[2]))
	return procInfo{pid: pid, ppid: ppid, pgid: pgid, zombie: f[0][0] == 'Z' || f[0][0] == 'X'}, true
}

func hasTag(pid int, tag string) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	return bytes.Contains(b, []byte(TagVar+"="+tag+"\x00"))
}

// tree lists the live processes that belong to p: the main process, its
// descendants, its process group, and orphans handed to us that carry p's tag.
func (p *Process) tree() []procInfo {
	all := readProcs()
	self := os.Getpid()
	children := map[int][]int{}
	for _, info := range all {
		children[info.ppid] = append(children[info.ppid], info.pid)
	}
	seen := map[int]bool{}
	var out []procInfo
	var walk func(pid int)
	walk = func(pid int) {
		info, ok := all[pid]
		if !ok || seen[pid] {
			return
		}
		seen[pid] = true
		out = append(out, info)
		for _, c := range children[pid] {
			walk(c)
		}
	}
	walk(p.Pid)
	for _, pid := range p.prog.Members() {
		walk(pid)
	}
	for pid, info := range all {
		if seen[pid] {
			continue
		}
		if info.pgid == p.Pid || (info.ppid == self && hasTag(pid, p.tag)) {
			walk(pid)
		}
	}
	return out
}

// killTree signals the tree with SIGTERM, gives it grace to go, then
// SIGKILLs whatever is left, rescanning so that children forked meanwhile
// are caught too, and reaps the orphans it was handed.
func killTree(p *Process, grace time.Duration) {
	seen := map[int]bool{}
	signalAll := func(sig syscall.Signal) []procInfo {
		live := p.tree()
		_ = syscall.Kill(-p.Pid, sig)
		for _, info := range live {
			seen[info.pid] = true
			if !info.zombie {
				_ = syscall.Kill(info.pid, sig)
			}
		}
		return live
	}
	if grace > 0 && !p.Exited() {
		frozen := p.prog.Freeze()
		live := signalAll(syscall.SIGTERM)
		if frozen {
			p.prog.Thaw()
		}
		deadline := time.Now().Add(grace)
		// Watch only the processes already known (and the group's list):
		// rescanning /proc is slow while a fork bomb holds both cores.
		for time.Now().Before(deadline) && (anyStillAlive(live) || len(p.prog.Members()) > 0) {
			time.Sleep(2 * time.Millisecond)
		}
	}
	if p.prog.Freeze() {
		signalAll(syscall.SIGKILL)
		p.prog.Thaw()
	}
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && anyAlive(signalAll(syscall.SIGKILL)) {
		time.Sleep(time.Millisecond)
	}
	reapOrphans(p.Pid, seen)
}

// reapOrphans collects the exit status of the tree's processes that were
// handed to us as subreaper. Only those: Wait4(-1) would steal the status
// that os/exec waits for (../shared/ISOLATION.md, pitfall 8).
func reapOrphans(main int, seen map[int]bool) {
	self := os.Getpid()
	deadline := time.Now().Add(time.Second)
	for pid := range seen {
		if pid == main {
			continue
		}
		for {
			info, ok := readStat(pid)
			if !ok || info.ppid != self {
				break
			}
			var ws syscall.WaitStatus
			if got, _ := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil); got == pid || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
}

func anyStillAlive(infos []procInfo) bool {
	for _, info := range infos {
		if now, ok := readStat(info.pid); ok && !now.zombie {
			return true
		}
	}
	return false
}

func anyAlive(infos []procInfo) bool {
	for _, info := range infos {
		if !info.zombie {
			return true
		}
	}
	return false
}
