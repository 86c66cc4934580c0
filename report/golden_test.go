package report_test

import (
	"bytes"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

func goldenPath(name string) string { return filepath.Join("testdata", "golden", name) }

// render writes r in the named format with o, as the CLI does.
func render(name string, o report.Options, r func() *result.Result) string {
	GinkgoHelper()
	f, ok := report.Lookup(name)
	Expect(ok).To(BeTrue(), name)
	var b bytes.Buffer
	Expect(f.Render(&b, r(), o)).To(Succeed())
	return b.String()
}

var _ = Describe("Golden reports of one hand-made run", func() {
	DescribeTable("every format writes exactly its golden file",
		func(format, file string, o report.Options) {
			reporttest.ExpectGolden(goldenPath(file), render(format, o, sample))
		},
		Entry("text", "text", "text.txt", report.Options{Dir: "lab"}),
		Entry("text for instructors (--show-hidden)", "text", "text-show-hidden.txt", report.Options{ShowHidden: true}),
		Entry("json", "json", "json.json", report.Options{}),
		Entry("junit", "junit", "junit.xml", report.Options{}),
		Entry("gradescope", "gradescope", "gradescope.json", report.Options{}),
		Entry("github-classroom", "github-classroom", "github-classroom.b64", report.Options{}),
		Entry("ctrf", "ctrf", "ctrf.json", report.Options{}),
		Entry("tap", "tap", "tap.tap", report.Options{}),
		Entry("github", "github", "github.log", report.Options{}),
	)

	It("github-classroom's base64 holds this JSON", func() {
		reporttest.ExpectGolden(goldenPath("github-classroom.decoded.json"), decodeClassroom(render("github-classroom", report.Options{}, sample)))
	})

	It("github's job summary is this Markdown", func() {
		reporttest.ExpectGolden(goldenPath("github-summary.md"), report.Summary(report.ForStudents(sample())))
	})

	It("the normaliser hides times, durations, temp folders and tokens, and nothing else", func() {
		Expect(reporttest.Normalise(`"started": "2026-01-02T03:04:05.123+01:00", "stop": 1767323045000, /tmp/grader-1/x.xml`)).
			To(Equal(`"started": "<TIME>", "stop": <EPOCH>, <TMP>`))
		Expect(reporttest.Normalise(`"duration_ms": 212.25, time="0.212",   36.1ms  ←`)).To(Equal(`"duration_ms": <MS>, time="<S>",   <MS>  ←`))
		Expect(reporttest.Normalise("::stop-commands::0123456789abcdef0123456789abcdef\nx\n::0123456789abcdef0123456789abcdef::\n")).
			To(Equal("::stop-commands::<TOKEN>\nx\n::<TOKEN>::\n"))
		Expect(reporttest.Normalise("Score 3/9, seed 4242")).To(Equal("Score 3/9, seed 4242"))
	})
})
