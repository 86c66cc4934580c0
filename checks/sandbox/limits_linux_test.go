package sandbox_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/sandbox"
)

var _ = Describe("A sandboxed program's limits", func() {
	var mode sandbox.Mode
	BeforeEach(func() { mode = isolated() })

	It("stop a fork bomb at the process limit, and say so", func() {
		sb := newSandbox(sandbox.Config{Mode: mode, Limits: sandbox.Limits{Processes: 32}}, nil)
		r := startIn(sb, `
import os, time
n = 0
for i in range(200):
    try:
        if os.fork() == 0:
            time.sleep(60); os._exit(0)
        n += 1
    except OSError:
        break
print("forked", n, flush=True)
time.sleep(60)
`)
		Eventually(r.out.String).WithTimeout(10 * time.Second).Should(MatchRegexp(`forked \d+\n`))
		Expect(r.out.String()).To(MatchRegexp(`forked 3[01]\n`))
		r.stop()
		Expect(r.prog.Hits()).To(Equal([]sandbox.Limit{sandbox.LimitProcesses}))
	})

	It("stop a program that takes more memory than the limit, and say so", func() {
		sb := newSandbox(sandbox.Config{Mode: mode, Limits: sandbox.Limits{Memory: 64 << 20}}, nil)
		r := startIn(sb, `
import time
hog = []
for i in range(40):
    hog.append(bytearray(8 << 20)); time.sleep(0.01)
print("survived", flush=True)
time.sleep(60)
`)
		ps := r.ended()
		Expect(r.out.String()).NotTo(ContainSubstring("survived"))
		Expect(ps.String()).To(Equal("signal: killed"))
		r.prog.Finish(ps)
		Expect(r.prog.Hits()).To(Equal([]sandbox.Limit{sandbox.LimitMemory}))
	})

	It("without cgroups, stop a program whose memory, measured as it runs, passes the limit", func() {
		DeferCleanup(sandbox.WithoutCgroups())
		sb := newSandbox(sandbox.Config{Mode: mode, Limits: sandbox.Limits{Memory: 64 << 20}}, nil)
		r := startIn(sb, `
import time
hog = []
for i in range(40):
    hog.append(b"x" * (8 << 20)); time.sleep(0.02)
print("survived", flush=True)
time.sleep(60)
`)
		ps := r.ended()
		Expect(r.out.String()).NotTo(ContainSubstring("survived"))
		r.prog.Finish(ps)
		Expect(r.prog.Hits()).To(Equal([]sandbox.Limit{sandbox.LimitMemory}))
	})

	It("stop a program that spins past its CPU time, and say so", func() {
		sb := newSandbox(sandbox.Config{Mode: mode, Limits: sandbox.Limits{CPU: time.Second}}, nil)
		r := startIn(sb, `while True: pass`)
		ps := r.ended()
		// PID 1 ignores SIGXCPU as any signal it has no handler for: the
		// kernel kills it at the limit.
		Expect(ps.String()).To(Equal("signal: killed"))
		Expect(ps.UserTime() + ps.SystemTime()).To(BeNumerically("~", time.Second, 200*time.Millisecond))
		r.prog.Finish(ps)
		Expect(r.prog.Hits()).To(Equal([]sandbox.Limit{sandbox.LimitCPU}))
	})

	It("refuse a file larger than the limit and more open files than the limit", func() {
		sb := newSandbox(sandbox.Config{Mode: mode, Limits: sandbox.Limits{FileSize: 1 << 20, OpenFiles: 32}}, nil)
		r := startIn(sb, `
try:
    open("big", "wb").write(b"x" * (2 << 20))
except OSError as e:
    print("write:", e.strerror, flush=True)
files = []
try:
    for i in range(100): files.append(open("/dev/null"))
except OSError as e:
    print("open:", e.strerror, len(files), flush=True)
`)
		r.ended()
		Expect(r.out.String()).To(ContainSubstring("write: File too large"))
		Expect(r.out.String()).To(MatchRegexp(`open: Too many open files 2\d\b`))
	})

	It("are named one at a time, in words", func() {
		l := sandbox.DefaultLimits
		Expect(l.Notice(sandbox.LimitMemory)).To(Equal("Your program ran into the memory limit of 512 MiB and was stopped. A server needs a few MiB; look for data that grows without end."))
		Expect(l.Describe(sandbox.LimitProcesses)).To(Equal("the limit of 128 processes and threads"))
		Expect(l.Describe(sandbox.LimitCPU)).To(Equal("the CPU time limit of 1m0s"))
	})
})
