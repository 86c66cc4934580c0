package httpwire

import (
	"errors"
	"fmt"
	"strings"
)

// Request is an HTTP/1.x request as received, with every deviation seen on
// the way. It serves a stand-in server that grades a request a student
// typed by hand, into nc for instance:
//
//	"GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"
type Request struct {
	Method     string   // as sent, even in lower case
	Target     string   // as sent, even with spaces inside
	Proto      string   // "HTTP/1.1" in upper case; "" when none was sent
	Headers    []Header // well-formed header lines, in order, as sent
	Body       []byte   // decoded if chunked
	HeaderEnd  int      // offset of the first body byte in raw
	End        int      // offset just past the request in raw
	Deviations []Deviation
}

// Get returns the first value of the header named name, compared
// case-insensitively.
func (r *Request) Get(name string) (string, bool) { return lookup(r.Headers, name) }

// Has reports whether a deviation of kind k was seen.
func (r *Request) Has(k Kind) bool { return has(r.Deviations, k) }

// Faults returns the deviations that are faults, leaving out notices.
func (r *Request) Faults() []Deviation { return faults(r.Deviations) }

// ncHint follows a bare-LF report on a request: typing into nc sends "\n".
const ncHint = ` (with nc, use "nc -C" to send "\r\n")`

// ParseRequest parses the raw bytes of a request received so far; ended
// reports whether the stream has ended (end of file, reset or timeout).
//
// While the stream has not ended, a request that is not complete yet
// yields (nil, ErrNeedMore). Empty lines before the request line are
// skipped, as RFC 9112 section 2.2 recommends. A request has a body only
// if it says so, with Content-Length or "Transfer-Encoding: chunked"; End
// marks its end, and bytes after End (a pipelined request) are left to the
// caller. When the stream has ended, ParseRequest returns a Request as soon
// as a request line with a method and a target was seen, with NoBlankLine,
// LengthMismatch or Incomplete for what is missing.
//
// The error is an *Error when no request can be made of the bytes. When
// that is because the request line is malformed (RequestLineMalformed, a
// complete line that yields no method and target), the Request returned
// with it still holds what follows the line: its headers and their
// deviations, the end of the header section. A fault in the first line
// then does not hide the lines after it.
func ParseRequest(raw []byte, ended bool) (*Request, error) {
	p := &parser{raw: raw, ended: ended}
	h, rl, err := p.requestHead()
	var lineErr *Error
	if err != nil {
		if !errors.As(err, &lineErr) || lineErr.Kind != RequestLineMalformed || !h.start.terminated {
			return nil, err
		}
		rl = requestLine{}
	}
	r, err := p.request(h, rl)
	if err == nil && lineErr != nil {
		return r, lineErr
	}
	return r, err
}

// request reads what follows the request line rl.
func (p *parser) request(h head, rl requestLine) (*Request, error) {
	raw := p.raw
	r := &Request{Method: rl.method, Target: rl.target, Proto: rl.proto}
	p.lf.see(raw, h.start, "the request line")
	fs := p.fields(h.fields, "header line")
	r.Headers = headers(fs)
	p.host(rl, fs, h)
	fr := p.framing(fs, FramingNone)
	if !h.closed {
		p.noBlankLine(h, "request line", `: send it (press Enter on an empty line)`)
		r.HeaderEnd, r.End = len(raw), len(raw)
		r.Deviations = p.finish(ncHint)
		return r, nil
	}
	p.lf.see(raw, h.blank, "the empty line after the headers")
	r.HeaderEnd, r.End = h.end, h.end
	switch fr.kind {
	case FramingContentLength:
		r.Body, r.End = p.lengthBody(h.end, fr.length)
	case FramingChunked:
		r.Body, r.End = p.chunkedBody(h.end)
	}
	if r.End < 0 {
		return nil, ErrNeedMore
	}
	r.Deviations = p.finish(ncHint)
	return r, nil
}

// requestHead skips empty lines before the request line, finds the header
// section and parses the request line. It returns ErrNeedMore while the
// header section is not complete and the stream has not ended, and an
// *Error when the bytes cannot begin a request.
func (p *parser) requestHead() (head, requestLine, error) {
	raw, off := p.raw, 0
	for l := readLine(raw, 0); l.empty() && off <= MaxHeaderBytes; l = readLine(raw, off) {
		p.lf.see(raw, l, "the empty line before the request line")
		off = l.next
	}
	if off == len(raw) {
		if !p.ended {
			return head{}, requestLine{}, ErrNeedMore
		}
		return head{}, requestLine{}, &Error{Kind: Incomplete, Offset: off, Detail: "the stream ended before a request line was received"}
	}
	h, tooLarge := scanHead(raw, off)
	first := h.start.text(raw)
	switch {
	case tooLarge || off > MaxHeaderBytes:
		return h, requestLine{}, headerTooLarge(first)
	case !h.start.terminated && !p.ended:
		return h, requestLine{}, ErrNeedMore
	}
	rl, err := p.requestLine(h.start)
	switch {
	case err != nil && !h.start.terminated:
		return h, rl, &Error{Kind: Incomplete, Offset: len(raw), Detail: fmt.Sprintf(`the stream ended after %s, in the middle of the request line`, quote(first))}
	case err != nil:
		return h, rl, err
	case !h.closed && !p.ended:
		return h, rl, ErrNeedMore
	}
	return h, rl, nil
}

// host checks the Host header: an HTTP/1.1 request must send exactly one
// (RFC 9112 section 3.2), so that one server can serve many names.
func (p *parser) host(rl requestLine, fs []field, h head) {
	var first *field
	for i := range fs {
		if !strings.EqualFold(fs[i].Name, "Host") {
			continue
		}
		if first != nil {
			p.fault(MalformedHeader, fs[i].line.start, `the header line %s is a second Host header: send Host once`, quote(fs[i].line.text(p.raw)))
			continue
		}
		first = &fs[i]
	}
	if first == nil && rl.major == 1 && rl.minor >= 1 {
		off := len(p.raw)
		if h.closed {
			off = h.blank.start
		}
		p.fault(MissingHost, off, `the %s request has no Host header: add a line such as "Host: localhost" before the empty line`, rl.proto)
	}
}
