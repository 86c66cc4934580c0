package checks_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

// eventsOf lists the transcript's events of one kind.
func eventsOf(c result.Check, kind result.EventKind) []string {
	var out []string
	for _, e := range c.Transcript {
		if e.Kind == kind {
			out = append(out, e.Data)
		}
	}
	return out
}

var _ = Describe("The transcript of what a program printed", func() {
	It("keeps a line written in scraps, however far apart, as one event", func() {
		// Unbuffered Python writes sys.exit's message and its newline apart;
		// the sleep stands for a loaded machine.
		r := grade(`
import sys, time
sys.stderr.write("half a line")
sys.stderr.flush()
time.sleep(0.05)
sys.stderr.write(", and the rest\n")
sys.stderr.flush()
time.sleep(0.05)
sys.stderr.write("a second line\n")
`, `
  - id: ends
    title: T
    steps:
      - start: {}
      - exit: {within: 5s}
`)
		Expect(r.Checks[0].Status).To(Equal(result.Passed), r.Checks[0].Message)
		Expect(eventsOf(r.Checks[0], result.Stderr)).To(Equal([]string{"half a line, and the rest\n", "a second line\n"}))
	})
})
