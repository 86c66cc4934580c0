package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/acme-lab/grader/checks/result"
)

// maxEvidence bounds the plain-text evidence of one check in machine
// reports. Gradescope documents no limit and shows nothing when its file is
// too big to handle; dorny/test-reporter caps a whole report at 64 KiB.
const maxEvidence = 16 << 10

// evidence is what the text report shows under a check, uncoloured and
// unindented: notices, message, expected, got (quoted, with a caret at the
// first wrong byte), hint and transcript (every byte the program sent or
// printed quoted). It holds no control character but newline and tab, so
// it can go into any text format once that format's own escaping is done.
func evidence(c result.Check) string {
	var b strings.Builder
	Text{}.details(&b, c)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "    ")
	}
	return cut(strings.Join(lines, "\n"), maxEvidence)
}

// cut shortens s to about n bytes, keeping its start and, larger, its end
// (where the transcript shows what went wrong last), on line boundaries.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head, tail := s[:n/4], s[len(s)-n*3/4:]
	if i := strings.LastIndexByte(head, '\n'); i > 0 {
		head = head[:i+1]
	}
	if i := strings.IndexByte(tail, '\n'); i >= 0 && i < len(tail)-1 {
		tail = tail[i+1:]
	}
	head, tail = validUTF8(head), validUTF8(tail)
	return fmt.Sprintf("%s… %d bytes cut …\n%s", head, len(s)-len(head)-len(tail), tail)
}

func validUTF8(s string) string { return strings.ToValidUTF8(s, "�") }

// oneLine flattens text for formats that take a single line (annotation
// titles, TAP descriptions, table cells): line breaks and tabs become
// spaces, other control characters are cleaned, and it is cut to n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(clean(strings.NewReplacer("\r", " ", "\t", " ").Replace(s))), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// message is a check's message for the formats that need one: the check's
// own, or else words for its status. Each format escapes it its own way.
func message(c result.Check) string {
	if c.Message != "" {
		return c.Message
	}
	switch c.Status {
	case result.Failed:
		return "The check failed."
	case result.Error:
		return "The check could not be run."
	case result.Skipped:
		return "The check was skipped."
	}
	return ""
}

// caseName is how a check is named where a format has a single name: its
// id, which is unique, then its title.
func caseName(c result.Check) string {
	return oneLine(c.ID+": "+c.Title, 200)
}

// seconds formats a duration in milliseconds as seconds for XML and JSON.
func seconds(ms result.Millis) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }
