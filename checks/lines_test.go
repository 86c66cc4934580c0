package checks_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

// replyServer greets with a two-line 220 reply, then answers each line
// with the reply its table gives (LF alone, as a sloppy server would).
const replyServer = `
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
c.sendall(b"220-first line\r\n220 ready\r\n")
f = c.makefile("rb")
for line in f:
    verb = line.split()[0].upper() if line.split() else b""
    c.sendall({b"HELO": b"250 hi\n", b"EHLO": b"250-hi\n250-SIZE 100\n250 HELP\n", b"QUIT": b"221 bye\n"}.get(verb, b"hello there\n"))
    if verb == b"QUIT":
        break
`

var _ = Describe("Numbered replies (expect: {code: ...})", func() {
	DescribeTable("read a reply to its last line and judge its code",
		func(steps string, status result.Status, msg string) {
			r := grade(replyServer, `
  - id: reply
    title: reply
    steps:
      - connect: {}
`+steps)
			Expect(r.Checks[0].Message).To(Equal(msg))
			Expect(r.Checks[0].Status).To(Equal(status))
		},
		Entry("a multi-line greeting is one reply", `      - expect: {code: 220}
      - send: {text: HELO x, eol: "\r\n"}
      - expect: {code: 250}`, result.Passed, ""),
		Entry("so is a multi-line answer to EHLO; a class matches any code in it", `      - expect: {code: any}
      - send: {text: EHLO x, eol: "\r\n"}
      - expect: {code: 2xx}
      - send: {text: QUIT, eol: "\r\n"}
      - expect: {code: [221, 250]}`, result.Passed, ""),
		Entry("a wrong code names what it answered", `      - expect: {code: 220}
      - send: {text: QUIT, eol: "\r\n"}
      - expect: {code: 250}`, result.Failed, `Expected a 250 reply to "QUIT", but got "221 bye".`),
		Entry("the greeting is a reply to nothing", `      - expect: {code: 250, expected: "the greeting"}`, result.Failed,
			`Expected the greeting as soon as the connection opened, but got "220 ready".`),
		Entry("a line that is no reply at all", `      - expect: {code: 220}
      - send: {text: NOOP, eol: "\r\n"}
      - expect: {code: 250}`, result.Failed, `Expected a 250 reply to "NOOP", but got "hello there", which does not begin with a three-digit reply code.`),
		Entry("nothing at all", `      - expect: {code: 220}
      - expect: {code: 250, timeout: 300ms}`, result.Failed, `Expected a 250 reply as soon as the connection opened, but nothing arrived within 300ms.`),
	)
})

// chatter sends three lines at once, the one to find in the middle.
const chatter = `
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
c.sendall(b"NICK me\r\nPONG :tok\r\nUSER me 0 * :Me\r\n")
time.sleep(3)
`

var _ = Describe("Finding a line among those that arrived (expect: {seek: true})", func() {
	It("takes the first line that matches and leaves the others, in order, for later", func() {
		r := grade(chatter, `
  - id: seek
    title: seek
    steps:
      - connect: {}
      - expect: {regex: '^USER ', line: true, seek: true}
      - expect: {regex: '^PONG :?tok$', line: true, seek: true}
      - expect: {exact: NICK me, line: true}
      - quiet: {for: 200ms, line: '^(USER|PONG)'}
`)
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
	})

	It("says how many lines it looked at when none matches", func() {
		r := grade(chatter, `
  - id: seek
    title: seek
    steps:
      - connect: {}
      - expect: {regex: '^JOIN ', line: true, seek: true, timeout: 300ms}
`)
		Expect(r.Checks[0].Message).To(Equal("Expected a line with text matching /^JOIN /, but none of the 3 line(s) that arrived within 300ms was one."))
		Expect(r.Checks[0].Got).To(Equal("NICK me\r\nPONG :tok\r\nUSER me 0 * :Me\r\n"))
	})

	It("fails a quiet step when a line it is about arrives", func() {
		r := grade(chatter, `
  - id: quiet
    title: quiet
    steps:
      - connect: {}
      - quiet: {for: 300ms, line: '^PONG', expected: "no PONG yet"}
`)
		Expect(r.Checks[0].Message).To(Equal(`Your program sent "PONG :tok", but the grader expected no PONG yet.`))
		Expect(*r.Checks[0].GotAt).To(Equal(9))
	})
})
