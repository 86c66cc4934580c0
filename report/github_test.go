package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

// intended are the commands the github format means to give.
var intended = []string{"group", "endgroup", "stop-commands", "error", "warning", "notice"}

var _ = Describe("The github format (workflow commands)", func() {
	It("gives the runner only its own commands, whatever the program printed or sent", func() {
		for _, run := range runs {
			r := report.ForStudents(run.make())
			want := strings.Repeat("group endgroup ", len(r.Checks))
			if r.Error != "" {
				want = "error " + want
			} else {
				for _, c := range r.Checks {
					if c.Status == result.Failed || c.Status == result.Error {
						want += "error "
					}
				}
			}
			want += strings.Repeat("warning ", r.Count(result.Skipped)) + "notice"
			var got []string
			for _, c := range reporttest.ActionsCommands(render("github", report.Options{}, run.make)) {
				if c.Name != "stop-commands" {
					got = append(got, c.Name)
				}
				if c.Name == "notice" {
					Expect(c.Properties).To(Equal("title=grader problem1"), run.name)
				}
			}
			Expect(got).To(Equal(strings.Fields(want)), run.name)
		}
	})

	It("fences each check's evidence with a fresh random token", func() {
		a := render("github", report.Options{}, sample)
		b := render("github", report.Options{}, sample)
		tokenOf := func(log string) string {
			for _, c := range reporttest.ActionsCommands(log) {
				if c.Name == "stop-commands" {
					return c.Message
				}
			}
			return ""
		}
		Expect(tokenOf(a)).To(MatchRegexp(`^[0-9a-f]{32}$`))
		Expect(tokenOf(a)).NotTo(Equal(tokenOf(b)))
	})

	It("opens and closes a group for every check", func() {
		var names []string
		for _, c := range reporttest.ActionsCommands(render("github", report.Options{}, sample)) {
			if c.Name == "group" || c.Name == "endgroup" {
				names = append(names, c.Name)
			}
		}
		Expect(names).To(Equal(strings.Split(strings.Repeat("group endgroup ", 6), " ")[:12]))
	})

	It("escapes annotations as the Actions toolkit does, so each stays one command", func() {
		r := &result.Result{Exercise: "x", Checks: []result.Check{{
			ID: "a", Title: "ports: 80, 443", Status: result.Failed, MaxScore: 1, Message: "100% wrong\r\nnext line",
		}}, MaxScore: 1}
		log := render("github", report.Options{}, func() *result.Result { return r })
		Expect(log).To(ContainSubstring("::error title=a%3A ports%3A 80%2C 443::100%25 wrong next line\n"))
		var errs []reporttest.Command
		for _, c := range reporttest.ActionsCommands(log) {
			if c.Name == "error" {
				errs = append(errs, c)
			}
		}
		Expect(errs).To(HaveLen(1))
		Expect(reporttest.UnescapeProperty(strings.TrimPrefix(errs[0].Properties, "title="))).To(Equal("a: ports: 80, 443"))
	})

	It("keeps within 10 error annotations a step, the last one counting the rest", func() {
		r := &result.Result{Exercise: "x"}
		for i := range 15 {
			r.Checks = append(r.Checks, result.Check{ID: fmt.Sprintf("c%d", i), Title: "T", Status: result.Failed, MaxScore: 1, Message: "no"})
		}
		r.MaxScore = 15
		var errs []string
		for _, c := range reporttest.ActionsCommands(render("github", report.Options{}, func() *result.Result { return r })) {
			if c.Name == "error" {
				errs = append(errs, c.Message)
			}
		}
		Expect(errs).To(HaveLen(10))
		Expect(errs[9]).To(Equal("6 more checks did not pass; see the grader's log"))
	})

	Describe("the job summary", func() {
		It("is appended to $GITHUB_STEP_SUMMARY, leaving the report itself for stdout", func() {
			path := filepath.Join(GinkgoT().TempDir(), "summary.md")
			Expect(os.WriteFile(path, []byte("earlier step\n"), 0o644)).To(Succeed())
			f, _ := report.Lookup("github")
			delivered, err := f.Deliver(sample(), report.Options{Getenv: envOf("GITHUB_STEP_SUMMARY", path)})
			Expect(err).NotTo(HaveOccurred())
			Expect(delivered).To(BeFalse())
			data, _ := os.ReadFile(path)
			Expect(string(data)).To(HavePrefix("earlier step\n### problem1: 3/9 points"))
			Expect(string(data)).NotTo(ContainSubstring("SECRET"))
		})

		It("shows a program's text as typed: it cannot break the table, link, or write HTML", func() {
			md := report.Summary(hostile())
			for _, line := range strings.Split(md, "\n") {
				if strings.HasPrefix(line, "| ") {
					Expect(strings.Count(line, "|")-strings.Count(line, `\|`)).To(Equal(5), line)
				}
			}
			Expect(md).NotTo(MatchRegexp(`[^\\]<img`), "an HTML tag must be escaped")
			Expect(md).NotTo(ContainSubstring("\x1b"))
		})
	})
})

// envOf is a Getenv that knows one variable.
func envOf(name, value string) func(string) string {
	return func(n string) string {
		if n == name {
			return value
		}
		return ""
	}
}
