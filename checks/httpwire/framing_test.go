package httpwire_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

var _ = DescribeTable("ParseResponse names the deviations of the body and what follows it",
	deviationsOf,
	Entry("An HTTP/1.1 body without Content-Length or chunking is read to the close, and that is a fault.",
		response("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.NoContentLength, 43, `the response has neither Content-Length nor "Transfer-Encoding: chunked", so the client must read until the connection closes and cannot tell a complete body from a cut one: add "Content-Length: 5" before the empty line`),
			notice(httpwire.BodyByClose, 50, `the body of 5 bytes ends where the stream ended: its end is known only from the connection closing`),
		}),
	Entry("An HTTP/1.0 body without Content-Length is read to the close, and that is only a notice.",
		response("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello"), "GET",
		[]httpwire.Deviation{
			notice(httpwire.NoContentLength, 43, `the HTTP/1.0 response has no Content-Length, so its body ends only when the connection closes: HTTP/1.0 allows this, but "Content-Length: 5" would let the client tell a complete body from a cut one`),
			notice(httpwire.BodyByClose, 50, `the body of 5 bytes ends where the stream ended: its end is known only from the connection closing`),
		}),
	Entry("A stream that ends short of the Content-Length is reported at its end.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.LengthMismatch, 44, `Content-Length is 10 but the stream ended after 5 bytes of body: send the whole body, or set Content-Length to the number of bytes sent`),
		}),
	Entry("A Content-Length that counts characters instead of bytes is reported at the first byte past it.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nh\xc3\xa9llo"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.LengthMismatch, 43, `Content-Length is 5 but 1 more byte followed the body: "o"; for a body of all 6 bytes, send "Content-Length: 6" (count bytes, not characters)`),
		}),
	Entry(`A "\r\n" after a body framed by Content-Length is a length mismatch, not a line end.`,
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.LengthMismatch, 43, `Content-Length is 5 but 2 more bytes followed the body: "\r\n"; for a body of all 7 bytes, send "Content-Length: 7"`),
		}),
	Entry("A chunked body is decoded, and that is a notice.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n1\r\n!\r\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			notice(httpwire.Chunked, 47, `the body was sent with "Transfer-Encoding: chunked", in 3 chunks (13 bytes), and was decoded`),
		}),
	Entry("A chunk size written in decimal is recognized as such.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n12\r\nhello, world\r\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.BadChunk, 47, `the chunk size "12" is hexadecimal, so it announces 18 bytes, but the chunk has 12: write the size in hexadecimal, "c"`),
		}),
	Entry("A chunk size line that is not hexadecimal is reported at its start.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfive\r\nhello\r\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.BadChunk, 47, `the chunk size line "five" does not begin with a size in hexadecimal: each chunk begins with its size, as in "1a\r\n" for 26 bytes`),
		}),
	Entry(`A chunk shorter than its size is reported where "\r\n" was expected.`,
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello world\r\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.BadChunk, 55, `the chunk of 5 bytes announced by "5" is followed by " world\r\n0\r\n\r\n" instead of "\r\n": a chunk's data must be exactly as long as its size says; if its data is "hello world", write the size "b"`),
		}),
	Entry(`A size one too large, that swallows the "\r", is not mistaken for a bare line end.`,
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\r\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.BadChunk, 56, `the chunk of 6 bytes announced by "6" is followed by "\n0\r\n\r\n" instead of "\r\n": a chunk's data must be exactly as long as its size says; if its data is "hello", write the size "5"`),
		}),
	Entry("An empty line where a chunk size belongs is reported.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n\r\n0\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.BadChunk, 57, `an empty line stands where a chunk size was expected: each chunk begins with its size in hexadecimal, as in "1a\r\n" for 26 bytes`),
		}),
	Entry("A chunked body without its last chunk is incomplete.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.Incomplete, 57, `the stream ended before the last chunk "0\r\n\r\n" of the chunked body: end a chunked body with a chunk of size 0 and an empty line`),
		}),
	Entry("A stream that ends inside a chunk is incomplete.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nhello"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.Incomplete, 55, `the stream ended 5 bytes into a chunk of 10 bytes`),
		}),
	Entry(`A last chunk "0\r\n" without the empty line after it is incomplete.`,
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.Incomplete, 60, `the last chunk "0\r\n" is not followed by the empty line "\r\n" that ends a chunked body`),
		}),
	Entry("A body after a 204 response is extra bytes.",
		response("HTTP/1.1 204 No Content\r\n\r\nhello"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.ExtraBytes, 27, `a 204 response has no body, yet 5 bytes followed it: "hello"; send no body with status 204`),
		}),
	Entry("A body after the response to HEAD is extra bytes, whatever the Content-Length.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), "HEAD",
		[]httpwire.Deviation{
			fault(httpwire.ExtraBytes, 38, `the response to HEAD has no body, yet 5 bytes followed it: "hello"; answer HEAD with the status line and headers only`),
		}),
	Entry("Bytes after the end of a chunked body are extra bytes.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n\r\n"), "GET",
		[]httpwire.Deviation{
			notice(httpwire.Chunked, 47, `the body was sent with "Transfer-Encoding: chunked", in 1 chunk (5 bytes), and was decoded`),
			fault(httpwire.ExtraBytes, 62, `2 bytes followed the end of the chunked body: "\r\n"; all of the body belongs inside the chunks`),
		}),
	Entry(`Bytes after a complete response that begin with "HTTP/" are a second response.`,
		response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"), "GET",
		[]httpwire.Deviation{
			fault(httpwire.SecondResponse, 40, `a second response "HTTP/1.1 200 OK" follows the first at byte 40: send exactly one response per request`),
		}),
)

var _ = DescribeTable("ParseResponse says whether the response arrived whole, whatever followed it",
	func(raw string, complete bool) {
		r, err := httpwire.ParseResponse([]byte(raw), "GET", true)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Complete).To(Equal(complete))
	},
	Entry("a body of its Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", true),
	Entry("one byte more than its Content-Length: a client reads the first five", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello!", true),
	Entry("the same response twice: a client reads the first", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", true),
	Entry("a body ended by the end of the stream", "HTTP/1.0 200 OK\r\n\r\nhello", true),
	Entry("lines ended by a bare LF", "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello", true),
	Entry("a body shorter than its Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", false),
	Entry("no empty line after the headers", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", false),
	Entry("a chunked body without its last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", false),
	Entry("a malformed chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfive\r\nhello\r\n0\r\n\r\n", false),
)
