package checks_test

import (
	"context"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
)

const udpEcho = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(d, a)
`

var _ = Describe("Datagrams (UDP)", func() {
	It("finds the bound UDP port, sends datagrams from two sockets and judges each reply whole", func() {
		r := grade(udpEcho, `
  - id: udp
    title: udp
    steps:
      - connect: {conn: a, udp: true}
      - connect: {conn: b, udp: true}
      - send: {text: one, conn: a}
      - send: {text: two, conn: b}
      - expect: {exact: two, conn: b, trim: ""}
      - expect: {exact: one, conn: a, trim: ""}
      - send: {text: x, conn: a}
      - send: {text: y, conn: a}
      - expect: {datagrams: '["y", "x"]', conn: a}
      - quiet: {for: 100ms, conn: a}
`)
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
		var kinds []result.EventKind
		for _, e := range r.Checks[0].Transcript {
			if e.Kind == result.DatagramSend || e.Kind == result.DatagramRecv {
				kinds = append(kinds, e.Kind)
			}
		}
		Expect(kinds).To(HaveLen(8))
	})

	It("keeps datagrams apart: two that came back are not one reply", func() {
		r := grade(udpEcho, `
  - id: udp
    title: udp
    steps:
      - connect: {udp: true}
      - send: ab
      - send: cd
      - expect: {exact: abcd, trim: "", timeout: 500ms}
`)
		Expect(r.Checks[0].Message).To(Equal(`The datagram does not match: expected exactly "abcd".`))
		Expect(r.Checks[0].Got).To(Equal("ab"))
	})

	It("says so when the program binds no UDP port but listens on TCP", func() {
		r := grade(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
time.sleep(10)
`, `
  - id: udp
    title: udp
    steps:
      - connect: {udp: true, timeout: 500ms}
`)
		Expect(r.Checks[0].Message).To(HavePrefix("Your program did not bind any UDP port within 500ms of starting. It listens on TCP port "))
	})

	It("plays the UDP server for a client: receives its datagram and answers where it came from", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "client.py"), []byte(`
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"ping " + sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))
print("got", s.recvfrom(100)[0].decode())
`), 0o644)).To(Succeed())
		src := `title: T
submission:
  command: python3 client.py {{ port }} {{ token }}
port: {client: true, udp: true}
timeouts: {step: 1s, check: 10s}
vars:
  token: randToken(6)
checks:
  - id: client
    title: client
    steps:
      - listen: {}
      - start: {}
      - expect: {exact: "ping {{ token }}", trim: ""}
      - send: "pong {{ token }}"
      - output: {contains: ["got pong {{ token }}"]}
      - exit: {within: 2s, code: 0}
`
		ex, err := checks.Load("test.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
	})
})
