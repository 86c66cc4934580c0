package report

import (
	"fmt"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// githubSummary appends a Markdown table of the checks to the job summary
// when the grader runs in a GitHub Actions step ($GITHUB_STEP_SUMMARY). It
// is an extra beside the log, not the report itself: the report given no
// path still goes to stdout.
func githubSummary(r *result.Result, o Options) (bool, error) {
	path := o.env("GITHUB_STEP_SUMMARY")
	if path == "" {
		return false, nil
	}
	return false, appendFile(path, Summary(r))
}

// ghSummaryLimit keeps the summary far below the 1 MiB GitHub takes per
// step: messages are cut, and the transcript stays in the log.
const ghSummaryLimit = 300

var summaryMark = map[result.Status]string{result.Passed: "✅", result.Failed: "❌", result.Skipped: "⏭️", result.Error: "⚠️"}

// Summary is the job summary in GitHub-flavoured Markdown. Text that may
// come from the student's program is escaped so that it is shown as typed:
// it can neither break the table nor become a link, an image or HTML.
//
//	### problem1: 2/4 points
//	| | Check | Points | What went wrong |
//	|---|---|---|---|
//	| ❌ | `echo-time` A message comes back with the current time | 0/1 | The reply has no time. |
func Summary(r *result.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s: %d/%d points\n\n%s\n\n", mdText(r.Exercise, 100), r.Score, r.MaxScore, mdText(r.Title, 200))
	if r.Error != "" {
		fmt.Fprintf(&b, "**Nothing could be graded:** %s\n\n", mdText(r.Error, ghSummaryLimit))
	}
	b.WriteString("| | Check | Points | What went wrong |\n|---|---|---|---|\n")
	for _, c := range r.Checks {
		why := ""
		if c.Status != result.Passed {
			why = mdText(message(c), ghSummaryLimit)
		}
		fmt.Fprintf(&b, "| %s | `%s` %s | %d/%d | %s |\n", summaryMark[c.Status], mdCode(c.ID), mdText(c.Title, 200), c.Score, c.MaxScore, why)
	}
	if !r.Passed() {
		fmt.Fprintf(&b, "\nReplay exactly this run with `grader check %s --seed %d`.\n", mdCode(r.Exercise), r.Seed)
	}
	b.WriteString("\n")
	return b.String()
}

// mdText makes text literal in Markdown: one line, and every ASCII
// punctuation character backslash-escaped, which CommonMark allows for all
// of them; that covers tables (|), emphasis, links, images, HTML (< and &)
// and autolinks (: and /).
func mdText(s string, n int) string {
	var b strings.Builder
	for _, r := range oneLine(s, n) {
		if r < 0x80 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode keeps an identifier fit for a code span: backslash escapes do not
// work there, so a backtick or a bar is replaced instead.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", "/").Replace(oneLine(s, 100))
}
