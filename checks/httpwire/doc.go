// Package httpwire parses HTTP/1.x messages as bytes on the wire and names
// every departure from the protocol that it sees.
//
// It exists to grade students' socket programs. A server written on a raw
// socket goes wrong at the level of bytes: a line ended by "\n" alone, no
// empty line after the headers, a Content-Length that counts characters
// instead of bytes, a chunk size written in decimal, a second response
// written after the first. net/http is of no help there: it tolerates some
// of these silently and turns the rest into one opaque error. This package
// records each one as a [Deviation]: a [Kind] that names it, the byte offset
// where it is seen (so that a report can print the raw bytes with a caret,
// see [Caret]) and a sentence that quotes the offending bytes with %q and
// says what to send instead. For example the response
//
//	"HTTP/1.1 200 OK\nContent-Length: 5\n\nhello!"
//
// parses, with status 200 and body "hello", and two deviations:
//
//	bare-lf at 15: the status line "HTTP/1.1 200 OK" ends with a bare "\n", and so do 2 more lines: ...
//	length-mismatch at 40: Content-Length is 5 but 1 more byte followed the body: "!"; ...
//
// Parsing is tolerant wherever a tolerant client would be: a bare "\n" ends
// a line everywhere, header names match case-insensitively, trailing
// whitespace after a Content-Length is ignored, an HTTP/1.0 response may end
// its body by closing the connection. Every tolerance that departs from the
// RFC 9112 grammar is still reported. Obsolete line folding is not
// supported: an indented header line is reported as [MalformedHeader].
//
// The parser never allocates according to a number it read: a
// Content-Length or chunk size only ever selects bytes that are present in
// the input, and the header section is limited to [MaxHeaderBytes].
package httpwire

import (
	"errors"
	"fmt"
)

// Kind names one deviation from HTTP/1.x. Its value is a stable,
// hyphenated word, fit for a report or a JSON field.
type Kind string

// The kinds of deviation. Each comment gives the kind's meaning; [Deviation]
// and the tests give examples on the wire.
const (
	StatusLineMissing   Kind = "status-line-missing"   // nothing that looks like "HTTP/1.x NNN" begins the response
	StatusLineMalformed Kind = "status-line-malformed" // "HTTP/1.1 OK", "HTTP/1.1 2000 OK", "http/1.1 200 OK"
	BareLF              Kind = "bare-lf"               // a line ended by "\n" instead of "\r\n" (reported once, at the first)
	NoBlankLine         Kind = "no-blank-line"         // the stream ended before the empty line that ends the headers
	MalformedHeader     Kind = "malformed-header"      // a header line without a colon, with space before the colon, ...
	NoContentLength     Kind = "no-content-length"     // neither Content-Length nor chunked: the body ends at close
	LengthMismatch      Kind = "length-mismatch"       // Content-Length disagrees with the bytes that were sent
	Chunked             Kind = "chunked"               // informational: the body was chunked and was decoded
	BadChunk            Kind = "bad-chunk"             // a malformed chunk size line, or no CRLF after a chunk's data
	BodyByClose         Kind = "body-by-close"         // the body was ended by the connection closing
	ExtraBytes          Kind = "extra-bytes"           // bytes after a complete response
	SecondResponse      Kind = "second-response"       // the bytes after a complete response begin with "HTTP/"
	Incomplete          Kind = "incomplete"            // the stream ended (or timed out) in the middle of a message
	HeaderTooLarge      Kind = "header-too-large"      // the header section exceeds MaxHeaderBytes (an *Error only)

	RequestLineMalformed Kind = "request-line-malformed" // "GET /" without version, "get / HTTP/1.1", extra spaces
	MissingHost          Kind = "missing-host"           // an HTTP/1.1 request without a Host header
)

// MaxHeaderBytes bounds the header section (start line, header lines and
// the empty line). A longer one is an [*Error] of kind [HeaderTooLarge]: no
// student's server needs more, and a grader must not buffer without limit.
const MaxHeaderBytes = 64 << 10

// Severity says whether a deviation is a fault or only worth knowing.
type Severity int

const (
	// Fault is a departure from HTTP/1.x that a strict peer may reject or
	// misread. It is the zero value.
	Fault Severity = iota
	// Notice is legal HTTP but worth telling: a chunked body that was
	// decoded, an HTTP/1.0 body ended by closing the connection.
	Notice
)

func (s Severity) String() string {
	if s == Notice {
		return "notice"
	}
	return "fault"
}

// Deviation is one observed departure from the protocol.
//
// Offset is the byte offset into the raw message where the deviation is
// seen: the bad byte, the start of the bad token, or len(raw) when something
// is missing at the end. Detail is a full sentence that quotes the bad bytes
// with %q and says what to send instead:
//
//	{StatusLineMalformed, 9, `the status line "HTTP/1.1 OK" has no status code: write "HTTP/1.1 200 OK"`}
type Deviation struct {
	Kind     Kind
	Offset   int
	Detail   string
	Severity Severity
}

func (d Deviation) String() string {
	return fmt.Sprintf("%s at %d: %s", d.Kind, d.Offset, d.Detail)
}

// ErrNeedMore is returned when the bytes so far are a valid beginning of a
// message that is not complete yet, and the stream has not ended: read more
// and parse again.
var ErrNeedMore = errors.New("httpwire: need more bytes")

// Error is returned when no message can be made of the bytes: no status
// line, a status line without a status code, a header section too large.
// It is kept apart from deviations so that a caller can tell a malformed
// response from a well-formed one with the wrong content.
type Error struct {
	Kind   Kind
	Offset int
	Detail string
}

func (e *Error) Error() string {
	return fmt.Sprintf("httpwire: %s at byte %d: %s", e.Kind, e.Offset, e.Detail)
}

// Kinds lists every kind, for validating an exercise's tolerance list.
func Kinds() []Kind {
	return []Kind{StatusLineMissing, StatusLineMalformed, BareLF, NoBlankLine, MalformedHeader,
		NoContentLength, LengthMismatch, Chunked, BadChunk, BodyByClose, ExtraBytes, SecondResponse,
		Incomplete, HeaderTooLarge, RequestLineMalformed, MissingHost}
}
