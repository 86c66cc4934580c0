package httpwire

import (
	"bytes"
	"strings"
)

// responseFraming decides how the body of a response is delimited (RFC 9112
// section 6.3): a response to HEAD, and a 1xx, 204 or 304 response, has no
// body whatever its headers say; otherwise Transfer-Encoding: chunked, then
// Content-Length, then the closing of the connection.
func (p *parser) responseFraming(fs []field, status int, method string) frame {
	fr := p.framing(fs, FramingClose)
	if strings.EqualFold(method, "HEAD") || status/100 == 1 || status == 204 || status == 304 {
		fr.kind = FramingNone
	}
	return fr
}

// responseBody reads the body of r, which begins at r.HeaderEnd, as fr
// frames it, and sets r.Body and r.End. It returns ErrNeedMore when the body
// is not complete and the stream has not ended. A Content-Length only
// selects bytes that are present: a larger one is reported, never allocated.
func (p *parser) responseBody(r *Response, fr frame, h head) error {
	raw, start := p.raw, r.HeaderEnd
	switch fr.kind {
	case FramingNone:
		r.End = start
	case FramingContentLength:
		r.Body, r.End = p.lengthBody(start, fr.length)
	case FramingChunked:
		r.Body, r.End = p.chunkedBody(start)
	case FramingClose:
		if !p.ended {
			return ErrNeedMore
		}
		r.Body, r.End = raw[start:], len(raw)
		n := len(r.Body)
		switch {
		case fr.hasLength || fr.hasTE:
			// An invalid Content-Length or Transfer-Encoding was reported.
		case r.Major == 1 && r.Minor == 0:
			p.add(Notice, NoContentLength, h.blank.start, `the HTTP/1.0 response has no Content-Length, so its body ends only when the connection closes: HTTP/1.0 allows this, but "Content-Length: %d" would let the client tell a complete body from a cut one`, n)
		default:
			p.fault(NoContentLength, h.blank.start, `the response has neither Content-Length nor "Transfer-Encoding: chunked", so the client must read until the connection closes and cannot tell a complete body from a cut one: add "Content-Length: %d" before the empty line`, n)
		}
		p.add(Notice, BodyByClose, len(raw), `the body of %s ends where the stream ended: its end is known only from the connection closing`, plural(n, "byte"))
	}
	if r.End < 0 {
		return ErrNeedMore
	}
	return nil
}

// lengthBody returns the n bytes of body that begin at start, and the
// offset just past them. When fewer are present it returns end -1 if the
// stream has not ended, or else the bytes present, reported as
// LengthMismatch.
func (p *parser) lengthBody(start int, n int64) (body []byte, end int) {
	raw := p.raw
	if avail := int64(len(raw) - start); n > avail {
		if !p.ended {
			return nil, -1
		}
		p.cut = true
		p.fault(LengthMismatch, len(raw), `Content-Length is %d but the stream ended after %s of body: send the whole body, or set Content-Length to the number of bytes sent`, n, plural(avail, "byte"))
		return raw[start:], len(raw)
	}
	return raw[start : start+int(n)], start + int(n)
}

// extra reports the bytes after a complete response, once the stream has
// ended. They are reported as exactly one deviation: SecondResponse when
// they begin with "HTTP/"; LengthMismatch when the body was framed by a
// Content-Length, which then counted too few bytes; ExtraBytes otherwise.
func (p *parser) extra(r *Response, method string) {
	raw := p.raw
	if !p.ended || r.End >= len(raw) {
		return
	}
	rest := raw[r.End:]
	n := plural(len(rest), "byte")
	switch {
	case len(rest) >= 5 && bytes.EqualFold(rest[:5], []byte("HTTP/")):
		p.fault(SecondResponse, r.End, `a second response %s follows the first at byte %d: send exactly one response per request`, quote(readLine(raw, r.End).text(raw)), r.End)
	case r.Framing == FramingContentLength:
		hint := ""
		if bytes.ContainsFunc(raw[r.HeaderEnd:], func(c rune) bool { return c >= 0x80 }) {
			hint = " (count bytes, not characters)"
		}
		p.fault(LengthMismatch, r.End, `Content-Length is %d but %s followed the body: %s; for a body of all %d bytes, send "Content-Length: %d"%s`, len(r.Body), plural(len(rest), "more byte"), quote(rest), len(raw)-r.HeaderEnd, len(raw)-r.HeaderEnd, hint)
	case r.Framing == FramingChunked:
		p.fault(ExtraBytes, r.End, `%s followed the end of the chunked body: %s; all of the body belongs inside the chunks`, n, quote(rest))
	case strings.EqualFold(method, "HEAD"):
		p.fault(ExtraBytes, r.End, `the response to HEAD has no body, yet %s followed it: %s; answer HEAD with the status line and headers only`, n, quote(rest))
	default:
		p.fault(ExtraBytes, r.End, `a %d response has no body, yet %s followed it: %s; send no body with status %d`, r.Status, n, quote(rest), r.Status)
	}
}
