package httpwire

import "fmt"

// Response is an HTTP/1.x response as received, with every deviation seen
// on the way.
//
//	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
//	                                        ^HeaderEnd ^End
type Response struct {
	Proto        string // "HTTP/1.1", in upper case whatever was sent
	Major, Minor int
	Status       int
	Reason       string
	Headers      []Header // well-formed header lines, in order, as sent
	Body         []byte   // decoded if chunked
	Framing      string   // FramingContentLength, FramingChunked, FramingClose or FramingNone
	HeaderEnd    int      // offset of the first body byte in raw
	End          int      // offset just past the response in raw
	// Complete is true when the response arrived whole, as its framing
	// delimits it: the header section up to its empty line, and then the
	// body of the declared Content-Length, or chunked up to its last chunk,
	// or up to the end of the stream. What follows it (a second response,
	// bytes the length did not count) does not make it less complete: a
	// client reads exactly this response.
	Complete   bool
	Deviations []Deviation
}

// Get returns the first value of the header named name, compared
// case-insensitively: Get("content-length") finds "Content-Length: 5".
func (r *Response) Get(name string) (string, bool) { return lookup(r.Headers, name) }

// Has reports whether a deviation of kind k was seen.
func (r *Response) Has(k Kind) bool { return has(r.Deviations, k) }

// Faults returns the deviations that are faults, leaving out notices such
// as Chunked. A response with no faults is well-formed HTTP/1.x.
func (r *Response) Faults() []Deviation { return faults(r.Deviations) }

func has(ds []Deviation, k Kind) bool {
	for _, d := range ds {
		if d.Kind == k {
			return true
		}
	}
	return false
}

func faults(ds []Deviation) []Deviation {
	var fs []Deviation
	for _, d := range ds {
		if d.Severity == Fault {
			fs = append(fs, d)
		}
	}
	return fs
}

// ParseResponse parses the raw bytes received so far in answer to a request
// with the given method ("GET", "HEAD", ...).
//
// ended reports whether the stream has ended: end of file, reset or
// timeout. While it has not, a response that is not complete yet yields
// (nil, ErrNeedMore): read more and call again with all the bytes. Framing
// by the closing of the connection needs ended=true.
//
// When the stream has ended, ParseResponse returns a Response as soon as a
// status line was seen, with deviations such as NoBlankLine, Incomplete or
// LengthMismatch for what is missing. Bytes after End are reported
// (ExtraBytes, SecondResponse, LengthMismatch) only when ended is true, so
// a caller should read a little longer after a complete response before
// calling with ended=true. An interim 1xx response is parsed as a response
// of its own; the final response after it is then a SecondResponse.
//
// The error is an *Error when no response can be made of the bytes: no
// status line, a status line without a status code, a header section
// larger than MaxHeaderBytes.
func ParseResponse(raw []byte, method string, ended bool) (*Response, error) {
	p := &parser{raw: raw, ended: ended}
	h, sl, err := p.responseHead()
	if err != nil {
		return nil, err
	}
	r := &Response{Proto: sl.proto, Major: sl.major, Minor: sl.minor, Status: sl.status, Reason: sl.reason}
	p.lf.see(raw, h.start, "the status line")
	fs := p.fields(h.fields, "header line")
	r.Headers = headers(fs)
	fr := p.responseFraming(fs, r.Status, method)
	r.Framing = fr.kind
	if !h.closed {
		p.noBlankLine(h, "status line", ": send it, and then the body")
		r.HeaderEnd, r.End = len(raw), len(raw)
		r.Deviations = p.finish("")
		return r, nil
	}
	p.lf.see(raw, h.blank, "the empty line after the headers")
	r.HeaderEnd = h.end
	if err := p.responseBody(r, fr, h); err != nil {
		return nil, err
	}
	r.Complete = !p.cut && !has(p.devs, Incomplete) && !has(p.devs, BadChunk)
	p.extra(r, method)
	r.Deviations = p.finish("")
	return r, nil
}

// responseHead finds the header section of a response and parses its
// status line. It returns ErrNeedMore while the header section is not
// complete and the stream has not ended, and an *Error when the bytes
// cannot begin a response. It gives up on bytes such as "<html>" at once,
// without waiting for the end of the stream.
func (p *parser) responseHead() (head, statusLine, error) {
	raw := p.raw
	if len(raw) == 0 {
		if !p.ended {
			return head{}, statusLine{}, ErrNeedMore
		}
		return head{}, statusLine{}, &Error{Kind: StatusLineMissing, Offset: 0, Detail: "the stream ended before any byte was received: the server sent no response"}
	}
	h, tooLarge := scanHead(raw, 0)
	first := h.start.text(raw)
	if !h.start.terminated && !p.ended {
		switch {
		case !looksLikeHTTP(raw):
			return h, statusLine{}, missingStatus(first)
		case tooLarge:
			return h, statusLine{}, headerTooLarge(first)
		}
		return h, statusLine{}, ErrNeedMore
	}
	sl, err := p.statusLine(h.start)
	switch {
	case err != nil && err.Kind == StatusLineMalformed && !h.start.terminated:
		return h, sl, &Error{Kind: Incomplete, Offset: len(raw), Detail: fmt.Sprintf(`the stream ended after %s, in the middle of the status line`, quote(first))}
	case err != nil:
		return h, sl, err
	case tooLarge:
		return h, sl, headerTooLarge(first)
	case !h.closed && !p.ended:
		return h, sl, ErrNeedMore
	}
	return h, sl, nil
}

// noBlankLine reports a header section that the stream ended before its
// empty line; advice says what to do about it.
func (p *parser) noBlankLine(h head, startWhat, advice string) {
	last := fmt.Sprintf("the %s %s", startWhat, quote(h.start.text(p.raw)))
	if n := len(h.fields); n > 0 {
		last = "the header line " + quote(h.fields[n-1].text(p.raw))
	}
	p.fault(NoBlankLine, len(p.raw), `the stream ended after %s without the empty line "\r\n" that ends the header section%s`, last, advice)
}

func headerTooLarge(first []byte) *Error {
	return &Error{Kind: HeaderTooLarge, Offset: MaxHeaderBytes, Detail: fmt.Sprintf(`the header section that begins with %s is longer than %d bytes, the most a client should have to read before the body`, quote(first), MaxHeaderBytes)}
}
