package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// setupFor decides how the init confines itself for c.
func (s *Sandbox) setupFor(c Command) *initSetup {
	l := s.limits
	dir := c.Dir
	if dir == "" {
		dir = s.dir
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	setup := &initSetup{Dir: dir, Uid: -1, Gid: -1}
	cpu := uint64((l.CPU + time.Second - 1) / time.Second)
	// The kernel kills a process at the hard CPU limit. It sends SIGXCPU
	// at the soft one, which PID 1 ignores (and others may catch): the
	// soft limit is the hard one.
	setup.Rlimits = []rlimit{
		{unix.RLIMIT_CPU, cpu, cpu},
		{unix.RLIMIT_FSIZE, uint64(l.FileSize), uint64(l.FileSize)},
		{unix.RLIMIT_NOFILE, uint64(l.OpenFiles), uint64(l.OpenFiles)},
		{unix.RLIMIT_CORE, 0, 0},
	}
	if !s.mode.Isolated() {
		// RLIMIT_NPROC counts every process of the uid, the user's own
		// shells and editors too: only a uid of the program's own can
		// carry it.
		return setup
	}
	// Where a pids cgroup holds the program to the limit, it is the one
	// that refuses the fork, and its count of refusals says the limit was
	// met, however slowly a loaded machine let the program get there;
	// RLIMIT_NPROC, a little above, is the backstop.
	nproc := uint64(l.Processes)
	if CgroupsWritable() {
		nproc += 16
	}
	setup.Rlimits = append(setup.Rlimits, rlimit{unix.RLIMIT_NPROC, nproc, nproc})
	if s.slot != nil {
		setup.Uid, setup.Gid = s.slot.uid(), s.slot.uid()
	}
	setup.DropCaps = s.mode == UserNamespaces
	prefixes := installPrefixes(c.Path)
	setup.Mounts = s.mountPlan(dir, prefixes)
	if s.confine != ConfineMount {
		setup.Landlock = landlockRules(dir, prefixes, c.Env)
	}
	return setup
}

// installPrefixes are the folders a command's installation lives in: for
// /usr/bin/python3, /usr; for a pyenv or virtualenv interpreter, its
// version folder, both as named and as its links resolve.
func installPrefixes(path string) []string {
	var out []string
	add := func(p string) {
		if !filepath.IsAbs(p) {
			return
		}
		dir := filepath.Dir(p)
		if filepath.Base(dir) == "bin" {
			dir = filepath.Dir(dir)
		}
		for _, o := range out {
			if o == dir {
				return
			}
		}
		out = append(out, dir)
	}
	add(path)
	if real, err := filepath.EvalSymlinks(path); err == nil {
		add(real)
	}
	return out
}

// systemRead are the folders any program may read and run from.
var systemRead = []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/nix", "/proc", "/sys", "/dev"}

// deviceFiles may be written as well as read.
var deviceFiles = []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}

// landlockRules: the system, the command's installation and the folders of
// its PATH may be read; the submission folder and the program's own /tmp
// written. Nothing else: not the grader's exercise files, not the
// fixtures, not anyone's home.
func landlockRules(dir string, prefixes, env []string) *landlockPlan {
	p := &landlockPlan{Read: append(append([]string(nil), systemRead...), prefixes...), Files: deviceFiles, Write: []string{dir, "/tmp"}}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, d := range filepath.SplitList(v) {
				if filepath.IsAbs(d) {
					p.Read = append(p.Read, d)
				}
			}
		}
	}
	return p
}

// mountPlan: a fresh /proc, a /tmp of the program's own, and, for a
// per-slot uid, root's home (or wherever the command is installed out of
// its reach) covered so that only the installation shows through.
func (s *Sandbox) mountPlan(dir string, prefixes []string) *mountPlan {
	p := &mountPlan{Proc: true}
	keepUnder := func(target string, paths []string) []string {
		var keep []string
		for _, k := range paths {
			if Within(k, target) && k != target {
				keep = append(keep, k)
			}
		}
		return keep
	}
	if !Within("/tmp", dir) {
		p.Cover = append(p.Cover, cover{Target: "/tmp", Mode: 0o1777, Size: s.limits.Memory, Keep: keepUnder("/tmp", append([]string{dir}, prefixes...))})
	}
	if s.slot != nil {
		for _, pre := range prefixes {
			a := hiddenAncestor(pre)
			if a == "" || a == "/" || a == pre || Within("/tmp", a) || Within(a, "/tmp") || Within(dir, a) || coveredAlready(p, a) {
				continue
			}
			p.Cover = append(p.Cover, cover{Target: a, Mode: 0o755, Size: 1 << 20, Keep: keepUnder(a, prefixes)})
		}
	}
	if s.confine == ConfineMount {
		p.ReadOnly = true
		p.Writable = []string{dir, "/tmp"}
	}
	return p
}

func coveredAlready(p *mountPlan, target string) bool {
	for _, c := range p.Cover {
		if c.Target == target {
			return true
		}
	}
	return false
}

// hiddenAncestor is the highest folder on the way to path that others may
// not search (root's home, 0700): a per-slot uid cannot get past it.
func hiddenAncestor(path string) string {
	cur := "/"
	for _, part := range strings.Split(strings.TrimPrefix(filepath.Clean(path), "/"), "/") {
		cur = filepath.Join(cur, part)
		st, err := os.Stat(cur)
		if err != nil {
			return ""
		}
		if st.Mode().Perm()&0o001 == 0 {
			return cur
		}
	}
	return ""
}
