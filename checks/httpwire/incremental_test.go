package httpwire_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

var _ = DescribeTable("ParseResponse asks for more bytes until the response is complete",
	func(raw []byte, method string) {
		for n := range len(raw) {
			_, err := httpwire.ParseResponse(raw[:n], method, false)
			Expect(err).To(MatchError(httpwire.ErrNeedMore), "after %d bytes %q", n, raw[:n])
		}
		r, err := httpwire.ParseResponse(raw, method, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.End).To(Equal(len(raw)))
		Expect(r.Faults()).To(BeEmpty())
	},
	Entry("A body framed by Content-Length is complete after its last byte.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), "GET"),
	Entry(`A chunked body is complete after the empty line that follows "0\r\n".`,
		response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nc\r\nhello, world\r\n0\r\n\r\n"), "GET"),
	Entry("A 204 response is complete after its empty line.",
		response("HTTP/1.1 204 No Content\r\nServer: toy\r\n\r\n"), "GET"),
	Entry("A response to HEAD is complete after its empty line.",
		response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), "HEAD"),
)

var _ = Describe("ParseResponse before the stream has ended", func() {
	It("waits for the close when the body is framed by it.", func() {
		_, err := httpwire.ParseResponse([]byte("HTTP/1.0 200 OK\r\n\r\nhello"), "GET", false)
		Expect(err).To(MatchError(httpwire.ErrNeedMore))
	})
	It("gives up at once on bytes that cannot begin a status line.", func() {
		_, err := httpwire.ParseResponse([]byte("<ht"), "GET", false)
		var e *httpwire.Error
		Expect(err).To(BeAssignableToTypeOf(e))
		Expect(err.(*httpwire.Error).Kind).To(Equal(httpwire.StatusLineMissing))
	})
	It("reports a bad chunk without waiting for the rest.", func() {
		r, err := httpwire.ParseResponse([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n"), "GET", false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Has(httpwire.BadChunk)).To(BeTrue())
	})
	It("does not look past the end of a complete response.", func() {
		r, err := httpwire.ParseResponse([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1"), "GET", false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Deviations).To(BeEmpty())
		Expect(r.End).To(Equal(40))
	})
})
