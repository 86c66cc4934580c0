package report_test

import (
	"bytes"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
)

var _ = Describe("The text report", func() {
	failed := func(message, expected string) string {
		r := &result.Result{Exercise: "x", Title: "X", Checks: []result.Check{{
			ID: "c", Title: "C", Status: result.Failed, MaxScore: 1, Message: message, Expected: expected,
		}}}
		var b bytes.Buffer
		Expect(report.Text{}.Write(&b, r)).To(Succeed())
		return b.String()
	}

	It("does not say an expectation twice: once the message states it, there is no expected: line", func() {
		Expect(failed(`The reply does not match: expected exactly "draw".`, `exactly "draw"`)).NotTo(ContainSubstring("expected: "))
		Expect(failed(`The reply has no clock time in it.`, `a reply with the time as HH:MM:SS`)).To(ContainSubstring("    expected: a reply with the time as HH:MM:SS\n"))
	})
})
