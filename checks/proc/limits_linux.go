//go:build linux

package proc

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limits are enforced with cgroup v1's pids and memory controllers where
// they are mounted and writable (root, as in CI): RLIMIT_NPROC is ignored
// for uid 0, and RLIMIT_AS breaks Go, Node and Java runtimes
// (../shared/ISOLATION.md). Each program gets a group of its own, which also
// lists every process of its tree, escaped or not.
const cgroupRoot = "/sys/fs/cgroup"

type cgroups struct {
	dirs []string // one per controller
}

var (
	cgroupOnce sync.Once
	cgroupOK   bool
)

// LimitsEnforced tells whether Limits take effect on this machine.
func LimitsEnforced() bool {
	cgroupOnce.Do(func() {
		probe := filepath.Join(cgroupRoot, "pids", "grader-probe-"+strconv.Itoa(os.Getpid()))
		if os.Mkdir(probe, 0o755) == nil {
			cgroupOK = true
			_ = os.Remove(probe)
			removeStale()
		}
	})
	return cgroupOK
}

// removeStale removes the empty groups of graders that were killed before
// they could remove their own. A group is left alone for a minute after it
// was made, so as not to race a grader that is just moving into it; rmdir
// refuses a group that still holds a process.
func removeStale() {
	for _, ctl := range []string{"pids", "memory", "freezer"} {
		dirs, _ := filepath.Glob(filepath.Join(cgroupRoot, ctl, "grader-*"))
		for _, dir := range dirs {
			if st, err := os.Stat(dir); err == nil && time.Since(st.ModTime()) > time.Minute {
				_ = os.Remove(dir)
			}
		}
	}
}

// confine puts pid in fresh pids and memory groups. Called right after the
// start: a Python program cannot fork before its interpreter is up, tens of
// milliseconds later; its children are born inside the groups.
func confine(pid int, tag string, l Limits) *cgroups {
	if !LimitsEnforced() {
		return nil
	}
	if l.Procs == 0 {
		l.Procs = DefaultLimits.Procs
	}
	if l.Memory == 0 {
		l.Memory = DefaultLimits.Memory
	}
	cg := &cgroups{}
	settings := map[string][2]string{
		"pids":   {"pids.max", strconv.Itoa(l.Procs)},
		"memory": {"memory.limit_in_bytes", strconv.FormatInt(l.Memory, 10)},
	}
	for _, ctl := range []string{"pids", "memory", "freezer"} {
		dir := filepath.Join(cgroupRoot, ctl, "grader-"+tag)
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

// freeze stops every process of the group where it stands (a frozen process
// cannot fork) and reports whether it could; thaw lets them run again. A
// fork bomb is killed between the two in one pass instead of a race, and
// while it is frozen it no longer holds the CPU the grader needs to scan.
func (cg *cgroups) freeze() bool {
	state := cg.freezerState()
	if state == "" || os.WriteFile(state, []byte("FROZEN"), 0o644) != nil {
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
	if state := cg.freezerState(); state != "" {
		_ = os.WriteFile(state, []byte("THAWED"), 0o644)
	}
}

func (cg *cgroups) freezerState() string {
	if cg == nil {
		return ""
	}
	for _, dir := range cg.dirs {
		if filepath.Base(filepath.Dir(dir)) == "freezer" {
			return filepath.Join(dir, "freezer.state")
		}
	}
	return ""
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

// hitLimit says which limits the program ran into, in words.
func (cg *cgroups) hitLimit() []string {
	if cg == nil {
		return nil
	}
	var out []string
	for _, dir := range cg.dirs {
		switch filepath.Base(filepath.Dir(dir)) {
		case "pids":
			b, _ := os.ReadFile(filepath.Join(dir, "pids.events"))
			if f := bytes.Fields(b); len(f) == 2 && string(f[1]) != "0" {
				out = append(out, "the limit on processes")
			}
		case "memory":
			b, _ := os.ReadFile(filepath.Join(dir, "memory.failcnt"))
			if n, _ := strconv.Atoi(strings.TrimSpace(string(b))); n > 0 {
				out = append(out, "the limit on memory")
			}
		}
	}
	return out
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
