package httpwire

import (
	"bytes"
	"fmt"
	"strings"
)

// statusLine is the first line of a response, parsed.
type statusLine struct {
	proto        string // "HTTP/1.1", normalized to upper case
	major, minor int
	status       int
	reason       string
}

// reasonCodes maps common reason phrases, in lower case, to their status
// codes, to suggest the missing code in "HTTP/1.1 Not Found".
var reasonCodes = map[string]int{
	"ok": 200, "created": 201, "accepted": 202, "no content": 204,
	"moved permanently": 301, "found": 302, "see other": 303, "not modified": 304,
	"temporary redirect": 307, "permanent redirect": 308,
	"bad request": 400, "unauthorized": 401, "forbidden": 403, "not found": 404,
	"method not allowed": 405, "internal server error": 500, "not implemented": 501,
	"service unavailable": 503, "http version not supported": 505,
}

// looksLikeHTTP reports whether b, after leading spaces and tabs, could be
// the beginning of "HTTP" in any case. It lets the parser give up on
// "<html>" at once, without waiting for the end of the stream.
func looksLikeHTTP(b []byte) bool {
	b = bytes.TrimLeft(b, " \t")
	n := min(len(b), 4)
	return bytes.EqualFold(b[:n], []byte("HTTP")[:n])
}

// parseVersion parses an HTTP version (RFC 9112 section 2.3): the name
// "HTTP", a slash, a digit, a dot and a digit, as in "HTTP/1.1". It accepts
// the name in any case, and reports with exact whether it was upper case.
func parseVersion(v []byte) (major, minor int, exact, ok bool) {
	if len(v) != 8 || !bytes.EqualFold(v[:5], []byte("HTTP/")) || !isDigit(v[5]) || v[6] != '.' || !isDigit(v[7]) {
		return 0, 0, false, false
	}
	return int(v[5] - '0'), int(v[7] - '0'), string(v[:5]) == "HTTP/", true
}

// missingStatus is the error for a response that does not begin with
// something like "HTTP/1.1 200 OK": a body sent without headers, headers
// sent without a status line, an empty line.
func missingStatus(text []byte) *Error {
	detail := fmt.Sprintf(`the response begins with %s instead of a status line such as "HTTP/1.1 200 OK": send the status line first, then the headers, an empty line and the body`, quote(text))
	if len(text) == 0 {
		detail = `the response begins with an empty line instead of a status line such as "HTTP/1.1 200 OK": send the status line first`
	}
	return &Error{Kind: StatusLineMissing, Offset: 0, Detail: detail}
}

// statusLine parses the first line of a response (RFC 9112 section 4):
//
//	HTTP/1.1 404 Not Found\r\n
//
// It returns an *Error when the line yields no status code, since nothing
// can be graded without one: "HTTP/1.1 OK", "HTTP/1.1 2000 OK", "HTTP1.1
// 200 OK". Departures it can read past are reported as StatusLineMalformed
// deviations: the name in lower case ("http/1.1 200 OK"), a version other
// than 1.x, extra spaces or tabs between the parts, no space between the
// code and the reason ("HTTP/1.1 200OK"). A status line with no reason,
// "HTTP/1.1 204", is accepted silently, as by most clients.
func (p *parser) statusLine(l line) (statusLine, *Error) {
	var sl statusLine
	raw, text := p.raw, l.text(p.raw)
	ws := splitWords(raw, l.start, l.end)
	if len(ws) == 0 || ws[0].end-ws[0].start < 4 || !looksLikeHTTP(raw[ws[0].start:ws[0].end]) {
		return sl, missingStatus(text)
	}
	malformed := func(off int, format string, args ...any) *Error {
		return &Error{Kind: StatusLineMalformed, Offset: off, Detail: fmt.Sprintf(format, args...)}
	}
	v := raw[ws[0].start:ws[0].end]
	major, minor, exact, ok := parseVersion(v)
	if !ok {
		return sl, malformed(ws[0].start, `the status line %s begins with %q, which is not an HTTP version: write "HTTP/1.1", as in "HTTP/1.1 200 OK"`, quote(text), v)
	}
	if len(ws) < 2 {
		return sl, malformed(l.end, `the status line %s has no status code: write a three-digit code after the version, as in "HTTP/1.1 200 OK"`, quote(text))
	}
	c := raw[ws[1].start:ws[1].end]
	digits := 0
	for digits < len(c) && isDigit(c[digits]) {
		digits++
	}
	switch {
	case digits == 0:
		rest := bytes.TrimRight(raw[ws[1].start:l.end], " \t")
		if code, ok := reasonCodes[strings.ToLower(string(rest))]; ok {
			return sl, malformed(ws[1].start, `the status line %s has no status code: write %q`, quote(text), fmt.Sprintf("HTTP/1.1 %d %s", code, rest))
		}
		return sl, malformed(ws[1].start, `the status line %s has no status code: write a three-digit code after the version, as in "HTTP/1.1 200 OK"`, quote(text))
	case digits != 3:
		return sl, malformed(ws[1].start, `the status code %q in the status line %s is not three digits: write a code such as "200"`, c[:digits], quote(text))
	case c[0] < '1' || c[0] > '5':
		return sl, malformed(ws[1].start, `the status code %q in the status line %s is not between 100 and 599`, c[:3], quote(text))
	}
	sl = statusLine{proto: fmt.Sprintf("HTTP/%d.%d", major, minor), major: major, minor: minor,
		status: int(c[0]-'0')*100 + int(c[1]-'0')*10 + int(c[2]-'0')}
	glued := len(c) > 3 // "HTTP/1.1 200OK"
	reasonAt := l.end
	switch {
	case glued:
		reasonAt = ws[1].start + 3
	case len(ws) > 2:
		reasonAt = ws[2].start
	}
	reason := bytes.TrimRight(raw[reasonAt:l.end], " \t")
	sl.reason = string(reason)
	want := fmt.Sprintf("HTTP/1.%d %03d", minor, sl.status)
	if major != 1 {
		want = fmt.Sprintf("HTTP/1.1 %03d", sl.status)
	}
	if sl.reason != "" {
		want += " " + sl.reason
	}
	if ws[0].start > l.start {
		p.fault(StatusLineMalformed, l.start, `the status line %s begins with whitespace: write %q`, quote(text), want)
	}
	if !exact {
		p.fault(StatusLineMalformed, ws[0].start, `the status line %s spells the version %q: the name "HTTP" is case-sensitive, write %q`, quote(text), v, want)
	}
	if major != 1 {
		p.fault(StatusLineMalformed, ws[0].start, `the status line %s claims the version %q, which is not HTTP/1.x: write %q`, quote(text), v, want)
	}
	if sep := raw[ws[0].end:ws[1].start]; string(sep) != " " {
		p.fault(StatusLineMalformed, ws[0].end, `the status line %s separates the version from the status code with %q: use one space, %q`, quote(text), sep, want)
	}
	if i := ctlIndex(reason); i >= 0 {
		p.fault(StatusLineMalformed, reasonAt+i, `the reason of the status line %s %s`, quote(text), ctlProblem(reason[i]))
	}
	if glued {
		p.fault(StatusLineMalformed, ws[1].start+3, `the status line %s has no space between the status code and the reason: write %q`, quote(text), want)
	} else if len(ws) > 2 {
		if sep := raw[ws[1].end:ws[2].start]; string(sep) != " " {
			p.fault(StatusLineMalformed, ws[1].end, `the status line %s separates the status code from the reason with %q: use one space, %q`, quote(text), sep, want)
		}
	}
	return sl, nil
}
