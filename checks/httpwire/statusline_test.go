package httpwire_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

// deviationsOf parses a complete response and checks its deviations.
func deviationsOf(raw []byte, method string, want []httpwire.Deviation) {
	r, err := httpwire.ParseResponse(raw, method, true)
	Expect(err).NotTo(HaveOccurred())
	expectDeviations(r.Deviations, want)
}

var _ = DescribeTable("ParseResponse names the deviations of the status line and the headers",
	deviationsOf,
	Entry(`Lines ended by a bare "\n" are read, and reported once, at the first.`,
		response("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.BareLF, 15, `the status line "HTTP/1.1 200 OK" ends with a bare "\n", and so do 2 more lines: HTTP/1.x ends every line with "\r\n"`),
		}),
	Entry(`An empty line of a bare "\n" is reported as such when it is the first.`,
		response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.BareLF, 36, `the empty line after the headers ends with a bare "\n": HTTP/1.x ends every line with "\r\n"`),
		}),
	Entry(`A chunk's data ended by a bare "\n" counts as a bare line end.`,
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			notice(httpwire.Chunked, 47, `the body was sent with "Transfer-Encoding: chunked", in 1 chunk (5 bytes), and was decoded`),
			fault(httpwire.BareLF, 55, `the chunk "hello" ends with a bare "\n": HTTP/1.x ends every line with "\r\n"`),
		}),
	Entry(`The name "HTTP" in lower case is read, and reported: it is case-sensitive.`,
		response("http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.StatusLineMalformed, 0, `the status line "http/1.1 200 OK" spells the version "http/1.1": the name "HTTP" is case-sensitive, write "HTTP/1.1 200 OK"`),
		}),
	Entry("Each separator other than one space is reported where it stands.",
		response("HTTP/1.1  200\tOK\r\nContent-Length: 0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.StatusLineMalformed, 8, `the status line "HTTP/1.1  200\tOK" separates the version from the status code with "  ": use one space, "HTTP/1.1 200 OK"`),
			fault(httpwire.StatusLineMalformed, 13, `the status line "HTTP/1.1  200\tOK" separates the status code from the reason with "\t": use one space, "HTTP/1.1 200 OK"`),
		}),
	Entry(`A bare "\r" after the reason is not a line end: it is reported in the status line.`,
		response("HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.StatusLineMalformed, 15, `the reason of the status line "HTTP/1.1 200 OK\rContent-Length: 0" contains a bare "\r", which does not end a line: end every line with "\r\n"`),
			fault(httpwire.NoContentLength, 35, `the response has neither Content-Length nor "Transfer-Encoding: chunked", so the client must read until the connection closes and cannot tell a complete body from a cut one: add "Content-Length: 0" before the empty line`),
			notice(httpwire.BodyByClose, 37, `the body of 0 bytes ends where the stream ended: its end is known only from the connection closing`),
		}),
	Entry("A reason glued to the status code is read apart from it.",
		response("HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.StatusLineMalformed, 12, `the status line "HTTP/1.1 200OK" has no space between the status code and the reason: write "HTTP/1.1 200 OK"`),
		}),
	Entry("A version other than 1.x is read, and reported.",
		response("HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.StatusLineMalformed, 0, `the status line "HTTP/2.0 200 OK" claims the version "HTTP/2.0", which is not HTTP/1.x: write "HTTP/1.1 200 OK"`),
		}),
	Entry("Whitespace before the status line is reported.",
		response(" HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.StatusLineMalformed, 0, `the status line " HTTP/1.1 200 OK" begins with whitespace: write "HTTP/1.1 200 OK"`),
		}),
	Entry("A stream that ends before the empty line after the headers is reported where the empty line should be.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.NoBlankLine, 36, `the stream ended after the header line "Content-Length: 5" without the empty line "\r\n" that ends the header section: send it, and then the body`),
		}),
	Entry("A status line alone, not even ended, is a response without its empty line.",
		response("HTTP/1.1 200 OK"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.NoBlankLine, 15, `the stream ended after the status line "HTTP/1.1 200 OK" without the empty line "\r\n" that ends the header section: send it, and then the body`),
		}),
	Entry("A header line without a colon is reported and skipped.",
		response("HTTP/1.1 200 OK\r\nContent-Type text/html\r\nContent-Length: 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 17, `the header line "Content-Type text/html" has no colon: a header is written "Name: value", and the body begins only after an empty line "\r\n"`),
		}),
	Entry("Whitespace before the colon is reported, and the header is kept.",
		response("HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 31, `the header line "Content-Length : 2" has whitespace before the colon: write "Content-Length: 2"`),
		}),
	Entry("An indented header line is not folded into the one before: it is reported and skipped, and here the body falls back to ending at close.",
		response("HTTP/1.1 200 OK\r\n    Content-Length: 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 17, `the header line "    Content-Length: 2" begins with whitespace: a header line starts with its name, "Name: value" (an indented line would continue the previous header, an obsolete form)`),
			fault(httpwire.NoContentLength, 40, `the response has neither Content-Length nor "Transfer-Encoding: chunked", so the client must read until the connection closes and cannot tell a complete body from a cut one: add "Content-Length: 2" before the empty line`),
			notice(httpwire.BodyByClose, 44, `the body of 2 bytes ends where the stream ended: its end is known only from the connection closing`),
		}),
	Entry("A space inside a header name is reported at the space.",
		response("HTTP/1.1 200 OK\r\nContent Type: text/html\r\nContent-Length: 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 24, `the header name "Content Type" contains " ", which a header name cannot contain: a name is letters, digits and "-", as in "Content-Type"`),
		}),
	Entry("A header line with nothing before the colon is reported and skipped.",
		response("HTTP/1.1 200 OK\r\n: text/html\r\nContent-Length: 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 17, `the header line ": text/html" has no name before the colon: write "Name: value"`),
		}),
	Entry("A control character in a header value is reported at the character.",
		response("HTTP/1.1 200 OK\r\nContent-Type: text/html\x00\r\nContent-Length: 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 40, `the value of the header line "Content-Type: text/html\x00" contains the control character "\x00": it must be text on one line`),
		}),
	Entry(`A bare "\r" is not a line end: in a header value it is reported, and the value kept whole.`,
		response("HTTP/1.1 200 OK\r\nContent-Type: text/html\rContent-Length: 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 40, `the value of the header line "Content-Type: text/html\rContent-Length: 2" contains a bare "\r", which does not end a line: end every line with "\r\n"`),
			fault(httpwire.NoContentLength, 60, `the response has neither Content-Length nor "Transfer-Encoding: chunked", so the client must read until the connection closes and cannot tell a complete body from a cut one: add "Content-Length: 2" before the empty line`),
			notice(httpwire.BodyByClose, 64, `the body of 2 bytes ends where the stream ended: its end is known only from the connection closing`),
		}),
	Entry("A Content-Length that is not a number is reported and ignored.",
		response("HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 33, `the Content-Length "two" is not a number of bytes: write digits only, as in "Content-Length: 42"`),
			notice(httpwire.BodyByClose, 42, `the body of 2 bytes ends where the stream ended: its end is known only from the connection closing`),
		}),
	Entry("A second Content-Length that contradicts the first is reported, and the first holds.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 36, `a second Content-Length "3" contradicts the first, "2": send Content-Length once`),
		}),
	Entry("A Content-Length sent with Transfer-Encoding is reported, and chunked wins.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 17, `the header line "Content-Length: 5" is sent together with Transfer-Encoding, which overrides it: send one or the other`),
			notice(httpwire.Chunked, 66, `the body was sent with "Transfer-Encoding: chunked", in 1 chunk (2 bytes), and was decoded`),
		}),
	Entry(`A Transfer-Encoding that does not end with "chunked" leaves the body to end at close.`,
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 36, `the Transfer-Encoding "gzip" does not end with "chunked", so the body can only end when the connection closes: send "Transfer-Encoding: chunked" or a Content-Length`),
			notice(httpwire.BodyByClose, 46, `the body of 2 bytes ends where the stream ended: its end is known only from the connection closing`),
		}),
)
