package report_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var _ = Describe("The junit format", func() {
	It("has one testcase per check, named by id and title, with times in seconds", func() {
		root := reporttest.ExpectJUnit(render("junit", report.Options{}, sample))
		cases := root.All("testcase")
		Expect(cases).To(HaveLen(6))
		name, _ := cases[1].Attr("name")
		Expect(name).To(Equal("echo-time: A message comes back with the current time"))
		t, _ := cases[1].Attr("time")
		Expect(t).To(Equal("0.212"))
		t, _ = root.All("testsuite")[0].Attr("time")
		Expect(t).To(Equal("2.346"))
	})

	It("says failed, could not run and skipped each its own way", func() {
		root := reporttest.ExpectJUnit(render("junit", report.Options{}, sample))
		Expect(root.All("failure")).To(HaveLen(3))
		Expect(root.All("error")).To(HaveLen(1))
		Expect(root.All("skipped")).To(HaveLen(1))
		msg, _ := root.All("skipped")[0].Attr("message")
		Expect(msg).To(Equal(`Skipped: it needs "echo-time", which failed.`))
	})

	It("keeps a program's XML, control characters and invalid bytes from breaking the document", func() {
		root := reporttest.ExpectJUnit(render("junit", report.Options{}, hostile))
		Expect(root.All("testcase")).To(HaveLen(2))
		Expect(root.All("failure")[0].Text).To(ContainSubstring("</failure></testcase>"))
	})
})
