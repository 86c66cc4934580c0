package httpwire_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

var _ = DescribeTable("ParseRequest names the deviations of a request typed by hand",
	func(raw []byte, want []httpwire.Deviation) {
		r, err := httpwire.ParseRequest(raw, true)
		Expect(err).NotTo(HaveOccurred())
		expectDeviations(r.Deviations, want)
	},
	Entry(`Lines typed into nc end with a bare "\n", reported once with a hint for nc.`,
		request("GET / HTTP/1.1\nHost: localhost\n\n"),
		[]httpwire.Deviation{
			fault(httpwire.BareLF, 14, `the request line "GET / HTTP/1.1" ends with a bare "\n", and so do 2 more lines: HTTP/1.x ends every line with "\r\n" (with nc, use "nc -C" to send "\r\n")`),
		}),
	Entry("A request line without a version, as in HTTP/0.9, is reported where the version belongs.",
		request("GET /\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 5, `the request line "GET /" has no HTTP version: write "GET / HTTP/1.1"`),
		}),
	Entry("A known method in lower case is reported: methods are case-sensitive.",
		request("get / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 0, `the method "get" is case-sensitive: write "GET"`),
		}),
	Entry("An unknown method in lower case is reported too.",
		request("fetch / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 0, `the method "fetch" is not a known method: methods are case-sensitive, and the standard ones are upper case, as in "GET"`),
		}),
	Entry("Two spaces between method and target are reported.",
		request("GET  / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 3, `the request line "GET  / HTTP/1.1" separates the method from the target with "  ": use one space, "GET / HTTP/1.1"`),
		}),
	Entry("Whitespace after the version is reported.",
		request("GET / HTTP/1.1 \r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 14, `the request line "GET / HTTP/1.1 " ends with whitespace: write "GET / HTTP/1.1"`),
		}),
	Entry("Whitespace before the method is reported.",
		request(" GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 0, `the request line " GET / HTTP/1.1" begins with whitespace: write "GET / HTTP/1.1"`),
		}),
	Entry("A space inside the target is reported, and the target kept as sent.",
		request("GET /my file.html HTTP/1.1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 7, `the target "/my file.html" contains whitespace, which ends a target: write it as "/my%20file.html"`),
		}),
	Entry(`A target that does not begin with "/" is reported.`,
		request("GET index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 4, `the target "index.html" does not begin with "/": write "GET /index.html HTTP/1.1"`),
		}),
	Entry("A version in lower case is reported.",
		request("GET / http/1.1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 6, `the request line "GET / http/1.1" spells the version "http/1.1": the name "HTTP" is case-sensitive, write "GET / HTTP/1.1"`),
		}),
	Entry("A version without its minor number is reported.",
		request("GET / HTTP/1\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 6, `the request line "GET / HTTP/1" ends with "HTTP/1", which is not an HTTP version: write "GET / HTTP/1.1"`),
		}),
	Entry("A version other than 1.x is reported.",
		request("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.RequestLineMalformed, 6, `the request line "GET / HTTP/2.0" claims the version "HTTP/2.0", which is not HTTP/1.x: write "GET / HTTP/1.1"`),
		}),
	Entry("A request not ended by an empty line is reported where the empty line belongs.",
		request("GET / HTTP/1.1\r\nHost: localhost\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.NoBlankLine, 33, `the stream ended after the header line "Host: localhost" without the empty line "\r\n" that ends the header section: send it (press Enter on an empty line)`),
		}),
	Entry("A request line alone lacks both the Host header and the empty line.",
		request("GET / HTTP/1.1\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.MissingHost, 16, `the HTTP/1.1 request has no Host header: add a line such as "Host: localhost" before the empty line`),
			fault(httpwire.NoBlankLine, 16, `the stream ended after the request line "GET / HTTP/1.1" without the empty line "\r\n" that ends the header section: send it (press Enter on an empty line)`),
		}),
	Entry("A Host line without a colon is malformed, so the Host is missing.",
		request("GET / HTTP/1.1\r\nHost localhost\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 16, `the header line "Host localhost" has no colon: a header is written "Name: value", and the body begins only after an empty line "\r\n"`),
			fault(httpwire.MissingHost, 32, `the HTTP/1.1 request has no Host header: add a line such as "Host: localhost" before the empty line`),
		}),
	Entry("A second Host header is reported.",
		request("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.MalformedHeader, 25, `the header line "Host: b" is a second Host header: send Host once`),
		}),
	Entry("An HTTP/1.1 request without Host is reported at the empty line.",
		request("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.MissingHost, 29, `the HTTP/1.1 request has no Host header: add a line such as "Host: localhost" before the empty line`),
		}),
	Entry("A body shorter than its Content-Length is reported at the end of the stream.",
		request("POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n\r\nname=jane"),
		[]httpwire.Deviation{
			fault(httpwire.LengthMismatch, 69, `Content-Length is 20 but the stream ended after 9 bytes of body: send the whole body, or set Content-Length to the number of bytes sent`),
		}),
	Entry("A chunked body without its last chunk is incomplete.",
		request("POST /form HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nname\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.Incomplete, 77, `the stream ended before the last chunk "0\r\n\r\n" of the chunked body: end a chunked body with a chunk of size 0 and an empty line`),
		}),
	Entry("A chunk longer than its size is a bad chunk.",
		request("POST /form HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nname=jane\r\n0\r\n\r\n"),
		[]httpwire.Deviation{
			fault(httpwire.BadChunk, 75, `the chunk of 4 bytes announced by "4" is followed by "=jane\r\n0\r\n\r\n" instead of "\r\n": a chunk's data must be exactly as long as its size says; if its data is "name=jane", write the size "9"`),
		}),
)
