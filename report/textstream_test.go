package report_test

import (
	"bytes"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
)

// stream plays a run to a TextStream as the engine does: each check is
// announced, then its verdict given; it returns what was written after
// each step.
func stream(r *result.Result, o report.Options, live bool) (steps []string, all string) {
	GinkgoHelper()
	plan := &result.Result{}
	for _, c := range r.Checks {
		plan.Checks = append(plan.Checks, result.Check{ID: c.ID, Title: c.Title, Hidden: c.Hidden})
	}
	var b bytes.Buffer
	s := report.NewTextStream(&b, plan, o, live)
	Expect(s.Begin(r)).To(Succeed())
	for _, c := range r.Checks {
		Expect(s.Running(c.ID, c.Title, c.Hidden)).To(Succeed())
		steps = append(steps, b.String())
		Expect(s.Check(c)).To(Succeed())
		steps = append(steps, b.String())
	}
	Expect(s.Finish(r)).To(Succeed())
	return steps, b.String()
}

// screen is what a terminal shows of live output: a carriage return and
// "erase line" remove the running line.
func screen(out string) string {
	return regexp.MustCompile(`(?m)\r\x1b\[K[^\n\r]*(\r\x1b\[K)`).ReplaceAllString(out, "")
}

var _ = Describe("The text report, streamed as the run goes", func() {
	It("ends up exactly as the text report of the whole run", func() {
		_, all := stream(sample(), report.Options{}, false)
		Expect(all).To(Equal(render("text", report.Options{}, sample)))
		_, all = stream(sample(), report.Options{ShowHidden: true}, false)
		Expect(all).To(Equal(render("text", report.Options{ShowHidden: true}, sample)))
	})

	It("shows each verdict as soon as it is given, and in a log only appends lines", func() {
		steps, _ := stream(sample(), report.Options{}, false)
		Expect(steps[1]).To(ContainSubstring("✓ listens"))
		Expect(steps[1]).NotTo(ContainSubstring("echo-time"))
		Expect(steps[3]).To(ContainSubstring("✗ echo-time"))
		Expect(strings.Join(steps, "")).NotTo(ContainSubstring("\r"))
	})

	It("on a terminal shows the check that runs, then overwrites it with the verdict", func() {
		steps, all := stream(sample(), report.Options{}, true)
		Expect(steps[0]).To(HaveSuffix("\r\x1b[K… listens         The server starts and accepts a TCP connection  running"))
		Expect(steps[1]).To(ContainSubstring("running\r\x1b[K✓ listens"))
		Expect(screen(all)).To(Equal(render("text", report.Options{}, sample)))
	})

	It("never names a check hidden whole, not even while it runs", func() {
		steps, all := stream(sample(), report.Options{}, true)
		Expect(all).NotTo(ContainSubstring("SECRET"))
		Expect(strings.Join(steps, "")).To(ContainSubstring("… hidden"))
	})

	It("writes the whole report at the end when nothing ran (a missing file)", func() {
		r := sample()
		r.Error = "simple_server.py not found in /tmp/x."
		plan := &result.Result{Checks: r.Checks}
		var b bytes.Buffer
		s := report.NewTextStream(&b, plan, report.Options{}, true)
		Expect(s.Finish(r)).To(Succeed())
		Expect(b.String()).To(Equal(render("text", report.Options{}, func() *result.Result { return r })))
	})
})
