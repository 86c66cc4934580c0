package report_test

import (
	"encoding/base64"
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var runs = []struct {
	name string
	make func() *result.Result
}{
	{"the sample run", sample},
	{"a run that could not grade anything", broken},
	{"a run full of bytes that break formats", hostile},
}

var _ = Describe("The formats", func() {
	It("are the ones the CLI offers, each with a writer", func() {
		Expect(report.Names()).To(Equal([]string{"ctrf", "github", "github-classroom", "gradescope", "json", "junit", "tap", "text"}))
		for _, n := range report.Names() {
			f, ok := report.Lookup(n)
			Expect(ok).To(BeTrue())
			Expect(f.Write).NotTo(BeNil(), n)
		}
		_, ok := report.Lookup("xml")
		Expect(ok).To(BeFalse())
	})

	var entries []TableEntry
	for _, format := range report.Names() {
		for _, run := range runs {
			for _, show := range []bool{false, true} {
				who := "students"
				if show {
					who = "instructors"
				}
				entries = append(entries, Entry(fmt.Sprintf("%s, %s, for %s", format, run.name, who), format, run.make, show))
			}
		}
	}
	DescribeTable("each passes its consumer's rules and gives the grader's score",
		func(format string, run func() *result.Result, show bool) {
			out := render(format, report.Options{ShowHidden: show}, run)
			score, max := reporttest.Score(format, out)
			Expect([]int{score, max}).To(Equal([]int{run().Score, run().MaxScore}))
		},
		entries,
	)

	DescribeTable("a run that could not grade anything still gives 0 points and says why",
		func(format string) {
			out := render(format, report.Options{}, broken)
			score, _ := reporttest.Score(format, out)
			Expect(score).To(Equal(0))
			if format == "github-classroom" {
				data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
				Expect(err).NotTo(HaveOccurred())
				out = string(data)
			}
			Expect(out).To(ContainSubstring("not found in"))
		},
		func() []TableEntry {
			var es []TableEntry
			for _, f := range report.Names() {
				es = append(es, Entry(f, f))
			}
			return es
		}(),
	)
})
