package report_test

import (
	"bytes"
	"iter"
	"regexp"
	"text/template"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
)

// classOf makes a class from results held in memory.
func classOf(gs ...*result.Graded) report.Class {
	return report.Class{Exercise: "problem2", Students: func() iter.Seq2[*result.Graded, error] {
		return func(yield func(*result.Graded, error) bool) {
			for _, g := range gs {
				if !yield(g, nil) {
					return
				}
			}
		}
	}}
}

// student is graded on two checks, listens (1 point) and moves (2 points).
func student(name string, listens, moves result.Status, movesMsg string) *result.Graded {
	r := &result.Result{Version: 1, Exercise: "problem2", Title: "Problem 2", Seed: 11, MaxScore: 3}
	for _, c := range []result.Check{
		{ID: "listens", Title: "It listens", Status: listens, MaxScore: 1},
		{ID: "moves", Title: "Moves <b>count</b>", Status: moves, MaxScore: 2, Message: movesMsg},
	} {
		if c.Status == result.Passed {
			c.Score = c.MaxScore
		}
		r.Score += c.Score
		c.Transcript = []result.Event{{Kind: result.Recv, Conn: "main", Data: "<script>alert('" + name + "')</script>"}}
		r.Checks = append(r.Checks, c)
	}
	return &result.Graded{Student: name, Submission: "class/" + name, Result: r}
}

func missing(name string) *result.Graded {
	g := student(name, result.Error, result.Error, "rps_server.py not found")
	g.Error = "rps_server.py not found in class/" + name + ", which is empty."
	return g
}

var _ = Describe("The class reports", func() {
	gs := []*result.Graded{
		student("=HYPERLINK(\"http://x\")", result.Passed, result.Passed, ""),
		student(`Smith, "Jo"`, result.Passed, result.Failed, "It answered \"rock\"."),
		student("ana; rm -rf ~", result.Passed, result.Failed, "It answered \"rock\"."),
		student("<img src=x onerror=alert(1)>", result.Failed, result.Skipped, "Skipped: it needs \"listens\", which failed."),
		missing("zoë"),
	}
	class := classOf(gs...)

	It("write grades.csv with a row per student, a column per check, and text a spreadsheet cannot run", func() {
		var b bytes.Buffer
		Expect(report.GradesCSV(&b, class)).To(Succeed())
		Expect(b.String()).To(Equal(`student,score,max,listens,moves,seed,error
"'=HYPERLINK(""http://x"")",3,3,1,2,11,
"Smith, ""Jo""",1,3,1,0,11,
ana; rm -rf ~,1,3,1,0,11,
<img src=x onerror=alert(1)>,0,3,0,0,11,
zoë,0,3,0,0,11,"rps_server.py not found in class/zoë, which is empty."
`))
	})

	Describe("index.html", func() {
		var page string
		BeforeEach(func() {
			var b bytes.Buffer
			Expect(report.ClassHTML(&b, class)).To(Succeed())
			page = b.String()
		})

		It("escapes everything a student chose: names, messages, transcripts", func() {
			Expect(page).NotTo(ContainSubstring("<img src=x"))
			Expect(page).NotTo(ContainSubstring("<script>alert"))
			Expect(page).NotTo(ContainSubstring("<b>count"))
			Expect(page).To(ContainSubstring("&lt;img src=x onerror=alert(1)&gt;"))
			Expect(regexp.MustCompile(`<script`).FindAllString(page, -1)).To(HaveLen(1), "its own script only")
		})

		It("loads nothing from elsewhere and runs only its own script", func() {
			Expect(page).NotTo(MatchRegexp(`(src|href)="(https?:)?//`))
			Expect(page).To(MatchRegexp(`Content-Security-Policy" content="default-src &#39;none&#39;; img-src data:; style-src &#39;sha256-[A-Za-z0-9+/=&#;]+&#39;; script-src &#39;sha256-`))
		})

		It("counts the students in each bar of the histogram", func() {
			bars := regexp.MustCompile(`data-score="(\d+)" data-count="(\d+)"`).FindAllStringSubmatch(page, -1)
			var got []string
			for _, b := range bars {
				got = append(got, b[1]+":"+b[2])
			}
			Expect(got).To(Equal([]string{"0:2", "1:2", "2:0", "3:1"}))
		})

		It("gives each check's pass rate and the most common failure message, skips and ungraded students aside", func() {
			Expect(page).To(ContainSubstring(`<tr data-check="listens" data-passed="3" data-total="5">`))
			Expect(page).To(ContainSubstring(`<tr data-check="moves" data-passed="1" data-total="5">`))
			Expect(page).To(ContainSubstring(`<div class="msg">It answered &#34;rock&#34;.</div><div class="title">2 of the 2 students who failed it</div>`))
		})

		It("links each student to a transcript rendered as the text report shows it, with the command to replay it", func() {
			Expect(page).To(ContainSubstring(`<a href="#s3">ana; rm -rf ~</a>`))
			Expect(page).To(ContainSubstring(`<article class="transcript" id="s3">`))
			Expect(page).To(ContainSubstring(`Replay: <code>grader check problem2 --dir &#39;class/ana; rm -rf ~&#39; --seed 11</code>`))
			var text bytes.Buffer
			Expect(report.Text{Dir: "class/ana; rm -rf ~"}.Write(&text, gs[2].Result)).To(Succeed())
			Expect(text.String()).To(ContainSubstring("<script>alert('ana; rm -rf ~')</script>"), "the transcript")
			Expect(page).To(ContainSubstring("<pre>" + template.HTMLEscapeString(text.String()) + "</pre>"))
		})
	})
})
