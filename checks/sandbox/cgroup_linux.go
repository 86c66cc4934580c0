package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Where cgroup v1's pids, memory, freezer and cpu controllers are mounted
// and writable (root, as in CI), each program gets a group of each: the
// kernel then counts its processes and memory (RLIMIT_AS breaks Go, Node and Java
// runtimes, ../shared/ISOLATION.md), and a fork bomb outside a PID
// namespace can be frozen before it is killed. A group's name holds the
// grader's pid, so that the groups of a grader that was killed are removed
// by the next one at once: the group is empty by then, its programs having
// died with their namespace.
const cgroupRoot = "/sys/fs/cgroup"

// A group of the cpu controller gives each program one fair share of the
// processor, however many processes it runs: a fork bomb spinning in 128
// processes slows its neighbours in a batch no more than one busy program.
var cgroupControllers = []string{"pids", "memory", "freezer", "cpu"}

type cgroups struct {
	dirs []string // one per controller
}

var (
	cgroupOnce sync.Once
	cgroupOK   bool
)

// CgroupsWritable tells whether programs get cgroups of their own here.
func CgroupsWritable() bool {
	cgroupOnce.Do(func() {
		probe := filepath.Join(cgroupRoot, "pids", "grader-probe-"+strconv.Itoa(os.Getpid()))
		if os.Mkdir(probe, 0o755) == nil {
			cgroupOK = true
			_ = os.Remove(probe)
			removeStaleCgroups()
		}
	})
	return cgroupOK
}

// removeStaleCgroups removes the groups of graders that are gone. A group
// whose name holds no pid (an older grader's) is left a minute, so as not
// to race a grader that is just moving a program into it; rmdir refuses a
// group that still holds a process.
func removeStaleCgroups() {
	for _, ctl := range cgroupControllers {
		dirs, _ := filepath.Glob(filepath.Join(cgroupRoot, ctl, "grader-*"))
		for _, dir := range dirs {
			if owner, ok := cgroupOwner(filepath.Base(dir)); ok {
				if owner != os.Getpid() && !processExists(owner) {
					_ = os.Remove(dir)
				}
				continue
			}
			if st, err := os.Stat(dir); err == nil && time.Since(st.ModTime()) > time.Minute {
				_ = os.Remove(dir)
			}
		}
	}
}

// cgroupOwner reads the grader's pid from "grader-PID-TAG".
func cgroupOwner(name string) (int, bool) {
	parts := strings.Split(name, "-")
	if len(parts) != 3 {
		return 0, false
	}
	pid, err := strconv.Atoi(parts[1])
	return pid, err == nil
}

func processExists(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}

// CgroupName is the name of the groups of one program.
func cgroupName(tag string) string { return "grader-" + strconv.Itoa(os.Getpid()) + "-" + tag }

// newGroups makes fresh pids, memory, freezer and cpu groups for one
// program, with its limits; nil where there are none. The program's init
// is born in them (spawn).
func newGroups(tag string, l Limits) *cgroups {
	if !CgroupsWritable() {
		return nil
	}
	cg := &cgroups{}
	for _, ctl := range cgroupControllers {
		dir := filepath.Join(cgroupRoot, ctl, cgroupName(tag))
		if os.Mkdir(dir, 0o755) == nil {
			cg.dirs = append(cg.dirs, dir)
		}
	}
	cg.limit(l)
	return cg
}

// limit sets the groups' limits.
func (cg *cgroups) limit(l Limits) {
	if dir := cg.dir("pids"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "pids.max"), []byte(strconv.Itoa(l.Processes)), 0o644)
	}
	if dir := cg.dir("memory"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "memory.limit_in_bytes"), []byte(strconv.FormatInt(l.Memory, 10)), 0o644)
	}
}

// A process moved into a group (its pid written to cgroup.procs) makes the
// kernel wait for an RCU grace period on cgroup_threadgroup_rwsem after a
// quiet spell: 5 to 18 ms measured on a 2-core VM, on every program start
// 20 ms after the last. A thread that moves itself (0 written to the
// group's tasks) takes no such lock: about 40 µs. So the thread that
// forks the init moves itself into the program's groups, forks, and moves
// back; the init is born in them, before it runs at all. The thread is a
// locked one (spawn), from which the Go runtime starts no other thread.

// enter moves the calling thread into every group of cg, and says whether
// it could, with the groups it was in to go back to (leave).
func (cg *cgroups) enter() (joined bool, home map[string]string) {
	if cg == nil {
		return true, nil
	}
	home = threadGroups()
	for _, dir := range cg.dirs {
		ctl := filepath.Base(filepath.Dir(dir))
		if _, ok := home[ctl]; !ok {
			return false, home
		}
		if os.WriteFile(filepath.Join(dir, "tasks"), []byte("0"), 0o644) != nil {
			return false, home
		}
	}
	return true, home
}

// leave moves the calling thread back where enter found it.
func (cg *cgroups) leave(home map[string]string) bool {
	if cg == nil {
		return true
	}
	ok := true
	for ctl, path := range home {
		if cg.dir(ctl) == "" {
			continue
		}
		if os.WriteFile(filepath.Join(cgroupRoot, ctl, path, "tasks"), []byte("0"), 0o644) != nil {
			ok = false
		}
	}
	return ok
}

// tasksFiles opens the tasks file of each group of cg, for a thread of
// another process to move itself in with (the run's starter, whose
// mounts are read-only).
func (cg *cgroups) tasksFiles() []*os.File {
	if cg == nil {
		return nil
	}
	var files []*os.File
	for _, dir := range cg.dirs {
		if f, err := os.OpenFile(filepath.Join(dir, "tasks"), os.O_WRONLY, 0); err == nil {
			files = append(files, f)
		}
	}
	return files
}

// attach moves pid into cg's groups the slow way, where the thread could
// not enter them.
func (cg *cgroups) attach(pid int) {
	if cg == nil {
		return
	}
	for _, dir := range cg.dirs {
		_ = os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644)
	}
}

// threadGroups is where the calling thread is, by controller of ours:
// "pids" → "/" ("8:pids:/" in /proc/thread-self/cgroup; a line may name
// several controllers mounted together, "3:cpu,cpuacct:/").
func threadGroups() map[string]string {
	b, err := os.ReadFile("/proc/thread-self/cgroup")
	if err != nil {
		return nil
	}
	groups := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		for _, ctl := range strings.Split(f[1], ",") {
			for _, ours := range cgroupControllers {
				if ctl == ours {
					groups[ctl] = filepath.Clean("/" + f[2])
				}
			}
		}
	}
	return groups
}

func (cg *cgroups) has(ctl string) bool {
	return cg.dir(ctl) != ""
}

func (cg *cgroups) dir(ctl string) string {
	if cg == nil {
		return ""
	}
	for _, dir := range cg.dirs {
		if filepath.Base(filepath.Dir(dir)) == ctl {
			return dir
		}
	}
	return ""
}

// freeze stops every process of the group where it stands (a frozen process
// cannot fork) and reports whether it could; thaw lets them run again. A
// fork bomb is killed between the two in one pass instead of a race, and
// while it is frozen it no longer holds the CPU the grader needs to scan.
func (cg *cgroups) freeze() bool {
	dir := cg.dir("freezer")
	if dir == "" {
		return false
	}
	state := filepath.Join(dir, "freezer.state")
	if os.WriteFile(state, []byte("FROZEN"), 0o644) != nil {
		return false
	}
	for i := 0; i < 100; i++ {
		if b, _ := os.ReadFile(state); strings.TrimSpace(string(b)) == "FROZEN" {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

func (cg *cgroups) thaw() {
	if dir := cg.dir("freezer"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "freezer.state"), []byte("THAWED"), 0o644)
	}
}

// members lists the processes in the groups.
func (cg *cgroups) members() []int {
	if cg == nil {
		return nil
	}
	var out []int
	for _, dir := range cg.dirs {
		b, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				out = append(out, pid)
			}
		}
	}
	return out
}

// boost gives the group the largest CPU share, so that its processes,
// killed, exit at once.
func (cg *cgroups) boost() {
	if dir := cg.dir("cpu"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "cpu.shares"), []byte("262144"), 0o644)
	}
}

// tasks is how many tasks the pids group counts.
func (cg *cgroups) tasks() (int, bool) {
	dir := cg.dir("pids")
	if dir == "" {
		return 0, false
	}
	b, err := os.ReadFile(filepath.Join(dir, "pids.current"))
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	return n, err == nil
}

// hit says which limits the kernel enforced on the group.
func (cg *cgroups) hit() []Limit {
	var out []Limit
	if dir := cg.dir("pids"); dir != "" {
		b, _ := os.ReadFile(filepath.Join(dir, "pids.events"))
		if f := bytes.Fields(b); len(f) == 2 && string(f[1]) != "0" {
			out = append(out, LimitProcesses)
		}
	}
	if dir := cg.dir("memory"); dir != "" && memoryHit(dir) {
		out = append(out, LimitMemory)
	}
	return out
}

// memoryHit: usage met the limit, whether the OOM killer then ended the
// program or it went on thrashing until the grader stopped it. The kernel
// counts the kills; a charge that met the limit (failcnt) counts only
// where the group's peak is at its limit too: under a loaded machine's
// stress a fork bomb far below it has been seen with a count of one.
func memoryHit(dir string) bool {
	if b, err := os.ReadFile(filepath.Join(dir, "memory.oom_control")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if n, ok := strings.CutPrefix(line, "oom_kill "); ok && strings.TrimSpace(n) != "0" {
				return true
			}
		}
	}
	number := func(file string) int64 {
		b, _ := os.ReadFile(filepath.Join(dir, file))
		n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		return n
	}
	limit := number("memory.limit_in_bytes")
	return number("memory.failcnt") > 0 && limit > 0 && number("memory.max_usage_in_bytes") >= limit-limit/10
}

// remove deletes the groups once they are empty.
func (cg *cgroups) remove() {
	if cg == nil {
		return
	}
	for _, dir := range cg.dirs {
		// Killed tasks leave the group as they are reaped: a few tries.
		for i := 0; i < 50; i++ {
			if err := os.Remove(dir); err == nil || os.IsNotExist(err) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}
