package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/exercises"
	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var _ = Describe("Writing the reports of a run, even when the grader itself fails", func() {
	var (
		dir  string
		out  *outputs
		opts *checkOptions
	)
	BeforeEach(func() {
		dir = GinkgoT().TempDir()
		ex, err := exercises.Find("problem1")
		Expect(err).NotTo(HaveOccurred())
		opts = &checkOptions{format: "text", seed: 7}
		for _, v := range []string{"gradescope=" + filepath.Join(dir, "results.json"), "junit=" + filepath.Join(dir, "junit.xml")} {
			spec, err := parseReport(v)
			Expect(err).NotTo(HaveOccurred())
			opts.reports = append(opts.reports, spec)
		}
		out = newOutputs(opts, ex, io.Discard)
	})

	It("writes the file reports from the verdicts known when it panicked, then panics on", func() {
		crash := func() {
			defer out.rescue()
			out.progress(result.Check{ID: "listens", Title: "L", Status: result.Passed, Score: 1, MaxScore: 1})
			panic("index out of range")
		}
		Expect(crash).To(PanicWith("index out of range"))
		doc := reporttest.ExpectGradescope(read(filepath.Join(dir, "results.json")))
		Expect(doc["score"]).To(BeNumerically("==", 1))
		Expect(doc["output"]).To(ContainSubstring("The grader itself failed (internal error: index out of range)"))
		tests := doc["tests"].([]any)
		Expect(tests).To(HaveLen(4), "every check of the exercise, reached or not")
		Expect(tests[0]).To(HaveKeyWithValue("status", "passed"))
		Expect(tests[3]).To(HaveKeyWithValue("output", ContainSubstring("The grader failed before this check could run.")))
		reporttest.ExpectJUnit(read(filepath.Join(dir, "junit.xml")))
	})

	It("does not write them twice when the panic comes after they were written", func() {
		r := &result.Result{Exercise: "problem1", Checks: []result.Check{}}
		Expect(out.write(r)).To(Succeed())
		Expect(os.Remove(filepath.Join(dir, "results.json"))).To(Succeed())
		Expect(func() {
			defer out.rescue()
			panic("in the terminal report")
		}).To(PanicWith("in the terminal report"))
		Expect(filepath.Join(dir, "results.json")).NotTo(BeAnExistingFile())
	})

	It("writes the other reports when one writer fails, and says which failed", func() {
		boom := reportSpec{name: "boom", path: filepath.Join(dir, "boom"), format: report.Format{
			Write: func(io.Writer, *result.Result, report.Options) error { panic("boom") },
		}}
		broken := reportSpec{name: "broken", path: filepath.Join(dir, "broken"), format: report.Format{
			Write: func(io.Writer, *result.Result, report.Options) error { return errors.New("disk full") },
		}}
		out.reports = append([]reportSpec{boom, broken}, out.reports...)
		err := out.write(&result.Result{Exercise: "problem1", Checks: []result.Check{}})
		Expect(err).To(MatchError("the boom report: internal error: boom"))
		Expect(filepath.Join(dir, "boom")).NotTo(BeAnExistingFile(), "no half-written file")
		Expect(filepath.Join(dir, "broken")).NotTo(BeAnExistingFile())
		reporttest.ExpectGradescope(read(filepath.Join(dir, "results.json")))
		entries, _ := os.ReadDir(dir)
		Expect(entries).To(HaveLen(2), "no temporary file is left behind")
	})

	It("hands the terminal report to GitHub Actions too: --format github writes the job summary", func() {
		summary := filepath.Join(dir, "summary.md")
		terminal, _ := report.Lookup("github")
		out.terminal = reportSpec{name: "github", format: terminal}
		out.opts.Getenv = func(name string) string {
			if name == "GITHUB_STEP_SUMMARY" {
				return summary
			}
			return ""
		}
		Expect(out.write(&result.Result{Exercise: "problem1", Checks: []result.Check{}})).To(Succeed())
		Expect(read(summary)).To(HavePrefix("### problem1: 0/0 points"))
	})

	It("puts a report given no path on stdout after the terminal report", func() {
		spec, err := parseReport("tap")
		Expect(err).NotTo(HaveOccurred())
		var stdout bytes.Buffer
		out.stdout = &stdout
		out.reports = []reportSpec{spec}
		Expect(out.write(&result.Result{Exercise: "problem1", Checks: []result.Check{}})).To(Succeed())
		Expect(stdout.String()).To(MatchRegexp(`(?s)^problem1 .*Score: 0/0 points.*\nTAP version 14\n1\.\.0\n`))
	})
})

func read(path string) string {
	GinkgoHelper()
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	return string(data)
}
