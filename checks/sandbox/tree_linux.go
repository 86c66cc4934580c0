package sandbox

import (
	"os"
	"strconv"
	"strings"
)

// A program's processes, as /proc numbers them. In a PID namespace of its
// own, they are the processes of that namespace: none can leave it. Outside
// one, they are the descendants of its first process, through each
// process's parent (this kernel may not list children), which misses those
// that escaped by a double fork and setsid: the process layer finds those
// by the tag in their environment.

// namespaceMembers lists the processes in the PID namespace of init.
func namespaceMembers(init int) []int {
	want, err := os.Readlink("/proc/" + strconv.Itoa(init) + "/ns/pid")
	if err != nil {
		return nil
	}
	var out []int
	for _, pid := range allPids() {
		if ns, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/pid"); err == nil && ns == want {
			out = append(out, pid)
		}
	}
	return out
}

// descendants lists root and every process below it.
func descendants(root int) []int {
	children := map[int][]int{}
	for _, pid := range allPids() {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue
		}
		i := strings.LastIndexByte(string(b), ')')
		if f := strings.Fields(string(b[i+1:])); i > 0 && len(f) > 1 {
			ppid, _ := strconv.Atoi(f[1])
			children[ppid] = append(children[ppid], pid)
		}
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

func allPids() []int {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	out := make([]int, 0, len(names))
	for _, n := range names {
		if pid, err := strconv.Atoi(n); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

// taskCount is how many threads the processes have together, as
// RLIMIT_NPROC and the pids controller count them.
func taskCount(pids []int) int {
	n := 0
	for _, pid := range pids {
		tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
		if err == nil {
			n += len(tasks)
		}
	}
	return n
}

var pageSize = int64(os.Getpagesize())

// residentBytes is the memory the processes hold, from /proc/PID/statm.
func residentBytes(pids []int) int64 {
	var n int64
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 1 {
			pages, _ := strconv.ParseInt(f[1], 10, 64)
			n += pages * pageSize
		}
	}
	return n
}

// handlesSignal tells whether the process has a handler for sig (SigCgt in
// /proc/PID/status).
func handlesSignal(pid int, sig int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "SigCgt:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && mask&(1<<(sig-1)) != 0
		}
	}
	return false
}
