package httpwire

import (
	"bytes"
	"fmt"
)

// maxChunkLine bounds a chunk size line; no real one is longer.
const maxChunkLine = 4096

// chunkedBody is a chunked body as decoded by parser.chunked.
type chunkedBody struct {
	data     []byte
	end      int  // offset just past the body
	chunks   int  // data chunks, not counting the last chunk "0"
	needMore bool // the body is not complete and the stream has not ended
	ok       bool // the body was complete and well formed
}

// chunked decodes a chunked body (RFC 9112 section 7.1) that begins at off:
//
//	"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"
//
// Each chunk is its size in hexadecimal on a line of its own, then that
// many bytes of data, then "\r\n"; a chunk of size 0 ends the body, after
// optional trailer lines and an empty line.
//
// A chunk's data may end with a bare "\n" instead of "\r\n", unless its
// last byte is "\r": then the size is one too large, the most likely
// reading, and it is reported as BadChunk.
//
// If the stream ended in the middle of the body, the data so far is kept
// and the problem reported as Incomplete; if a chunk is malformed, as
// BadChunk. Either way the body then runs to the end of the input, since
// nothing after it can be framed. The decoded data is copied from the input
// chunk by chunk, so it never exceeds the bytes actually present, whatever
// the chunk sizes claim.
func (p *parser) chunked(off int) (cb chunkedBody) {
	raw := p.raw
	cut := func(format string, args ...any) chunkedBody {
		if !p.ended {
			return chunkedBody{needMore: true}
		}
		p.fault(Incomplete, len(raw), format, args...)
		cb.end = len(raw)
		return cb
	}
	bad := func(at int, format string, args ...any) chunkedBody {
		p.fault(BadChunk, at, format, args...)
		cb.end = len(raw)
		return cb
	}
	for {
		l := readLine(raw, off)
		if l.end-l.start > maxChunkLine {
			return bad(l.start, `the chunk size line %s does not end within %d bytes: each chunk begins with its size in hexadecimal on a line of its own`, quote(l.text(raw)), maxChunkLine)
		}
		if !l.terminated {
			return cut(`the stream ended before the last chunk "0\r\n\r\n" of the chunked body: end a chunked body with a chunk of size 0 and an empty line`)
		}
		p.lf.see(raw, l, "the chunk size line")
		size, text, ok := parseChunkSize(l.text(raw))
		if !ok {
			if l.start == l.end {
				return bad(l.start, `an empty line stands where a chunk size was expected: each chunk begins with its size in hexadecimal, as in "1a\r\n" for 26 bytes`)
			}
			return bad(l.start, `the chunk size line %s does not begin with a size in hexadecimal: each chunk begins with its size, as in "1a\r\n" for 26 bytes`, quote(l.text(raw)))
		}
		if size == 0 {
			return p.trailers(l.next, cb, cut)
		}
		cb.chunks++
		start := l.next
		avail := int64(len(raw) - start)
		hexOK := size+2 <= avail && raw[start+int(size)] == '\r' && raw[start+int(size)+1] == '\n'
		if !hexOK && (size+2 <= avail || p.ended) {
			if dec, ok := decimalMistake(raw, start, size, text); ok {
				return bad(l.start, `the chunk size %q is hexadecimal, so it announces %d bytes, but the chunk has %d: write the size in hexadecimal, %q`, text, size, dec, fmt.Sprintf("%x", dec))
			}
		}
		if size > avail {
			cb.data = append(cb.data, raw[start:]...)
			return cut(`the stream ended %s into a chunk of %s`, plural(avail, "byte"), plural(size, "byte"))
		}
		e := start + int(size)
		switch {
		case e+1 < len(raw) && raw[e] == '\r' && raw[e+1] == '\n':
			off = e + 2
		case e < len(raw) && raw[e] == '\n' && raw[e-1] != '\r':
			p.lf.seeAt(e, "the chunk", raw[start:e])
			off = e + 1
		case e == len(raw) || e+1 == len(raw) && raw[e] == '\r':
			cb.data = append(cb.data, raw[start:e]...)
			return cut(`the stream ended after the data of a chunk, before the "\r\n" that ends it`)
		default:
			hint := ""
			if n := bytes.Index(raw[start:], []byte("\r\n")); n > 0 {
				hint = fmt.Sprintf(`; if its data is %s, write the size %q`, quote(raw[start:start+n]), fmt.Sprintf("%x", n))
			}
			return bad(e, `the chunk of %s announced by %q is followed by %s instead of "\r\n": a chunk's data must be exactly as long as its size says%s`, plural(size, "byte"), text, quote(raw[e:min(len(raw), e+20)]), hint)
		}
		cb.data = append(cb.data, raw[start:e]...)
	}
}

// chunkedBody decodes the chunked body at start and returns it with the
// offset just past it, or end -1 if the body is not complete and the stream
// has not ended. A body decoded without trouble is noted as Chunked.
func (p *parser) chunkedBody(start int) (body []byte, end int) {
	cb := p.chunked(start)
	switch {
	case cb.needMore:
		return nil, -1
	case cb.ok:
		p.add(Notice, Chunked, start, `the body was sent with "Transfer-Encoding: chunked", in %s (%s), and was decoded`, plural(cb.chunks, "chunk"), plural(len(cb.data), "byte"))
	}
	return cb.data, cb.end
}

// trailers reads the trailer section after the last chunk "0\r\n": header
// lines, usually none, and an empty line.
func (p *parser) trailers(off int, cb chunkedBody, cut func(string, ...any) chunkedBody) chunkedBody {
	for {
		l := readLine(p.raw, off)
		if !l.terminated {
			return cut(`the last chunk "0\r\n" is not followed by the empty line "\r\n" that ends a chunked body`)
		}
		if l.empty() {
			p.lf.see(p.raw, l, "the empty line after the last chunk")
			cb.end, cb.ok = l.next, true
			return cb
		}
		p.fields([]line{l}, "trailer line")
		off = l.next
	}
}

// parseChunkSize parses a chunk size line: hexadecimal digits, then
// optionally whitespace and a chunk extension ";name=value", which is
// ignored. It returns the digits as text for messages.
func parseChunkSize(b []byte) (size int64, text []byte, ok bool) {
	if i := bytes.IndexByte(b, ';'); i >= 0 {
		b = b[:i]
	}
	b = bytes.TrimRight(b, " \t")
	if len(b) == 0 || len(b) > 15 {
		return 0, b, false
	}
	for _, c := range b {
		var v byte
		switch {
		case isDigit(c):
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, b, false
		}
		size = size<<4 | int64(v)
	}
	return size, b, true
}

// decimalMistake reports whether a chunk whose size text is all decimal
// digits, such as "10", was meant as decimal: read as decimal, the data
// would end exactly at a line end, where read as hexadecimal it does not.
// It is the most common mistake in hand-written chunked encoding.
func decimalMistake(raw []byte, start int, size int64, text []byte) (int64, bool) {
	var dec int64
	for _, c := range text {
		if !isDigit(c) {
			return 0, false
		}
		dec = dec*10 + int64(c-'0')
	}
	e := int64(start) + dec
	if dec == size || e >= int64(len(raw)) {
		return 0, false
	}
	if raw[e] == '\n' || raw[e] == '\r' && e+1 < int64(len(raw)) && raw[e+1] == '\n' {
		return dec, true
	}
	return 0, false
}
