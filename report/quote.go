// Package report turns a result.Result into what people and machines read.
// Reporters only format: they never run anything, and everything a student's
// program produced is quoted or escaped before it is shown, so it can neither
// colour the terminal nor pass itself off as the grader's own words.
package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Quote shows bytes as a Go string literal: invisible bytes (\r, \n, \t,
// escape sequences, invalid UTF-8) become visible escapes.
func Quote(s string) string { return strconv.Quote(s) }

// QuoteWithCaret quotes s and returns, for the byte offset at, the column
// under which a caret points at that byte in the quoted form. Long text is
// cut around the offset to at most width columns.
func QuoteWithCaret(s string, at, width int) (quoted string, col int) {
	if at < 0 {
		at = 0
	}
	if at > len(s) {
		at = len(s)
	}
	start, prefix := 0, ""
	if at > width/2 {
		start = at - width/2
		for start < at && !utf8.RuneStart(s[start]) {
			start++
		}
		prefix = "…"
	}
	end, suffix := len(s), ""
	if end-start > width {
		end = start + width
		for end > at && end < len(s) && !utf8.RuneStart(s[end]) {
			end--
		}
		suffix = "…"
	}
	head := strconv.Quote(s[start:at])
	col = utf8.RuneCountInString(prefix) + utf8.RuneCountInString(head) - 1
	return prefix + strconv.Quote(s[start:end]) + suffix, col
}

// indent prefixes every line of s.
func indent(s, pad string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

// quotedLines shows text line by line, each line quoted with its ending,
// so that "\r\n" and "\n" can be told apart; at most 40 lines.
func quotedLines(s, pad string) string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var b strings.Builder
	for i, l := range lines {
		if i == 40 {
			fmt.Fprintf(&b, "%s… %d more lines\n", pad, len(lines)-40)
			break
		}
		b.WriteString(pad + Quote(l) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// clean removes control characters (ANSI escapes among them) from text that
// is shown unquoted, such as a message that names what a program sent.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '�'
		}
		return r
	}, s)
}
