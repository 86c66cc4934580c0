package report_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var _ = Describe("Hidden checks", func() {
	studentFormats := []string{"text", "json", "junit", "tap", "ctrf", "github", "github-classroom"}

	DescribeTable("students' reports show a check hidden by its details with its title and points only, and nothing of a check hidden whole",
		func(format string) {
			out := render(format, report.Options{}, sample)
			if format == "github-classroom" {
				out = decodeClassroom(out)
			}
			Expect(out).NotTo(ContainSubstring("SECRET"))
			Expect(out).NotTo(ContainSubstring("secret-load"))
			Expect(out).NotTo(ContainSubstring("secret-flood"))
			Expect(out).To(ContainSubstring("Answers on a second connection"))
			Expect(out).To(ContainSubstring("The details of this check are hidden."))
			score, max := reporttest.Score(format, render(format, report.Options{}, sample))
			Expect([]int{score, max}).To(Equal([]int{3, 9}), "hiding never changes the grade")
		},
		func() []TableEntry {
			var es []TableEntry
			for _, f := range studentFormats {
				es = append(es, Entry(f, f))
			}
			return es
		}(),
	)

	DescribeTable("--show-hidden shows instructors everything",
		func(format string) {
			out := render(format, report.Options{ShowHidden: true}, sample)
			if format == "github-classroom" {
				out = decodeClassroom(out)
			}
			Expect(out).To(ContainSubstring("SECRET message"))
			Expect(out).To(ContainSubstring("SECRET title of a check hidden whole"))
		},
		func() []TableEntry {
			var es []TableEntry
			for _, f := range studentFormats {
				es = append(es, Entry(f, f))
			}
			return es
		}(),
	)

	It("Gradescope gets everything and hides it by visibility: after the due date for details, never for a check hidden whole", func() {
		doc := reporttest.ExpectGradescope(render("gradescope", report.Options{}, sample))
		visibility := map[string]any{}
		for _, t := range doc["tests"].([]any) {
			test := t.(map[string]any)
			visibility[test["tags"].([]any)[0].(string)] = test["visibility"]
		}
		Expect(visibility).To(Equal(map[string]any{
			"listens": "visible", "echo-time": "visible", "several-blocks": "visible", "client-close": "visible",
			"secret-port": "after_due_date", "secret-load": "hidden", "secret-flood": "hidden",
		}))
		Expect(render("gradescope", report.Options{}, sample)).To(ContainSubstring("SECRET transcript"))
	})

	Describe("ForStudents", func() {
		It("leaves the result it is given alone", func() {
			r := sample()
			report.ForStudents(r)
			Expect(r).To(Equal(sample()))
		})

		It("keeps the order of the checks shown and puts the hidden ones last, under one entry", func() {
			var ids []string
			for _, c := range report.ForStudents(sample()).Checks {
				ids = append(ids, c.ID)
			}
			Expect(ids).To(Equal([]string{"listens", "echo-time", "several-blocks", "client-close", "secret-port", report.HiddenID}))
		})

		DescribeTable("the entry for checks hidden whole passes only when all of them did, and otherwise takes the gravest verdict",
			func(want result.Status, statuses ...result.Status) {
				r := &result.Result{}
				for _, s := range statuses {
					r.Checks = append(r.Checks, result.Check{ID: "x", Status: s, MaxScore: 1, Hidden: result.HiddenAll})
				}
				folded := report.ForStudents(r).Checks
				Expect(folded).To(HaveLen(1))
				Expect(folded[0].Status).To(Equal(want))
				Expect(folded[0].MaxScore).To(Equal(len(statuses)))
			},
			Entry("all passed", result.Passed, result.Passed, result.Passed),
			Entry("one skipped", result.Skipped, result.Passed, result.Skipped),
			Entry("one could not run", result.Error, result.Skipped, result.Error, result.Passed),
			Entry("one failed", result.Failed, result.Error, result.Failed, result.Skipped),
		)

		It("adds no entry when no check is hidden whole", func() {
			r := broken()
			Expect(report.ForStudents(r).Checks).To(Equal(r.Checks))
		})
	})
})
