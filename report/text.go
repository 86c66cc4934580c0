package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/acme-lab/grader/checks/result"
)

// Text writes the report a student reads in a terminal: one line per check,
// and under each failure what was expected, what came instead with a caret
// at the first wrong byte, the hint, and the transcript.
type Text struct {
	Color bool // ANSI colours; only on a terminal, never with NO_COLOR
	Dir   string
	// Hexdump shows the bytes of the transcript and of what came instead
	// as a packet view (--hexdump, or the exercise's hexdump: true).
	Hexdump bool
}

const (
	green, red, yellow, dim, bold, reset = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
)

func (t Text) paint(code, s string) string {
	if !t.Color {
		return s
	}
	return code + s + reset
}

// Write formats r.
func (t Text) Write(w io.Writer, r *result.Result) error {
	var b strings.Builder
	t.header(&b, r)
	width, titles := columns(r)
	// A note repeated by every check (a port other than the suggested
	// one) is shown once, under the first.
	shown := map[string]bool{}
	for _, c := range r.Checks {
		if r.Error != "" {
			// Nothing ran: the error above says why, once.
			t.heading(&b, c, width, titles)
			continue
		}
		t.check(&b, freshNotices(c, shown), width, titles)
	}
	t.footer(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

// header names the exercise, the seed and the folder; the seed only when
// something ran, since only then is there a run to replay.
func (t Text) header(b *strings.Builder, r *result.Result) {
	fmt.Fprintf(b, "%s  %s\n", t.paint(bold, r.Exercise), r.Title)
	var where []string
	if r.Error == "" {
		where = append(where, fmt.Sprintf("seed %d", r.Seed))
	}
	if r.Sandbox != "" {
		where = append(where, "sandbox: "+r.Sandbox)
	}
	if t.Dir != "" {
		where = append(where, "folder "+t.Dir)
	}
	if len(where) > 0 {
		fmt.Fprintf(b, "%s\n", t.paint(dim, strings.Join(where, "  ·  ")))
	}
	b.WriteString("\n")
	if r.Error != "" {
		fmt.Fprintf(b, "%s %s\n\n", t.paint(red, "error:"), clean(r.Error))
	}
}

// columns are the widths of the id and title columns: the longest id, and
// the longest title up to 72 characters.
func columns(r *result.Result) (width, titles int) {
	for _, c := range r.Checks {
		width = max(width, len(c.ID))
		titles = max(titles, utf8.RuneCountInString(clean(c.Title)))
	}
	return width, min(titles, 72)
}

// freshNotices leaves out of c the notices an earlier check showed.
func freshNotices(c result.Check, shown map[string]bool) result.Check {
	var fresh []string
	for _, n := range c.Notices {
		if !shown[n] {
			shown[n] = true
			fresh = append(fresh, n)
		}
	}
	c.Notices = fresh
	return c
}

func (t Text) check(b *strings.Builder, c result.Check, width, titles int) {
	t.heading(b, c, width, titles)
	t.details(b, c)
}

// heading is a check's line: its mark, id, title and points.
func (t Text) heading(b *strings.Builder, c result.Check, width, titles int) {
	mark, colour := "✓", green
	switch c.Status {
	case result.Failed:
		mark, colour = "✗", red
	case result.Skipped:
		mark, colour = "-", yellow
	case result.Error:
		mark, colour = "!", red
	}
	title := clean(c.Title)
	pad := strings.Repeat(" ", max(0, titles-utf8.RuneCountInString(title)))
	fmt.Fprintf(b, "%s %-*s  %s%s  %s\n", t.paint(colour, mark), width, c.ID, title, pad, t.paint(dim, fmt.Sprintf("%d/%d", c.Score, c.MaxScore)))
}

// details writes what follows a check's heading line: its notices and, when
// it did not pass, the message, the evidence, the hint and the transcript.
// Other reports reuse it (uncoloured) as their plain-text evidence.
func (t Text) details(b *strings.Builder, c result.Check) {
	for _, n := range c.Notices {
		fmt.Fprintf(b, "    %s %s\n", t.paint(yellow, "note:"), clean(n))
	}
	switch c.Status {
	case result.Passed:
		return
	case result.Skipped:
		fmt.Fprintf(b, "    %s\n", t.paint(dim, clean(c.Message)))
		return
	}
	fmt.Fprintf(b, "%s\n", indent(clean(c.Message), "    "))
	switch {
	case t.Hexdump && c.ExpectedBytes != nil:
		fmt.Fprintf(b, "    expected (%d bytes):\n%s\n", len(c.ExpectedBytes), Hexdump(c.ExpectedBytes, -1, "      ", 16, ""))
	// An expectation the message already states is not said twice.
	case c.Expected != "" && !strings.Contains(c.Message, c.Expected):
		fmt.Fprintf(b, "    expected: %s\n", clean(c.Expected))
	}
	if c.Got != "" || c.GotAt != nil {
		switch {
		case t.Hexdump:
			at := -1
			if c.GotAt != nil {
				at = *c.GotAt
			}
			fmt.Fprintf(b, "    got (%d bytes):\n%s\n", len(c.Got), Hexdump([]byte(c.Got), at, "      ", 16, t.paint(red, "^")))
		case c.GotAt != nil && strings.Contains(strings.TrimSuffix(c.Got, "\n"), "\n"):
			fmt.Fprintf(b, "    got:\n%s\n", t.linesWithCaret(c.Got, *c.GotAt, "      │ "))
		case c.GotAt != nil:
			q, col := QuoteWithCaret(c.Got, *c.GotAt, 100)
			fmt.Fprintf(b, "    got:      %s\n", q)
			fmt.Fprintf(b, "              %s%s\n", strings.Repeat(" ", col), t.paint(red, "^"))
		default:
			fmt.Fprintf(b, "    got:\n%s\n", quotedLines(c.Got, "      │ "))
		}
	}
	if c.Hint != "" {
		fmt.Fprintf(b, "    %s %s\n", t.paint(bold, "hint:"), clean(c.Hint))
	}
	if len(c.Transcript) > 0 {
		fmt.Fprintf(b, "    %s\n", t.paint(dim, "transcript:"))
		Transcript{Color: t.Color, Hexdump: t.Hexdump}.write(b, c.Transcript, "      ")
	}
	b.WriteString("\n")
}

// Evidence is what the text report shows of one check, whatever its
// status: for one that passed or was skipped, its message and transcript
// too. selftest shows it for a verdict other than a fixture expects.
func (t Text) Evidence(c result.Check) string {
	var b strings.Builder
	if c.Status != result.Passed && c.Status != result.Skipped {
		t.details(&b, c)
		return b.String()
	}
	if c.Message != "" {
		fmt.Fprintf(&b, "    %s\n", clean(c.Message))
	}
	if len(c.Transcript) > 0 {
		fmt.Fprintf(&b, "    %s\n", t.paint(dim, "transcript:"))
		Transcript{Color: t.Color, Hexdump: t.Hexdump}.write(&b, c.Transcript, "      ")
	}
	return b.String()
}

func (t Text) footer(b *strings.Builder, r *result.Result) {
	passed := r.Count(result.Passed)
	line := fmt.Sprintf("Score: %d/%d points  ·  %d of %d checks passed", r.Score, r.MaxScore, passed, len(r.Checks))
	colour := green
	if !r.Passed() {
		colour = red
	}
	fmt.Fprintf(b, "\n%s\n", t.paint(colour+bold, line))
	if !r.Passed() && r.Error == "" {
		fmt.Fprintf(b, "%s\n", t.paint(dim, fmt.Sprintf("Replay exactly this run with --seed %d.", r.Seed)))
	}
}

// linesWithCaret shows multi-line bytes (an HTTP response) a line at a time,
// each quoted with its line ending, and a caret under the wrong byte: a few
// lines of context before it and after.
func (t Text) linesWithCaret(s string, at int, pad string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	pos := 0
	for i, l := range lines {
		end := pos + len(l)
		inLine := at >= pos && (at < end || i == len(lines)-1)
		near := i >= lineOf(lines, at)-6 && i <= lineOf(lines, at)+3
		if l != "" && near {
			q, col := QuoteWithCaret(l, at-pos, 100)
			fmt.Fprintf(&b, "%s%s\n", pad, q)
			if inLine {
				fmt.Fprintf(&b, "%s%s%s\n", pad, strings.Repeat(" ", col), t.paint(red, "^"))
			}
		}
		pos = end
	}
	return strings.TrimRight(b.String(), "\n")
}

// lineOf is the index of the line holding byte at.
func lineOf(lines []string, at int) int {
	pos := 0
	for i, l := range lines {
		if at < pos+len(l) {
			return i
		}
		pos += len(l)
	}
	return len(lines) - 1
}
