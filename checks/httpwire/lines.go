package httpwire

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
)

// A line is one line of a header section or of a chunked body, located in
// the raw bytes. HTTP/1.x ends every line with CRLF:
//
//	"Content-Length: 5\r\n"
//	 ^start           ^end ^next
//
// RFC 9112 section 2.2 lets a recipient accept a bare "\n" as the end of a
// line; such a line is marked bareLF so that it can be reported once. A
// line that runs to the end of the input without "\n" is not terminated.
type line struct {
	start, end, next int
	terminated       bool
	bareLF           bool
}

// readLine returns the line that begins at off.
func readLine(raw []byte, off int) line {
	i := bytes.IndexByte(raw[off:], '\n')
	if i < 0 {
		return line{start: off, end: len(raw), next: len(raw)}
	}
	nl := off + i
	l := line{start: off, end: nl, next: nl + 1, terminated: true}
	if nl > off && raw[nl-1] == '\r' {
		l.end = nl - 1
	} else {
		l.bareLF = true
	}
	return l
}

func (l line) text(raw []byte) []byte { return raw[l.start:l.end] }

// empty reports whether l is the empty line "\r\n" (or "\n").
func (l line) empty() bool { return l.terminated && l.start == l.end }

// maxQuote bounds how much of a bad input a message quotes.
const maxQuote = 60

// quote returns b as a Go string literal, cut after maxQuote bytes, so that
// every message shows the bytes exactly as sent: "HTTP/1.1 200 OK\r\n".
func quote(b []byte) string {
	if len(b) > maxQuote {
		return fmt.Sprintf("%q...", b[:maxQuote])
	}
	return fmt.Sprintf("%q", b)
}

// plural returns "1 byte", "2 bytes".
func plural[T int | int64](n T, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// A word is a run of bytes other than space and tab, as in the status line
// "HTTP/1.1 200 OK" (three words) or the request line "GET / HTTP/1.1".
type word struct{ start, end int }

// splitWords splits raw[start:end] at spaces and tabs.
func splitWords(raw []byte, start, end int) []word {
	var ws []word
	for i := start; i < end; {
		if isSpace(raw[i]) {
			i++
			continue
		}
		j := i
		for j < end && !isSpace(raw[j]) {
			j++
		}
		ws = append(ws, word{i, j})
		i = j
	}
	return ws
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isTchar reports whether c may appear in a token (RFC 9110 section 5.6.2),
// the syntax of header names and methods.
func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', isDigit(c):
		return true
	}
	return c != 0 && bytes.IndexByte([]byte("!#$%&'*+-.^_`|~"), c) >= 0
}

// parser holds what is common to parsing a response and a request: the
// input, whether the stream has ended, and the deviations seen so far.
type parser struct {
	raw   []byte
	ended bool
	devs  []Deviation
	lf    bareLF
	cut   bool // the body is shorter than its Content-Length
}

func (p *parser) add(sev Severity, k Kind, off int, format string, args ...any) {
	p.devs = append(p.devs, Deviation{Kind: k, Offset: off, Detail: fmt.Sprintf(format, args...), Severity: sev})
}

func (p *parser) fault(k Kind, off int, format string, args ...any) {
	p.add(Fault, k, off, format, args...)
}

// finish adds the bare-LF deviation, if any, and orders the deviations by
// offset, so that a report reads from the top of the message down.
func (p *parser) finish(hint string) []Deviation {
	if p.lf.count > 0 {
		more := ""
		if p.lf.count > 1 {
			more = fmt.Sprintf(", and so do %s", plural(p.lf.count-1, "more line"))
		}
		p.fault(BareLF, p.lf.first, `%s ends with a bare "\n"%s: HTTP/1.x ends every line with "\r\n"%s`,
			p.lf.desc, more, hint)
	}
	slices.SortStableFunc(p.devs, func(a, b Deviation) int { return cmp.Compare(a.Offset, b.Offset) })
	return p.devs
}

// bareLF remembers the first line ended by "\n" alone and counts the rest,
// so that a message written with "\n" throughout yields one deviation, not
// one per line.
type bareLF struct {
	first int    // offset of the first bare "\n"
	desc  string // the line it ends, e.g. `the header line "Host: a"`
	count int
}

// see notes l if it ends with a bare "\n"; what names the line.
func (t *bareLF) see(raw []byte, l line, what string) {
	if l.bareLF {
		t.seeAt(l.end, what, l.text(raw))
	}
}

// seeAt notes a bare "\n" at off that ends text.
func (t *bareLF) seeAt(off int, what string, text []byte) {
	if t.count == 0 {
		t.first = off
		if len(text) == 0 {
			t.desc = what
		} else {
			t.desc = what + " " + quote(text)
		}
	}
	t.count++
}
