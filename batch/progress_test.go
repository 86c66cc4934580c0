package batch

import (
	"bytes"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

var _ = Describe("Progress", func() {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	full := &result.Graded{Student: "a", Result: &result.Result{Score: 2, MaxScore: 2}}
	partial := &result.Graded{Student: "b", Result: &result.Result{Score: 1, MaxScore: 2}}

	It("in a log, is a line every tenth of the class, with the rate, the time left and the full marks", func() {
		var out bytes.Buffer
		l := NewLines(&out)
		now := t0
		l.now = func() time.Time { return now }
		l.Begin(20, 0)
		for i := range 20 {
			now = now.Add(3 * time.Second)
			if i%2 == 0 {
				l.Graded(full)
			} else {
				l.Graded(partial)
			}
		}
		got := strings.Split(strings.TrimSpace(out.String()), "\n")
		Expect(got).To(HaveLen(10))
		Expect(got[0]).To(Equal("grader: 10%  2/20  20.0/min  ETA 54s  1 full marks"))
		Expect(got[9]).To(Equal("grader: 100%  20/20  20.0/min  10 full marks"))
	})

	It("says what an earlier run in the same folder already graded", func() {
		var out bytes.Buffer
		l := NewLines(&out)
		l.Begin(5, 15)
		Expect(out.String()).To(Equal("grader: 15 already graded in this folder, 5 to grade\n"))
	})

	It("on a terminal, is a bar redrawn in place", func() {
		var out bytes.Buffer
		b := NewBar(&out, 100)
		now := t0
		b.now = func() time.Time { return now }
		b.Begin(4, 0)
		now = now.Add(2 * time.Second)
		b.Graded(full)
		b.End(false)
		draws := strings.Split(out.String(), "\r")
		Expect(draws[0]).To(BeEmpty())
		Expect(draws).To(ContainElement("██████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  1/4  30.0/min  ETA 6s  1 full marks\x1b[K"))
		Expect(out.String()).To(HaveSuffix("\x1b[K\n"))
	})
})
