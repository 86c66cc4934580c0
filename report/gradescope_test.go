package report_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var _ = Describe("The gradescope format (results.json)", func() {
	It("lists the checks in order, passed or failed, with the evidence as plain text", func() {
		doc := reporttest.ExpectGradescope(render("gradescope", report.Options{}, sample))
		var order, statuses []any
		for _, t := range doc["tests"].([]any) {
			test := t.(map[string]any)
			order = append(order, test["number"])
			statuses = append(statuses, test["status"])
		}
		Expect(order).To(Equal([]any{"1", "2", "3", "4", "5", "6", "7"}))
		Expect(statuses).To(Equal([]any{"passed", "failed", "failed", "failed", "failed", "passed", "failed"}))
		echo := doc["tests"].([]any)[1].(map[string]any)
		Expect(echo["output_format"]).To(Equal("text"))
		Expect(echo["output"]).To(ContainSubstring(`hint: Send back the data`))
		Expect(doc["stdout_visibility"]).To(Equal("hidden"), "the grader's own log may hold hidden details")
	})

	It("gives a run that could not grade anything 0 points, every test failed with the reason", func() {
		doc := reporttest.ExpectGradescope(render("gradescope", report.Options{}, broken))
		Expect(doc["score"]).To(BeZero())
		Expect(doc["output"]).To(ContainSubstring("Nothing could be graded: simple_server.py not found"))
		for _, t := range doc["tests"].([]any) {
			Expect(t).To(HaveKeyWithValue("status", "failed"))
			Expect(t).To(HaveKeyWithValue("score", BeZero()))
			Expect(t).To(HaveKeyWithValue("output", ContainSubstring("not found in")))
		}
	})
})
