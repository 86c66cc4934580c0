package checks_test

import (
	"fmt"
	"regexp"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

// indexOf is the place of the first event of kind in the transcript.
func indexOf(c result.Check, kind result.EventKind) int {
	return slices.IndexFunc(c.Transcript, func(e result.Event) bool { return e.Kind == kind })
}

var _ = Describe("Messages say what really happened", func() {
	It("says a program that printed and then crashed crashed, with its traceback's last line", func() {
		r := grade(`
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print("one"); print("two"); print("three")
c, _ = s.accept()
n = int(c.recv(100).decode())
`, `
  - id: prints
    title: prints the move
    steps:
      - connect: {}
      - mark: move
      - send: rock
      - output: {since: move, contains: [rock]}
`)
		c := r.Checks[0]
		Expect(c.Message).To(HavePrefix(`Your program crashed (exit status 1) with “ValueError: invalid literal for int() with base 10: 'rock'”; its traceback is in the transcript. Then: `))
		Expect(indexOf(c, result.Send)).To(BeNumerically("<", indexOf(c, result.Stderr)), "the move is listed before the traceback it caused")
	})

	It("gives a client that crashed on a refused connection the same headline, whichever came first", func() {
		// Nothing listens on the port it dials; it may end before or after
		// the grader types.
		var messages []string
		for range 6 {
			r := gradeClient(fmt.Sprintf(`
import socket
socket.create_connection(("127.0.0.1", %d))
`, freeTCPPort()), `
  - id: sends
    title: sends
    steps:
      - listen: {}
      - start: {}
      - stdin: rock
      - accept: {timeout: 2s}
`)
			messages = append(messages, regexp.MustCompile(`\d+`).ReplaceAllString(r.Checks[0].Message, "N"))
		}
		Expect(messages[0]).To(HavePrefix("Your client tried to connect somewhere nothing was listening (connection refused), but the grader listens on N.N.N.N:N"))
		Expect(slices.Compact(messages)).To(HaveLen(1))
	})

	It("calls what a client sent what it sent, not a reply", func() {
		r := gradeClient(echoClient, `
  - id: sends
    title: sends
    steps:
      - listen: {}
      - start: {}
      - stdin: paper
      - accept: {}
      - expect: rock
`)
		Expect(r.Checks[0].Message).To(HavePrefix(`What your program sent does not match: expected exactly "rock"`))
	})

	It("tells a server that waits for input before it listens that nobody types there", func() {
		r := grade(`
import socket
port = int(input("Port? "))
s = socket.socket(); s.bind(("127.0.0.1", port)); s.listen(1)
`, `
  - id: listens
    title: listens
    steps:
      - connect: {timeout: 700ms}
`)
		Expect(r.Checks[0].Message).To(Equal("Your program did not listen on any TCP port within 700ms of starting. It is waiting for something to be typed on its standard input (input(), or a read of sys.stdin), and nobody types there: a server must not ask for anything before it listens. Write the port into the program, or take it from its command line."))
	})
})
