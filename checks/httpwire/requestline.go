package httpwire

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// requestLine is the first line of a request, parsed.
type requestLine struct {
	method, target string
	proto          string // "HTTP/1.1" in upper case; "" when none was sent
	major, minor   int
}

// knownMethods are the methods of RFC 9110 and RFC 5789, to tell "get" (a
// mistake for GET) from a method the grader does not know.
var knownMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}

// requestLine parses the first line of a request (RFC 9112 section 3):
//
//	GET /index.html HTTP/1.1\r\n
//
// It returns an *Error when the line yields no method and target: a blank
// line, "GET" alone, "GET HTTP/1.1", a first word that is not a token.
// Departures it can read past are reported as RequestLineMalformed: no
// version ("GET /", as in HTTP/0.9), a method in lower case ("get"), extra
// spaces or tabs, a space inside the target ("/my file.html", kept as
// sent), a target that does not begin with "/", a version in lower case or
// other than 1.x.
func (p *parser) requestLine(l line) (requestLine, *Error) {
	var rl requestLine
	raw, text := p.raw, l.text(p.raw)
	malformed := func(off int, format string, args ...any) *Error {
		return &Error{Kind: RequestLineMalformed, Offset: off, Detail: fmt.Sprintf(format, args...)}
	}
	if bytes.HasPrefix(raw[l.start:l.end], []byte("\xef\xbb\xbf")) {
		return rl, malformed(l.start, `the request line begins with the bytes "\xef\xbb\xbf", a byte order mark that an editor adds when it saves a file as "UTF-8 with BOM": nothing may come before the method; save the file as plain UTF-8`)
	}
	ws := splitWords(raw, l.start, l.end)
	if len(ws) == 0 {
		return rl, malformed(l.start, `the request line %s is blank: write a request line such as "GET / HTTP/1.1"`, quote(text))
	}
	m := raw[ws[0].start:ws[0].end]
	for i, c := range m {
		if !isTchar(c) {
			return rl, malformed(ws[0].start+i, `the request line %s does not begin with a method such as "GET": a method cannot contain %q`, quote(text), []byte{c})
		}
	}
	last := raw[ws[len(ws)-1].start:ws[len(ws)-1].end]
	// "HTTP1.1" or "HTTP\1.1" is a misspelt version, not part of the target.
	isVersion := len(last) >= 4 && bytes.EqualFold(last[:4], []byte("HTTP"))
	if len(ws) == 1 && !isKnownMethod(strings.ToUpper(string(m))) {
		return rl, malformed(l.start, `the request line %s is not a method, a target and a version: write a request line such as "GET / HTTP/1.1"`, quote(text))
	}
	if len(ws) == 1 || len(ws) == 2 && isVersion {
		return rl, malformed(ws[0].end, `the request line %s has no target: write %q`, quote(text), string(m)+" / HTTP/1.1")
	}
	tws := ws[1:]
	if isVersion {
		tws = ws[1 : len(ws)-1]
	}
	tstart, tend := tws[0].start, tws[len(tws)-1].end
	rl.method, rl.target = string(m), string(raw[tstart:tend])

	wantMethod, wantTarget, wantProto := rl.method, rl.target, "HTTP/1.1"
	upper := strings.ToUpper(rl.method)
	lower := upper != rl.method
	if lower && isKnownMethod(upper) {
		wantMethod = upper
	}
	if len(tws) > 1 {
		wantTarget = strings.Join(strings.Fields(rl.target), "%20")
	}
	badForm := rl.target != "*" && !strings.HasPrefix(rl.target, "/") && !strings.Contains(rl.target, "://") && upper != "CONNECT"
	if badForm {
		wantTarget = "/" + wantTarget
	}
	major, minor, exact, versionOK := parseVersion(last)
	if isVersion && versionOK {
		rl.proto, rl.major, rl.minor = fmt.Sprintf("HTTP/%d.%d", major, minor), major, minor
		if major == 1 {
			wantProto = rl.proto
		}
	}
	want := wantMethod + " " + wantTarget + " " + wantProto

	if ws[0].start > l.start {
		p.fault(RequestLineMalformed, l.start, `the request line %s begins with whitespace: write %q`, quote(text), want)
	}
	switch {
	case lower && isKnownMethod(upper):
		p.fault(RequestLineMalformed, ws[0].start, `the method %q is case-sensitive: write %q`, rl.method, upper)
	case lower:
		p.fault(RequestLineMalformed, ws[0].start, `the method %q is not a known method: methods are case-sensitive, and the standard ones are upper case, as in "GET"`, rl.method)
	}
	if sep := raw[ws[0].end:tstart]; string(sep) != " " {
		p.fault(RequestLineMalformed, ws[0].end, `the request line %s separates the method from the target with %q: use one space, %q`, quote(text), sep, want)
	}
	if len(tws) > 1 {
		p.fault(RequestLineMalformed, tws[0].end, `the target %q contains whitespace, which ends a target: write it as %q`, rl.target, wantTarget)
	}
	if badForm {
		p.fault(RequestLineMalformed, tstart, `the target %q does not begin with "/": write %q`, rl.target, want)
	}
	if !isVersion {
		p.fault(RequestLineMalformed, l.end, `the request line %s has no HTTP version: write %q`, quote(text), want)
		return rl, nil
	}
	vstart := ws[len(ws)-1].start
	if sep := raw[tend:vstart]; string(sep) != " " {
		p.fault(RequestLineMalformed, tend, `the request line %s separates the target from the version with %q: use one space, %q`, quote(text), sep, want)
	}
	switch {
	case !versionOK:
		rl.proto = string(last)
		p.fault(RequestLineMalformed, vstart, `the request line %s ends with %q, which is not an HTTP version: write %q`, quote(text), last, want)
	case !exact:
		p.fault(RequestLineMalformed, vstart, `the request line %s spells the version %q: the name "HTTP" is case-sensitive, write %q`, quote(text), last, want)
	}
	if versionOK && major != 1 {
		p.fault(RequestLineMalformed, vstart, `the request line %s claims the version %q, which is not HTTP/1.x: write %q`, quote(text), last, want)
	}
	if vend := ws[len(ws)-1].end; vend < l.end {
		p.fault(RequestLineMalformed, vend, `the request line %s ends with whitespace: write %q`, quote(text), want)
	}
	return rl, nil
}

func isKnownMethod(m string) bool { return slices.Contains(knownMethods, m) }
