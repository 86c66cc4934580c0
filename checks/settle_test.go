package checks_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

// Watches for what a program might still do end when it settles; a
// program that sleeps has not settled: it acts by itself later.
var _ = Describe("A watch that ends once the program settles", func() {
	It("still sees what a program sends after a sleep (quiet)", func() {
		r := grade(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
c.recv(100)
c.sendall(b"ok")
time.sleep(0.2)
c.sendall(b" and more")
c.recv(100)
`, `
  - id: exact
    title: the reply is exactly ok
    steps:
      - connect: {}
      - send: hi
      - expect: ok
      - quiet: {for: 800ms}
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Failed}))
		Expect(r.Checks[0].Message).To(HavePrefix("Your program sent 9 more byte(s)"))
	})

	It("still sees a traceback printed after a sleep (output absent)", func() {
		r := grade(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
c.recv(100)
c.close()
time.sleep(0.2)
raise RuntimeError("late")
`, `
  - id: clean
    title: no traceback
    steps:
      - connect: {}
      - send: hi
      - closed: {within: 1s}
      - output: {stream: stderr, absent: [Traceback], for: 800ms}
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Failed}))
		Expect(r.Checks[0].Message).To(ContainSubstring(`printed "Traceback" on stderr`))
	})

	It("passes a program that waits for the grader", func() {
		r := grade(`
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
c.recv(100)
c.sendall(b"ok")
c.recv(100)
`, `
  - id: exact
    title: the reply is exactly ok
    steps:
      - connect: {}
      - send: hi
      - expect: ok
      - quiet: {for: 800ms}
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}), r.Checks[0].Message)
	})
})
