package httpwire

import (
	"bytes"
	"fmt"
	"strings"
)

// Header is one header field as sent: the name in its original case, the
// value without the whitespace around it. Lookups by name are
// case-insensitive (RFC 9110 section 5.1).
type Header struct{ Name, Value string }

// lookup returns the first value of the header named name.
func lookup(hs []Header, name string) (string, bool) {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// head is the header section of a message: the start line, the header
// lines and the empty line that ends it.
//
//	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
//	 ^start             ^fields[0]            ^blank ^end
type head struct {
	start  line
	fields []line
	blank  line // the empty line; valid only if closed
	closed bool // the empty line was found
	end    int  // offset just past the empty line, or len(raw) if none
}

// scanHead splits raw[off:] into lines up to the first empty line. It
// reports tooLarge when the header section, complete or not, is longer than
// MaxHeaderBytes.
func scanHead(raw []byte, off int) (h head, tooLarge bool) {
	limit := off + MaxHeaderBytes
	h.start = readLine(raw, off)
	h.end = len(raw)
	for pos := h.start.next; h.start.terminated && pos < len(raw) && pos <= limit; {
		l := readLine(raw, pos)
		if l.empty() {
			h.blank, h.closed, h.end = l, true, l.next
			break
		}
		h.fields = append(h.fields, l)
		pos = l.next
	}
	return h, h.end-off > MaxHeaderBytes
}

// field is a parsed header line and where its value begins in raw.
type field struct {
	Header
	line     line
	valueOff int
}

// parseField parses one header line of the form
//
//	Content-Type: text/html\r\n
//
// It returns ok=false for a line that yields no header at all (no colon, no
// name, an invalid name), and a deviation, if any, for a line that is not
// well formed. A line with whitespace before the colon, or with a control
// character in its value, is kept and reported.
func parseField(raw []byte, l line) (f field, ok bool, dev *Deviation) {
	text := l.text(raw)
	bad := func(off int, format string, args ...any) *Deviation {
		return &Deviation{Kind: MalformedHeader, Offset: off, Detail: fmt.Sprintf(format, args...)}
	}
	if len(text) > 0 && isSpace(text[0]) {
		return f, false, bad(l.start, `the header line %s begins with whitespace: a header line starts with its name, "Name: value" (an indented line would continue the previous header, an obsolete form)`, quote(text))
	}
	colon := bytes.IndexByte(text, ':')
	if colon < 0 {
		return f, false, bad(l.start, `the header line %s has no colon: a header is written "Name: value", and the body begins only after an empty line "\r\n"`, quote(text))
	}
	name := text[:colon]
	trimmed := bytes.TrimRight(name, " \t")
	if len(trimmed) == 0 {
		return f, false, bad(l.start, `the header line %s has no name before the colon: write "Name: value"`, quote(text))
	}
	for i, c := range trimmed {
		if !isTchar(c) {
			return f, false, bad(l.start+i, `the header name %s contains %q, which a header name cannot contain: a name is letters, digits and "-", as in "Content-Type"`, quote(trimmed), []byte{c})
		}
	}
	vstart := colon + 1
	for vstart < len(text) && isSpace(text[vstart]) {
		vstart++
	}
	value := bytes.TrimRight(text[vstart:], " \t")
	f = field{Header: Header{Name: string(trimmed), Value: string(value)}, line: l, valueOff: l.start + vstart}
	if len(trimmed) < len(name) {
		return f, true, bad(l.start+len(trimmed), `the header line %s has whitespace before the colon: write %q`, quote(text), f.Name+": "+f.Value)
	}
	if i := ctlIndex(value); i >= 0 {
		return f, true, bad(f.valueOff+i, `the value of the header line %s %s`, quote(text), ctlProblem(value[i]))
	}
	return f, true, nil
}

// ctlIndex returns the index of the first control character in b other
// than tab, or -1. Header values and reason phrases are text on one line.
func ctlIndex(b []byte) int {
	return bytes.IndexFunc(b, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f })
}

// ctlProblem describes the control character c found in a line. A "\r"
// in the middle of a line is most often meant as a line end.
func ctlProblem(c byte) string {
	if c == '\r' {
		return `contains a bare "\r", which does not end a line: end every line with "\r\n"`
	}
	return fmt.Sprintf(`contains the control character %q: it must be text on one line`, []byte{c})
}

// fields parses header lines, reporting each malformed one, and returns
// the well-formed ones. what names the lines in bare-LF reports:
// "header line" or "trailer line".
func (p *parser) fields(lines []line, what string) []field {
	var fs []field
	for _, l := range lines {
		p.lf.see(p.raw, l, "the "+what)
		f, ok, dev := parseField(p.raw, l)
		if dev != nil {
			p.devs = append(p.devs, *dev)
		}
		if ok {
			fs = append(fs, f)
		}
	}
	return fs
}

func headers(fs []field) []Header {
	hs := make([]Header, len(fs))
	for i, f := range fs {
		hs[i] = f.Header
	}
	return hs
}

// The ways a message body can be delimited, as in [Response.Framing].
const (
	FramingContentLength = "content-length" // Content-Length: N
	FramingChunked       = "chunked"        // Transfer-Encoding: chunked
	FramingClose         = "close"          // until the connection closes
	FramingNone          = "none"           // no body: HEAD, 1xx, 204, 304, or a request without length
)

// frame is how the header fields say the body is delimited (RFC 9112
// section 6.3), decided before looking at the body.
type frame struct {
	kind      string
	length    int64 // for FramingContentLength
	hasLength bool  // a Content-Length field was sent, valid or not
	hasTE     bool  // a Transfer-Encoding field was sent
}

// framing reads Content-Length and Transfer-Encoding from fs. Transfer-
// Encoding wins over Content-Length; a Transfer-Encoding that does not end
// in "chunked" leaves the body to end at close. An invalid Content-Length is
// reported and ignored. otherwise is the framing when neither is sent:
// FramingClose for a response, FramingNone for a request.
func (p *parser) framing(fs []field, otherwise string) frame {
	fr := frame{kind: otherwise}
	var te, cl *field
	for i := range fs {
		f := &fs[i]
		switch {
		case strings.EqualFold(f.Name, "Transfer-Encoding"):
			fr.hasTE = true
			te = f
		case strings.EqualFold(f.Name, "Content-Length"):
			fr.hasLength = true
			n, ok := parseLength(f.Value)
			switch {
			case !ok:
				p.fault(MalformedHeader, f.valueOff, `the Content-Length %q is not a number of bytes: write digits only, as in "Content-Length: 42"`, f.Value)
			case cl == nil:
				cl, fr.length = f, n
			case n != fr.length:
				p.fault(MalformedHeader, f.line.start, `a second Content-Length %q contradicts the first, %q: send Content-Length once`, f.Value, cl.Value)
			}
		}
	}
	if te != nil {
		codings := strings.Split(te.Value, ",")
		if strings.EqualFold(strings.TrimSpace(codings[len(codings)-1]), "chunked") {
			fr.kind = FramingChunked
		} else {
			fr.kind = FramingClose
			p.fault(MalformedHeader, te.valueOff, `the Transfer-Encoding %q does not end with "chunked", so the body can only end when the connection closes: send "Transfer-Encoding: chunked" or a Content-Length`, te.Value)
		}
		if cl != nil {
			p.fault(MalformedHeader, cl.line.start, `the header line %s is sent together with Transfer-Encoding, which overrides it: send one or the other`, quote(cl.line.text(p.raw)))
		}
		return fr
	}
	if cl != nil {
		fr.kind = FramingContentLength
	}
	return fr
}

// parseLength parses a Content-Length value: one or more decimal digits.
// (Whitespace around it was already removed with the header's value.)
func parseLength(v string) (int64, bool) {
	if v == "" || len(v) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return 0, false
		}
		n = n*10 + int64(v[i]-'0')
	}
	return n, true
}
