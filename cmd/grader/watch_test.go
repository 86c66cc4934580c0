package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// A watch runs the grader in a cgroup of its own, in a cgroup v1 hierarchy
// that the grader never uses (cpuacct): every process that the grader or its
// programs start is born in it, and none can leave it without writing a
// cgroup file, which neither a per-slot uid nor an ordinary user may. What
// is in it after the grader ended is what the run left behind, whatever it
// did with sessions, process groups or its environment.
type watch struct{ dir string }

var watchCount atomic.Int64

const watchRoot = "/sys/fs/cgroup/cpuacct"

// newWatch makes the cgroup, or returns nil where there is no cgroup v1 cpu
// hierarchy to make it in (not root, not Linux).
func newWatch() *watch {
	if os.Geteuid() != 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(watchRoot, "cgroup.procs")); err != nil {
		return nil
	}
	dir := filepath.Join(watchRoot, fmt.Sprintf("grader-test-%d-%d", os.Getpid(), watchCount.Add(1)))
	Expect(os.Mkdir(dir, 0o755)).To(Succeed())
	w := &watch{dir: dir}
	DeferCleanup(func() {
		Eventually(w.processes).WithTimeout(5e9).Should(BeEmpty())
		Expect(os.Remove(dir)).To(Succeed())
	})
	return w
}

// start starts cmd inside the cgroup: moved in at once, before the grader
// started anything (its first program comes milliseconds later).
func (w *watch) start(cmd *exec.Cmd) *gexec.Session {
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	if w != nil {
		Expect(os.WriteFile(filepath.Join(w.dir, "cgroup.procs"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)).To(Succeed())
	}
	return s
}

// processes lists, with their command lines, the live processes in the
// cgroup.
func (w *watch) processes() []string {
	if w == nil {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(w.dir, "cgroup.procs"))
	Expect(err).NotTo(HaveOccurred())
	var out []string
	for _, f := range strings.Fields(string(b)) {
		cmdline, _ := os.ReadFile("/proc/" + f + "/cmdline")
		out = append(out, f+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return out
}
