package report

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// GitHub writes the log of a GitHub Actions step: a ::group:: per check
// holding its evidence, then annotations, ::error for checks that failed or
// could not run and ::warning for skipped ones, and one ::notice with the
// score.
//
// Everything under a group's heading may hold what the student's program
// sent or printed, so it is fenced between ::stop-commands::TOKEN and
// ::TOKEN::, where the runner interprets no command. TOKEN is drawn at
// random after the program has run, so the program cannot end the fence.
// The runner reads a command after leading white space too, which is why
// indenting is no protection. Annotation text is escaped as the Actions
// toolkit escapes it (% CR LF, and : , in properties), so it stays one
// command. The runner keeps 10 annotations of each kind per step; past
// that the last one says how many more there are.
func GitHub(w io.Writer, r *result.Result, o Options) error {
	token := o.Token
	if token == "" {
		token = randomToken()
	}
	var b strings.Builder
	if r.Error != "" {
		fmt.Fprintf(&b, "::error title=%s::%s\n", ghProperty("Nothing could be graded"), ghData(clean(r.Error)))
	}
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "::group::%s %s %s (%d/%d)\n", ghMark[c.Status], ghData(c.ID), ghData(oneLine(c.Title, 200)), c.Score, c.MaxScore)
		if body := evidence(c); body != "" {
			fmt.Fprintf(&b, "::stop-commands::%s\n%s\n::%s::\n", token, body, token)
		}
		b.WriteString("::endgroup::\n")
	}
	var errs, warnings []string
	for _, c := range r.Checks {
		title := ghProperty(caseName(c))
		msg := ghData(oneLine(message(c), 1000))
		switch c.Status {
		case result.Failed, result.Error:
			errs = append(errs, fmt.Sprintf("::error title=%s::%s\n", title, msg))
		case result.Skipped:
			warnings = append(warnings, fmt.Sprintf("::warning title=%s::%s\n", title, msg))
		}
	}
	if r.Error != "" {
		errs = nil // every check failed for the reason already given
	}
	limit(&b, errs, "error", "more checks did not pass")
	limit(&b, warnings, "warning", "more checks were skipped")
	fmt.Fprintf(&b, "::notice title=%s::%s\n", ghProperty("grader "+r.Exercise),
		ghData(fmt.Sprintf("Score %d/%d points, %d of %d checks passed; replay with --seed %d", r.Score, r.MaxScore, r.Count(result.Passed), len(r.Checks), r.Seed)))
	_, err := io.WriteString(w, b.String())
	return err
}

// ghMaxAnnotations is how many annotations of one kind a step keeps.
const ghMaxAnnotations = 10

// limit writes at most ghMaxAnnotations commands, the last one counting
// those it leaves out.
func limit(b *strings.Builder, cmds []string, kind, more string) {
	if len(cmds) > ghMaxAnnotations {
		n := len(cmds) - ghMaxAnnotations + 1
		cmds = append(cmds[:ghMaxAnnotations-1], fmt.Sprintf("::%s::%d %s; see the grader's log\n", kind, n, more))
	}
	for _, c := range cmds {
		b.WriteString(c)
	}
}

var ghMark = map[result.Status]string{result.Passed: "✓", result.Failed: "✗", result.Skipped: "-", result.Error: "!"}

// ghData escapes a command's message as @actions/core's escapeData does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a command's property value as escapeProperty does.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// randomToken is 128 random bits: a program cannot guess it, and it is
// drawn after the program has run.
func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}
