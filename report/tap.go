package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// TAP writes Test Anything Protocol version 14: the plan once, right after
// the version line, then one test point per check, with a YAML diagnostic
// block (indented two spaces, between --- and ...) under each one that did
// not pass. A skipped check is "ok … # SKIP reason", as TAP has it.
//
//	TAP version 14
//	1..4
//	ok 1 - listens: The server starts and accepts a TCP connection
//	not ok 2 - echo-time: A message comes back with the current time
//	  ---
//	  message: "The reply has no time."
//	  severity: fail
//	  …
//	  ...
//
// Every YAML value is a one-line double-quoted string (JSON's escapes are
// YAML's), so no byte a program sent can end the block early or start a
// test point of its own.
func TAP(w io.Writer, r *result.Result, _ Options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "TAP version 14\n1..%d\n", len(r.Checks))
	fmt.Fprintf(&b, "# %s, seed %d, graded by %s\n", tapText(r.Exercise+": "+r.Title), r.Seed, tapText(r.Tool.String()))
	if r.Error != "" {
		fmt.Fprintf(&b, "# Nothing could be graded: %s\n", tapText(r.Error))
	}
	for i, c := range r.Checks {
		desc := tapText(caseName(c))
		switch c.Status {
		case result.Passed:
			fmt.Fprintf(&b, "ok %d - %s\n", i+1, desc)
		case result.Skipped:
			fmt.Fprintf(&b, "ok %d - %s # SKIP %s\n", i+1, desc, tapText(message(c)))
		default:
			fmt.Fprintf(&b, "not ok %d - %s\n", i+1, desc)
			tapDiagnostic(&b, c)
		}
	}
	fmt.Fprintf(&b, "# score %d/%d\n", r.Score, r.MaxScore)
	_, err := io.WriteString(w, b.String())
	return err
}

func tapDiagnostic(b *strings.Builder, c result.Check) {
	severity := "fail"
	if c.Status == result.Error {
		severity = "error"
	}
	b.WriteString("  ---\n")
	fmt.Fprintf(b, "  message: %s\n", yamlString(clean(message(c))))
	fmt.Fprintf(b, "  severity: %s\n", severity)
	fmt.Fprintf(b, "  id: %s\n", yamlString(c.ID))
	fmt.Fprintf(b, "  score: %d\n  max_score: %d\n", c.Score, c.MaxScore)
	if c.Expected != "" || c.Got != "" {
		b.WriteString("  data:\n")
		if c.Expected != "" {
			fmt.Fprintf(b, "    expect: %s\n", yamlString(c.Expected))
		}
		if c.Got != "" || c.GotAt != nil {
			fmt.Fprintf(b, "    got: %s\n", yamlString(c.Got))
		}
		if c.GotAt != nil {
			fmt.Fprintf(b, "    got_at: %d\n", *c.GotAt)
		}
	}
	if c.Hint != "" {
		fmt.Fprintf(b, "  hint: %s\n", yamlString(clean(c.Hint)))
	}
	if len(c.Transcript) > 0 {
		b.WriteString("  transcript:\n")
		var t strings.Builder
		Transcript{}.write(&t, c.Transcript, "")
		for _, line := range strings.Split(strings.TrimRight(t.String(), "\n"), "\n") {
			fmt.Fprintf(b, "    - %s\n", yamlString(line))
		}
	}
	b.WriteString("  ...\n")
}

// yamlString quotes s as a one-line YAML double-quoted scalar: JSON's
// escapes are YAML's, and what YAML forbids raw or reads as a line break
// but JSON leaves alone (DEL, C1 controls with NEL, U+FFFE, U+FFFF) is
// escaped too.
func yamlString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(validUTF8(s)) // a string always encodes
	var out strings.Builder
	for _, r := range strings.TrimSuffix(b.String(), "\n") {
		if r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0xfffe || r == 0xffff {
			fmt.Fprintf(&out, "\\u%04x", r)
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}

// tapText makes a description or directive: one line, with # and \
// escaped as TAP 14 asks, so a title cannot pose as a directive.
func tapText(s string) string {
	s = oneLine(s, 300)
	return strings.NewReplacer(`\`, `\\`, `#`, `\#`).Replace(s)
}
