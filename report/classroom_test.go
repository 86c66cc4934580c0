package report_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

// decodeClassroom undoes the base64 of a github-classroom report.
func decodeClassroom(out string) string {
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
	Expect(err).NotTo(HaveOccurred())
	return string(data)
}

var _ = Describe("The github-classroom format", func() {
	It("sums, as the reporter sums it, to the grader's score", func() {
		doc := reporttest.ExpectClassroom(render("github-classroom", report.Options{}, sample))
		total, max := doc.Points()
		Expect(total).To(Equal(3.0))
		Expect(max).To(Equal(9))
		Expect(doc.Status).To(Equal("fail"))
		var statuses []string
		for _, t := range doc.Tests {
			statuses = append(statuses, t.Status)
		}
		Expect(statuses).To(Equal([]string{"pass", "fail", "fail", "error", "fail", "fail"}))
	})

	DescribeTable("says pass, fail or error for the whole run",
		func(run func() *result.Result, want string) {
			Expect(reporttest.ExpectClassroom(render("github-classroom", report.Options{}, run)).Status).To(Equal(want))
		},
		Entry("every check passed", func() *result.Result {
			r := sample()
			r.Checks = r.Checks[:1]
			return r
		}, "pass"),
		Entry("a check did not pass", sample, "fail"),
		Entry("nothing could be graded", broken, "error"),
	)

	It("sets the step output result when $GITHUB_OUTPUT names a file, appending to it", func() {
		path := filepath.Join(GinkgoT().TempDir(), "output")
		Expect(os.WriteFile(path, []byte("earlier=1\n"), 0o644)).To(Succeed())
		f, _ := report.Lookup("github-classroom")
		delivered, err := f.Deliver(sample(), report.Options{Getenv: envOf("GITHUB_OUTPUT", path)})
		Expect(err).NotTo(HaveOccurred())
		Expect(delivered).To(BeTrue())
		data, _ := os.ReadFile(path)
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		Expect(lines).To(HaveLen(2))
		Expect(lines[0]).To(Equal("earlier=1"))
		Expect(lines[1]).To(HavePrefix("result="))
		Expect(lines[1]).To(Equal("result=" + strings.TrimSpace(render("github-classroom", report.Options{}, sample))))
	})

	It("delivers nothing outside GitHub Actions", func() {
		f, _ := report.Lookup("github-classroom")
		delivered, err := f.Deliver(sample(), report.Options{})
		Expect(err).NotTo(HaveOccurred())
		Expect(delivered).To(BeFalse())
	})
})
