package report_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var _ = Describe("The tap format", func() {
	It("is TAP 14 with a diagnostic block under each check that did not pass", func() {
		points := reporttest.ExpectTAP(render("tap", report.Options{}, sample))
		Expect(points).To(HaveLen(6))
		Expect(points[0].OK).To(BeTrue())
		Expect(points[0].YAML).To(BeNil())
		Expect(points[1].OK).To(BeFalse())
		Expect(points[1].YAML).To(HaveKeyWithValue("severity", "fail"))
		Expect(points[1].YAML).To(HaveKeyWithValue("data", HaveKeyWithValue("got_at", 9)))
		Expect(points[3].YAML).To(HaveKeyWithValue("severity", "error"))
	})

	It("marks a skipped check with a SKIP directive that gives the reason", func() {
		points := reporttest.ExpectTAP(render("tap", report.Options{}, sample))
		Expect(points[2].OK).To(BeTrue())
		Expect(points[2].Directive).To(Equal(`SKIP Skipped: it needs "echo-time", which failed.`))
	})

	It("keeps a title's # from posing as a directive", func() {
		points := reporttest.ExpectTAP(render("tap", report.Options{}, hostile))
		Expect(points[0].Directive).To(BeEmpty())
		Expect(points[0].Desc).To(ContainSubstring(`\# TODO`))
	})
})
