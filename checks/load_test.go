package checks_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/checkstest"
	"github.com/acme-lab/grader/checks/sandbox"
	"github.com/acme-lab/grader/exercises"
)

var exercise = checkstest.Exercise

var _ = Describe("Loading an exercise file", func() {
	It("loads every built-in exercise", func() {
		for _, name := range exercises.Names() {
			_, err := exercises.Find(name)
			Expect(err).NotTo(HaveOccurred(), name)
		}
	})

	It("fills in defaults: one point a check, 20s a check, 2s a step, 5s to start", func() {
		ex, err := checks.Load("x.yaml", []byte(exercise("  - id: a\n    title: A\n    steps:\n      - connect: {}\n")))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Name).To(Equal("x"))
		Expect(ex.Checks[0].Points).To(Equal(1))
		Expect(ex.Checks[0].Timeout.String()).To(Equal("20s"))
		Expect(ex.Timeouts.Step.String()).To(Equal("2s"))
		Expect(ex.Timeouts.Start.String()).To(Equal("5s"))
	})

	It("reads limits, keeping the defaults of those not given", func() {
		src := strings.Replace(exercise("  - id: a\n    title: A\n    steps: [{connect: {}}]\n"), "checks:", "limits: {memory: 64MiB, cpu: 2s}\nchecks:", 1)
		ex, err := checks.Load("x.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Limits).To(Equal(sandbox.Limits{Processes: 128, Memory: 64 << 20, CPU: 2 * time.Second, FileSize: 64 << 20, OpenFiles: 256}))
	})

	It("hands a free port to a program whose command names {{ port }}", func() {
		src := strings.Replace(exercise("  - id: a\n    title: A\n    steps: [{connect: {}}]\n"), "python3 s.py", "python3 s.py {{ port }}", 1)
		ex, err := checks.Load("x.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Port.Handed).To(BeTrue())
	})

	DescribeTable("rejects a broken file with every problem at file:line:col",
		func(b checkstest.Broken) {
			_, err := checks.Load("exercises/x.yaml", []byte(b.Src))
			Expect(err).To(HaveOccurred())
			Expect(strings.Split(err.Error(), "\n")).To(Equal(b.Want))
		},
		brokenEntries(),
	)
})

func brokenEntries() []TableEntry {
	var out []TableEntry
	for _, b := range checkstest.BrokenFiles() {
		out = append(out, Entry(b.Name, b))
	}
	return out
}
