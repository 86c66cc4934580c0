package httpwire_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

var _ = DescribeTable("ParseRequest reads well-formed requests without faults",
	func(raw []byte, method, target, proto, body string) {
		r, err := httpwire.ParseRequest(raw, true)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Faults()).To(BeEmpty())
		Expect([]string{r.Method, r.Target, r.Proto, string(r.Body)}).To(Equal([]string{method, target, proto, body}))
		Expect(r.End).To(Equal(len(raw)))
		for n := range len(raw) {
			_, err := httpwire.ParseRequest(raw[:n], false)
			Expect(err).To(MatchError(httpwire.ErrNeedMore), "after %d bytes %q", n, raw[:n])
		}
	},
	Entry("A GET with a Host header is a whole request.",
		request("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), "GET", "/", "HTTP/1.1", ""),
	Entry("An HTTP/1.0 request needs no Host header.",
		request("GET /index.html HTTP/1.0\r\n\r\n"), "GET", "/index.html", "HTTP/1.0", ""),
	Entry("An empty line before the request line is skipped.",
		request("\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), "GET", "/", "HTTP/1.1", ""),
	Entry("A body is read by its Content-Length.",
		request("POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9\r\n\r\nname=jane"), "POST", "/form", "HTTP/1.1", "name=jane"),
	Entry("A chunked body is decoded.",
		request("POST /form HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nname\r\n5\r\n=jane\r\n0\r\n\r\n"), "POST", "/form", "HTTP/1.1", "name=jane"),
)

var _ = DescribeTable("ParseRequest returns an *Error when no request can be made of the bytes",
	func(raw []byte, want *httpwire.Error) {
		r, err := httpwire.ParseRequest(raw, true)
		if want.Kind == httpwire.RequestLineMalformed {
			Expect(r).NotTo(BeNil(), "what follows a malformed request line is still read")
		} else {
			Expect(r).To(BeNil())
		}
		expectError(err, want)
	},
	Entry("A byte order mark before the request line (a file saved as UTF-8 with BOM) is named as such.",
		request("\xef\xbb\xbfGET / HTTP/1.1\r\nHost: www.google.com\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.RequestLineMalformed, Offset: 0, Detail: `the request line begins with the bytes "\xef\xbb\xbf", a byte order mark that an editor adds when it saves a file as "UTF-8 with BOM": nothing may come before the method; save the file as plain UTF-8`}),
	Entry("A request line without a target is malformed.",
		request("GET HTTP/1.1\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.RequestLineMalformed, Offset: 3, Detail: `the request line "GET HTTP/1.1" has no target: write "GET / HTTP/1.1"`}),
	Entry("A method alone is a request line without a target.",
		request("GET\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.RequestLineMalformed, Offset: 3, Detail: `the request line "GET" has no target: write "GET / HTTP/1.1"`}),
	Entry("A word that is not a method is not a request line.",
		request("hello\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.RequestLineMalformed, Offset: 0, Detail: `the request line "hello" is not a method, a target and a version: write a request line such as "GET / HTTP/1.1"`}),
	Entry("A line of spaces is not a request line.",
		request("   \r\n\r\n"),
		&httpwire.Error{Kind: httpwire.RequestLineMalformed, Offset: 0, Detail: `the request line "   " is blank: write a request line such as "GET / HTTP/1.1"`}),
	Entry("A method with a character that no token has is malformed, at that character.",
		request("G(T / HTTP/1.1\r\n\r\n"),
		&httpwire.Error{Kind: httpwire.RequestLineMalformed, Offset: 1, Detail: `the request line "G(T / HTTP/1.1" does not begin with a method such as "GET": a method cannot contain "("`}),
	Entry("A stream that ends inside the request line is incomplete.",
		request("GET"),
		&httpwire.Error{Kind: httpwire.Incomplete, Offset: 3, Detail: `the stream ended after "GET", in the middle of the request line`}),
	Entry("A stream that ends before any request line is incomplete.",
		request(""),
		&httpwire.Error{Kind: httpwire.Incomplete, Offset: 0, Detail: `the stream ended before a request line was received`}),
)

var _ = Describe("A request whose first line is malformed", func() {
	It("still has its headers and their faults, so the first line's fault hides nothing else", func() {
		r, err := httpwire.ParseRequest([]byte("\xef\xbb\xbfGET / HTTP/1.1\r\nHost: www.google.com\r\nAccept text/html\r\n\r\n"), true)
		Expect(err).To(HaveOccurred())
		v, ok := r.Get("host")
		Expect(ok).To(BeTrue())
		Expect(v).To(Equal("www.google.com"))
		Expect(r.Has(httpwire.MalformedHeader)).To(BeTrue())
		Expect(r.Has(httpwire.NoBlankLine)).To(BeFalse())
	})
})

var _ = Describe("A parsed Request", func() {
	It("keeps a lower-case method as sent, and looks headers up in any case.", func() {
		r, err := httpwire.ParseRequest([]byte("get /a HTTP/1.1\r\nhost: example.com\r\n\r\n"), true)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Method).To(Equal("get"))
		v, ok := r.Get("Host")
		Expect(ok).To(BeTrue())
		Expect(v).To(Equal("example.com"))
		Expect(r.Has(httpwire.RequestLineMalformed)).To(BeTrue())
		Expect(r.Has(httpwire.MissingHost)).To(BeFalse())
	})
	It("leaves the bytes after End, a pipelined request, to the caller.", func() {
		raw := []byte("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
		r, err := httpwire.ParseRequest(raw, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.End).To(Equal(len(raw) / 2))
		r, err = httpwire.ParseRequest(raw[r.End:], true)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Target).To(Equal("/b"))
	})
})

var _ = Describe("A misspelt HTTP version", func() {
	It("is reported as a version, not read as part of the target", func() {
		req, err := httpwire.ParseRequest([]byte("GET / HTTP1.1\r\nHost: www.google.com\r\n\r\n"), true)
		Expect(err).NotTo(HaveOccurred())
		Expect(req.Target).To(Equal("/"))
		Expect(req.Deviations).To(HaveLen(1))
		Expect(req.Deviations[0].Kind).To(Equal(httpwire.RequestLineMalformed))
		Expect(req.Deviations[0].Offset).To(Equal(6))
		Expect(req.Deviations[0].Detail).To(Equal(`the request line "GET / HTTP1.1" ends with "HTTP1.1", which is not an HTTP version: write "GET / HTTP/1.1"`))
	})
})
