package sandbox_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/sandbox"
)

var _ = Describe("A run's starter, as root", func() {
	BeforeEach(func() {
		if isolated() != sandbox.Namespaces {
			Skip("the starter is root's: the sandbox's root mode is not available here")
		}
	})

	It("forks every program of the run after the first (which takes the init launched beside the probe), each PID 1 of a namespace of its own, as the run's user", func() {
		sb := newSandbox(sandbox.Config{Mode: sandbox.Namespaces}, nil)
		first := startIn(sb, `print("first", flush=True)`)
		first.printed("first")
		code := `import os; print("pid", os.getpid(), "uid", os.getuid(), "procs", sorted(p for p in os.listdir("/proc") if p.isdigit()), flush=True); import time; time.sleep(60)`
		a, b := startIn(sb, code), startIn(sb, code)
		a.printed("procs")
		b.printed("procs")
		starter := sb.StarterPid()
		Expect(starter).NotTo(BeZero())
		for _, r := range []*run{a, b} {
			Expect(r.out.String()).To(ContainSubstring("pid 1 uid " + itoa(sb.User()) + " procs "))
			Expect(parentOf(r.prog.GraderPid())).To(Equal(starter))
		}
		// Its /proc is the starter's: the run's live programs, not the
		// starter (root's), nor anything of the machine.
		Expect(b.out.String()).To(MatchRegexp(`procs \['\d+', '\d+'\]`))
		Expect(b.out.String()).NotTo(ContainSubstring("'1'"))
		Expect(pidNamespace(a.prog.GraderPid())).NotTo(Equal(pidNamespace(b.prog.GraderPid())))
		Expect(pidNamespace(a.prog.GraderPid())).NotTo(Equal(pidNamespace(os.Getpid())))
	})

	It("passes on how each program ended: its exit status, the signal that ended it, the CPU time it used", func() {
		sb := newSandbox(sandbox.Config{Mode: sandbox.Namespaces}, nil)
		r := startIn(sb, `import sys; sum(range(3 * 10**6)); sys.exit(3)`)
		e := r.ended()
		Expect(e.ExitCode()).To(Equal(3))
		Expect(e.String()).To(Equal("exit status 3"))
		Expect(e.UserTime() + e.SystemTime()).To(BeNumerically(">", 0))

		r = startIn(sb, `print("up", flush=True); import time; time.sleep(60)`)
		r.printed("up")
		r.prog.Kill()
		Eventually(r.done).Should(BeClosed())
		Expect(r.ps.ExitCode()).To(Equal(-1))
		Expect(r.ps.Signal()).To(Equal(syscall.SIGKILL))
		Expect(r.ps.String()).To(Equal("signal: killed"))
	})

	It("when it is gone, its programs end with it, and the run's next starts go through inits", func() {
		sb := newSandbox(sandbox.Config{Mode: sandbox.Namespaces}, nil)
		r := startIn(sb, `print("up", flush=True); import time; time.sleep(60)`)
		r.printed("up")
		starter := sb.StarterPid()
		Expect(syscall.Kill(starter, syscall.SIGKILL)).To(Succeed())
		Eventually(r.done).Should(BeClosed())
		Expect(r.ps.String()).To(Equal("signal: killed"))
		Eventually(func() bool { return processAlive(r.prog.GraderPid()) }).Should(BeFalse())

		next := startIn(sb, `print("started", flush=True)`)
		next.printed("started")
		Expect(next.ended().Success()).To(BeTrue())
	})
})

// parentOf is a process's parent, as the grader numbers them.
func parentOf(pid int) int {
	b, err := os.ReadFile(filepath.Join("/proc", itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PPid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

func pidNamespace(pid int) string {
	ns, _ := os.Readlink(filepath.Join("/proc", itoa(pid), "ns", "pid"))
	return ns
}

func processAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}
