package httpwire_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

var _ = DescribeTable("ParseResponse reads well-formed responses without faults",
	func(raw []byte, method string, status int, framing, body string) {
		r, err := httpwire.ParseResponse(raw, method, true)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Faults()).To(BeEmpty())
		Expect(r.Status).To(Equal(status))
		Expect(r.Framing).To(Equal(framing))
		Expect(string(r.Body)).To(Equal(body))
		Expect(r.End).To(Equal(len(raw)))
	},
	Entry("A response with CRLF line ends and a Content-Length is read exactly.",
		response("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"), "GET",
		200, httpwire.FramingContentLength, "hello"),
	Entry("An HTTP/1.0 response may end its body by closing the connection.",
		response("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\n"), "GET",
		200, httpwire.FramingClose, "<p>hi</p>\n"),
	Entry("A chunked body of several chunks, one with an extension, is decoded.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n1\r\n!\r\n0\r\n\r\n"), "GET",
		200, httpwire.FramingChunked, "hello, world!"),
	Entry("Trailer lines after the last chunk are read and skipped.",
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"), "GET",
		200, httpwire.FramingChunked, "hello"),
	Entry("A 204 response has no body and needs no Content-Length.",
		response("HTTP/1.1 204 No Content\r\n\r\n"), "GET",
		204, httpwire.FramingNone, ""),
	Entry("A 304 response has no body, even with the Content-Length of the resource.",
		response("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n"), "GET",
		304, httpwire.FramingNone, ""),
	Entry("A response to HEAD has no body, even with a Content-Length.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), "HEAD",
		200, httpwire.FramingNone, ""),
	Entry("Header names are matched in any case.",
		response("HTTP/1.1 200 OK\r\ncontent-LENGTH: 2\r\n\r\nhi"), "GET",
		200, httpwire.FramingContentLength, "hi"),
	Entry("Whitespace after a Content-Length is ignored.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 2  \r\n\r\nhi"), "GET",
		200, httpwire.FramingContentLength, "hi"),
	Entry("A status line without a reason phrase is accepted.",
		response("HTTP/1.1 204\r\n\r\n"), "GET",
		204, httpwire.FramingNone, ""),
)

var _ = Describe("A parsed Response", func() {
	raw := []byte("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\ngone")
	var r *httpwire.Response
	var err error
	BeforeEach(func() { r, err = httpwire.ParseResponse(raw, "GET", true) })

	It("has the parts of the status line, the headers as sent and the offsets of the body.", func() {
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Proto).To(Equal("HTTP/1.1"))
		Expect([]int{r.Major, r.Minor, r.Status}).To(Equal([]int{1, 1, 404}))
		Expect(r.Reason).To(Equal("Not Found"))
		Expect(r.Headers).To(Equal([]httpwire.Header{{Name: "Content-Type", Value: "text/plain"}, {Name: "Content-Length", Value: "4"}}))
		Expect(r.HeaderEnd).To(Equal(len(raw) - 4))
	})
	It("looks headers up by name in any case.", func() {
		v, ok := r.Get("content-type")
		Expect(ok).To(BeTrue())
		Expect(v).To(Equal("text/plain"))
		_, ok = r.Get("Location")
		Expect(ok).To(BeFalse())
	})
	It("tells which kinds of deviation it has.", func() {
		Expect(r.Has(httpwire.BareLF)).To(BeFalse())
	})
})

var _ = Describe("An *Error", func() {
	It("says what it is, where, and what to do.", func() {
		_, err := httpwire.ParseResponse([]byte("HTTP/1.1 OK\r\n\r\n"), "GET", true)
		Expect(err).To(MatchError(`httpwire: status-line-malformed at byte 9: the status line "HTTP/1.1 OK" has no status code: write "HTTP/1.1 200 OK"`))
	})
})

var _ = DescribeTable("ParseResponse returns an *Error when no response can be made of the bytes",
	func(raw []byte, want *httpwire.Error) {
		r, err := httpwire.ParseResponse(raw, "GET", true)
		Expect(r).To(BeNil())
		expectError(err, want)
	},
	Entry("A stream that ends before any byte has no status line.",
		response(""),
		&httpwire.Error{Kind: httpwire.StatusLineMissing, Offset: 0, Detail: `the stream ended before any byte was received: the server sent no response`}),
	Entry("A body sent without a status line has no status line.",
		response("<html><body>hello</body></html>"),
		&httpwire.Error{Kind: httpwire.StatusLineMissing, Offset: 0, Detail: `the response begins with "<html><body>hello</body></html>" instead of a status line such as "HTTP/1.1 200 OK": send the status line first, then the headers, an empty line and the body`}),
	Entry("A long first line is quoted only in part.",
		response("<html><head><title>Welcome</title></head><body><h1>Welcome!</h1></body></html>"),
		&httpwire.Error{Kind: httpwire.StatusLineMissing, Offset: 0, Detail: `the response begins with "<html><head><title>Welcome</title></head><body><h1>Welcome!<"... instead of a status line such as "HTTP/1.1 200 OK": send the status line first, then the headers, an empty line and the body`}),
	Entry("Headers sent without a status line have no status line.",
		response("Content-Type: text/html\r\n\r\nhi"),
		&httpwire.Error{Kind: httpwire.StatusLineMissing, Offset: 0, Detail: `the response begins with "Content-Type: text/html" instead of a status line such as "HTTP/1.1 200 OK": send the status line first, then the headers, an empty line and the body`}),
	Entry("An empty line before the status line is not skipped.",
		response("\r\nHTTP/1.1 200 OK\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.StatusLineMissing, Offset: 0, Detail: `the response begins with an empty line instead of a status line such as "HTTP/1.1 200 OK": send the status line first`}),
	Entry("A status line without a code is malformed, and a known reason suggests the code.",
		response("HTTP/1.1 Not Found\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.StatusLineMalformed, Offset: 9, Detail: `the status line "HTTP/1.1 Not Found" has no status code: write "HTTP/1.1 404 Not Found"`}),
	Entry("A status line without a code or a known reason is malformed.",
		response("HTTP/1.1 Hello\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.StatusLineMalformed, Offset: 9, Detail: `the status line "HTTP/1.1 Hello" has no status code: write a three-digit code after the version, as in "HTTP/1.1 200 OK"`}),
	Entry("A version alone is a status line without a code.",
		response("HTTP/1.1\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.StatusLineMalformed, Offset: 8, Detail: `the status line "HTTP/1.1" has no status code: write a three-digit code after the version, as in "HTTP/1.1 200 OK"`}),
	Entry("A status code of four digits is malformed.",
		response("HTTP/1.1 2000 OK\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.StatusLineMalformed, Offset: 9, Detail: `the status code "2000" in the status line "HTTP/1.1 2000 OK" is not three digits: write a code such as "200"`}),
	Entry("A status code outside 100 to 599 is malformed.",
		response("HTTP/1.1 700 Odd\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.StatusLineMalformed, Offset: 9, Detail: `the status code "700" in the status line "HTTP/1.1 700 Odd" is not between 100 and 599`}),
	Entry("A version without its slash is malformed.",
		response("HTTP1.1 200 OK\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.StatusLineMalformed, Offset: 0, Detail: `the status line "HTTP1.1 200 OK" begins with "HTTP1.1", which is not an HTTP version: write "HTTP/1.1", as in "HTTP/1.1 200 OK"`}),
	Entry("A stream that ends inside the status line is incomplete.",
		response("HTTP/1.1 2"),
		&httpwire.Error{Kind: httpwire.Incomplete, Offset: 10, Detail: `the stream ended after "HTTP/1.1 2", in the middle of the status line`}),
	Entry("A header section longer than MaxHeaderBytes is refused.",
		[]byte("HTTP/1.1 200 OK\r\nX-Long: "+strings.Repeat("a", httpwire.MaxHeaderBytes)+"\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.HeaderTooLarge, Offset: httpwire.MaxHeaderBytes, Detail: `the header section that begins with "HTTP/1.1 200 OK" is longer than 65536 bytes, the most a client should have to read before the body`}),
)
