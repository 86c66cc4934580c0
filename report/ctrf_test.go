package report_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var _ = Describe("The ctrf format", func() {
	It("validates against the official schema, counts by status, and keeps points under extra", func() {
		out := render("ctrf", report.Options{}, sample)
		reporttest.ExpectCTRF(out)
		var doc struct {
			Results struct {
				Summary map[string]int64 `json:"summary"`
				Tests   []map[string]any `json:"tests"`
			} `json:"results"`
		}
		Expect(json.Unmarshal([]byte(out), &doc)).To(Succeed())
		s := doc.Results.Summary
		Expect([]int64{s["tests"], s["passed"], s["failed"], s["skipped"], s["pending"], s["other"]}).To(Equal([]int64{6, 1, 3, 1, 0, 1}))
		Expect(s["stop"] - s["start"]).To(Equal(int64(2345)))
		errored := doc.Results.Tests[3]
		Expect(errored).To(HaveKeyWithValue("status", "other"))
		Expect(errored).To(HaveKeyWithValue("rawStatus", "error"))
		Expect(doc.Results.Tests[1]["extra"]).To(HaveKeyWithValue("max_score", BeNumerically("==", 1)))
	})

	It("is judged by a validator that rejects what is not CTRF", func() {
		var doc map[string]any
		Expect(json.Unmarshal([]byte(render("ctrf", report.Options{}, sample)), &doc)).To(Succeed())
		results := doc["results"].(map[string]any)
		delete(results, "summary")
		results["tests"].([]any)[0].(map[string]any)["status"] = "green"
		broken, err := json.Marshal(doc)
		Expect(err).NotTo(HaveOccurred())
		Expect(reporttest.CTRFErrors(string(broken))).To(ConsistOf(
			"/results: must have required property 'summary'",
			"/results/tests/0/status: must be equal to one of the allowed values"))
	})

	It("gives what the program printed as lines, with escapes made visible", func() {
		out := render("ctrf", report.Options{}, sample)
		var doc struct {
			Results struct {
				Tests []struct{ Stdout, Stderr []string } `json:"tests"`
			} `json:"results"`
		}
		Expect(json.Unmarshal([]byte(out), &doc)).To(Succeed())
		Expect(doc.Results.Tests[1].Stderr).To(Equal([]string{"::stop-commands::x", `{"score": 100}`}))
		Expect(doc.Results.Tests[1].Stdout[2]).To(Equal("</failure></testcase>�[31mPASS���"))
	})
})
