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

// warmAttach moves the grader into the pids group it is in already, in
// the background. The move changes nothing, but the kernel's first move
// of a process into a group after a quiet spell waits for an RCU grace
// period (cgroup_threadgroup_rwsem: 5 to 18 ms measured on a 2-core VM),
// and a move within about a grace period of another does not wait. Made
// when a run begins, it takes that wait off the first program start,
// whose init must be in its groups before the program runs.
func warmAttach() {
	if !CgroupsWritable() {
		return
	}
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		// "8:pids:/some/group"
		f := strings.SplitN(line, ":", 3)
		if len(f) == 3 && f[1] == "pids" {
			procs := filepath.Join(cgroupRoot, "pids", filepath.Clean("/"+f[2]), "cgroup.procs")
			go func() { _ = os.WriteFile(procs, []byte(strconv.Itoa(os.Getpid())), 0o644) }()
			return
		}
	}
}

// CgroupName is the name of the groups of one program.
func cgroupName(tag string) string { return "grader-" + strconv.Itoa(os.Getpid()) + "-" + tag }

// confine puts pid in fresh pids and memory groups (and a freezer group).
// Called before the program runs: the init waits for its spec.
func confine(pid int, tag string, l Limits) *cgroups {
	if !CgroupsWritable() {
		return nil
	}
	cg := &cgroups{}
	settings := map[string][2]string{
		"pids":   {"pids.max", strconv.Itoa(l.Processes)},
		"memory": {"memory.limit_in_bytes", strconv.FormatInt(l.Memory, 10)},
	}
	for _, ctl := range cgroupControllers {
		dir := filepath.Join(cgroupRoot, ctl, cgroupName(tag))
		if os.Mkdir(dir, 0o755) != nil {
			continue
		}
		cg.dirs = append(cg.dirs, dir)
		if s, ok := settings[ctl]; ok {
			_ = os.WriteFile(filepath.Join(dir, s[0]), []byte(s[1]), 0o644)
		}
		_ = os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644)
	}
	return cg
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

// memoryHit: usage met the limit (a charge failed), whether the OOM
// killer then ended the program or it went on thrashing until the grader
// stopped it.
func memoryHit(dir string) bool {
	b, _ := os.ReadFile(filepath.Join(dir, "memory.failcnt"))
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n > 0
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
