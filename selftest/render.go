package selftest

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
)

// Table writes one line per fixture: how many verdicts were as expected,
// the runs, and the outcome.
func Table(w io.Writer, outcomes []Outcome) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EXERCISE\tFIXTURE\tVERDICTS\tRUNS\tTIME\tRESULT")
	for _, o := range outcomes {
		total, as := len(o.Fixture.Verdicts), len(o.Fixture.Verdicts)
		for _, m := range o.Mismatches {
			if m.Want != "" {
				as--
			}
		}
		var took time.Duration
		for _, r := range o.Runs {
			took += time.Duration(float64(r.Duration) * float64(time.Millisecond))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d\t%s\t%s\n", o.Exercise.Name, o.Fixture.Name, as, total, len(o.Runs), took.Round(10*time.Millisecond), verdictWord(o))
	}
	return tw.Flush()
}

func verdictWord(o Outcome) string {
	switch {
	case o.Skipped != "":
		return "skipped"
	case len(o.Runs) == 0 && len(o.Mismatches) == 0:
		return "not run"
	case len(o.Runs) == 0:
		return "MISMATCH"
	case len(o.Mismatches) > 0 && len(o.Flakes) > 0:
		return "MISMATCH, FLAKY"
	case len(o.Mismatches) > 0:
		return "MISMATCH"
	case len(o.Flakes) > 0:
		return "FLAKY"
	}
	return "ok"
}

// Details writes, for each fixture that did not give what it expects, each
// mismatch and flake with the transcripts behind it.
func Details(w io.Writer, outcomes []Outcome, color bool) error {
	var b strings.Builder
	for _, o := range outcomes {
		if o.OK() {
			continue
		}
		// An exercise about bytes shows them as a packet view, as check does.
		text := report.Text{Color: color, Hexdump: o.Exercise.Hexdump}
		name := o.Exercise.Name + "/" + o.Fixture.Name
		fmt.Fprintf(&b, "\n%s (%s)\n", name, o.Fixture.Dir)
		if o.Fixture.About != "" {
			fmt.Fprintf(&b, "  about: %s\n", strings.TrimSpace(o.Fixture.About))
		}
		for _, m := range o.Mismatches {
			var run *result.Result
			if m.Run < len(o.Runs) {
				run = o.Runs[m.Run]
			}
			where := o.Fixture.File
			if m.Line > 0 {
				where = fmt.Sprintf("%s:%d:%d", o.Fixture.File, m.Line, m.Col)
			}
			switch {
			case m.Check == "":
				fmt.Fprintf(&b, "  %s: %s\n", where, m.Why)
			case m.Got == "":
				fmt.Fprintf(&b, "  %s: %s: %s\n", where, m.Check, m.Why)
			case m.Want == "":
				fmt.Fprintf(&b, "  %s: %s is %s, but %s\n", where, m.Check, m.Got, m.Why)
			default:
				fmt.Fprintf(&b, "  %s: %s expected %s, got %s (seed %d)\n", where, m.Check, m.Want, m.Got, o.Seeds[m.Run])
			}
			if c := checkOf(run, m.Check); c != nil {
				b.WriteString(text.Evidence(*c))
			}
			if run != nil && run.Error != "" {
				fmt.Fprintf(&b, "    %s\n", run.Error)
			}
		}
		for _, f := range o.Flakes {
			a, bb := checkOf(o.Runs[f.A], f.Check), checkOf(o.Runs[f.B], f.Check)
			fmt.Fprintf(&b, "  %s is flaky: %s in run %d (seed %d), %s in run %d (seed %d)\n",
				f.Check, a.Status, f.A+1, o.Seeds[f.A], bb.Status, f.B+1, o.Seeds[f.B])
			fmt.Fprintf(&b, "  run %d:\n%s", f.A+1, text.Evidence(*a))
			fmt.Fprintf(&b, "  run %d:\n%s", f.B+1, text.Evidence(*bb))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func checkOf(r *result.Result, id string) *result.Check {
	if r == nil {
		return nil
	}
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// Summary is the closing line: how many fixtures gave what they expect.
func Summary(outcomes []Outcome) string {
	ok, mism, flaky, skipped := 0, 0, 0, 0
	exercises := map[string]bool{}
	for _, o := range outcomes {
		exercises[o.Exercise.Name] = true
		switch {
		case o.Skipped != "":
			skipped++
		case o.OK():
			ok++
		case len(o.Mismatches) > 0:
			mism++
		}
		if len(o.Flakes) > 0 {
			flaky++
		}
	}
	line := fmt.Sprintf("selftest: %d fixture(s) of %d exercise(s): %d as expected, %d mismatched, %d flaky", len(outcomes), len(exercises), ok, mism, flaky)
	if skipped > 0 {
		line += fmt.Sprintf(", %d skipped (they need the sandbox)", skipped)
	}
	return line
}
