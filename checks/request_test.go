package checks_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

// httpServer answers every request with what answer(conn) sends: a
// Python body that writes to the connection c.
func httpServer(answer string) string {
	return `
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
while True:
    c, _ = s.accept()
    req = b""
    while b"\r\n\r\n" not in req:
        d = c.recv(4096)
        if not d:
            break
        req += d
` + indent(answer, "    ") + `
`
}

func indent(code, pad string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.Trim(code, "\n"), "\n") {
		b.WriteString(pad + l + "\n")
	}
	return b.String()
}

// contentAndForm are two checks of one server: one judges what the
// response says, the other (a request with no expectations) that it is
// well-formed HTTP.
const contentAndForm = `
  - id: content
    title: content
    steps:
      - request: {path: /, expect: {status: 200, body: {contains: [hello]}}}
  - id: form
    title: form
    steps:
      - request: {path: /}
`

var _ = Describe("HTTP requests: each fault is charged to the check that judges it", func() {
	DescribeTable("a response a client can read passes the content check with a notice, and fails the check of HTTP",
		func(answer, fault string) {
			r := grade(httpServer(answer), contentAndForm)
			Expect(statusOf(r)).To(Equal([]result.Status{result.Passed, result.Failed}), r.Checks[0].Message)
			Expect(r.Checks[0].Notices).To(ContainElement(And(ContainSubstring("not valid HTTP"), ContainSubstring(fault))))
			Expect(r.Checks[1].Message).To(ContainSubstring(fault))
		},
		Entry("one byte more than its Content-Length",
			`c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello!"); c.close()`,
			"Content-Length is 5 but 1 more byte followed the body"),
		Entry("every response written twice",
			`c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 2); c.close()`,
			"a second response"),
		Entry("lines ended by a bare LF",
			`c.sendall(b"HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"); c.close()`,
			`bare "\n"`),
	)

	It("fails the content check too when what it judges cannot be read: a body cut short", func() {
		r := grade(httpServer(`c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhello"); c.close()`), contentAndForm)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Failed, result.Failed}))
		Expect(r.Checks[0].Message).To(ContainSubstring("Content-Length is 50 but the stream ended after 5 bytes of body"))
	})

	It("takes any HTTP answer for status: any, as a probe that the server still serves", func() {
		r := grade(httpServer(`c.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!!"); c.close()`), `
  - id: probe
    title: still serving
    steps:
      - request: {path: /, expect: {status: any}}
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}), r.Checks[0].Message)
	})

	It("says what happened to a server that answers nothing at all to the probe", func() {
		r := grade(httpServer(`c.close()`), `
  - id: probe
    title: still serving
    steps:
      - request: {path: /, expect: {status: any}}
`)
		Expect(r.Checks[0].Message).To(Equal("Your server closed the connection without answering GET /."))
	})
})

var _ = Describe("HTTP requests: a response the grader stopped reading is not called ended by the server", func() {
	DescribeTable("the message says how much arrived in the time, or that the cap was reached",
		func(answer, message string) {
			r := grade(httpServer(answer), contentAndForm)
			Expect(statusOf(r)).To(Equal([]result.Status{result.Failed, result.Failed}))
			for _, c := range r.Checks {
				Expect(c.Message).To(MatchRegexp(message))
				Expect(c.Message).NotTo(ContainSubstring("stream ended"))
			}
		},
		Entry("a valid response sent a byte at a time, slowly",
			`for b in b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello":
    c.sendall(bytes([b])); time.sleep(0.4)`,
			`^Only [1-4] bytes? of the response to GET / arrived within 1s, not yet a whole status line`),
		Entry("a Content-Length of 10 GB, still arriving",
			`c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n")
while True:
    c.sendall(b"x" * 65536)`,
			`^More than 1 MiB of the response to GET / arrived, and it had not ended, so the grader stopped reading there \(its Content-Length announces 10000000000 bytes\)`),
		Entry("chunks without end",
			`c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
while True:
    c.sendall(b"1000\r\n" + b"x" * 4096 + b"\r\n")`,
			`^More than 1 MiB of the response to GET / arrived, and it had not ended`),
		Entry("a body shorter than its Content-Length, the connection left open",
			`c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"); time.sleep(5)`,
			`^Only 5 bytes of the 10 bytes of body that the Content-Length of the response to GET / announces arrived within 1s`),
		Entry("headers without their empty line, the connection left open",
			`c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"); time.sleep(5)`,
			`^The header section of the response to GET / had not ended after 1s: the empty line`),
	)

	It("judges the content of a body without Content-Length on a connection left open, and fails its form", func() {
		r := grade(httpServer(`c.sendall(b"HTTP/1.1 200 OK\r\n\r\nhello"); time.sleep(5)`), contentAndForm)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed, result.Failed}))
		Expect(r.Checks[0].Notices).To(ContainElement(ContainSubstring("kept the connection open")))
		Expect(r.Checks[1].Message).To(HavePrefix("The response to GET / has no Content-Length, so its body ends only when the connection closes, but your server kept the connection open: after 1s"))
	})
})
