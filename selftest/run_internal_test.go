package selftest

import (
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
)

func caseOf(name string, port checks.Port) Case {
	return Case{Exercise: &checks.Exercise{Name: name, Port: port}, Fixture: &Fixture{}}
}

var _ = Describe("Scheduling fixtures with --jobs", func() {
	DescribeTable("a fixture holds its exercise and the port it suggests, on its transport",
		func(port checks.Port, want []string) {
			Expect(locks(caseOf("x", port))).To(Equal(want))
		},
		Entry("a TCP server", checks.Port{Suggested: 5005}, []string{"exercise x", "tcp port 5005"}),
		Entry("a UDP server", checks.Port{Suggested: 5005, UDP: true}, []string{"exercise x", "udp port 5005"}),
		Entry("a client, where the grader listens", checks.Port{Suggested: 6667, Client: true}, []string{"exercise x", "tcp port 6667"}),
		Entry("a program handed a free port", checks.Port{Handed: true}, []string{"exercise x"}),
	)

	It("runs a UDP exercise beside a TCP one that suggests the same number, never beside one on the same UDP port", func() {
		cases := []Case{
			caseOf("udp-a", checks.Port{Suggested: 5005, UDP: true}),
			caseOf("tcp-b", checks.Port{Suggested: 5005}),
			caseOf("udp-c", checks.Port{Suggested: 5005, UDP: true}),
		}
		s := &scheduler{cases: cases, held: map[string]bool{}, taken: make([]bool, len(cases))}
		s.cond = sync.NewCond(&s.mu)
		first, _ := s.next()
		second, _ := s.next()
		Expect([]int{first, second}).To(Equal([]int{0, 1}))
		// udp-c waits for udp-a, whose port it would bind.
		Expect(s.held).To(HaveKey("udp port 5005"))
		Expect(s.taken[2]).To(BeFalse())
		s.done(first)
		third, ok := s.next()
		Expect(ok).To(BeTrue())
		Expect(third).To(Equal(2))
	})
})
