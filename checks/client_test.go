package checks_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// gradeClient writes client.py into a fresh folder and runs the checks
// against it as a client: the grader listens on a free port and hands it
// to the program as its first argument.
func gradeClient(client, checksYAML string) *result.Result {
	dir := GinkgoT().TempDir()
	Expect(os.WriteFile(filepath.Join(dir, "client.py"), []byte(client), 0o644)).To(Succeed())
	src := "title: T\nsubmission:\n  command: python3 client.py {{ port }}\nport: {client: true}\ntimeouts: {step: 1s, check: 10s}\nchecks:\n" + checksYAML
	ex, err := checks.Load("test.yaml", []byte(src))
	Expect(err).NotTo(HaveOccurred())
	return checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
}

// graderPort is the port the grader listened on, from the transcript.
func graderPort(c result.Check) int {
	for _, e := range c.Transcript {
		var port int
		if _, err := fmt.Sscanf(e.Data, "the grader listens on 127.0.0.1:%d", &port); err == nil {
			return port
		}
	}
	Fail("the transcript does not say where the grader listened")
	return 0
}

const echoClient = `
import socket, sys
msg = input()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(msg.encode())
print("got:", s.recv(100).decode())
s.close()
`

var _ = Describe("The grader as the server of a client", func() {
	It("listens, starts the client, types its input, accepts it, and reads what it prints", func() {
		r := gradeClient(echoClient, `
  - id: dialogue
    title: dialogue
    steps:
      - listen: {}
      - start: {}
      - stdin: hello
      - accept: {}
      - expect: {exact: hello}
      - mark: reply
      - send: HELLO
      - output: {since: reply, contains: ["got: HELLO"]}
      - exit: {code: 0}
`)
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
		Expect(listening(graderPort(r.Checks[0]))).To(BeFalse(), "the grader's listening socket was left open")
	})

	It("says plainly when the client dialled a port where nothing listens", func() {
		r := gradeClient(`
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1]) + 1 if int(sys.argv[1]) < 65535 else 1))
`, `
  - id: connects
    title: connects
    steps: [{listen: {}}, {accept: {}}]
`)
		c := r.Checks[0]
		port := graderPort(c)
		Expect(c.Message).To(Equal(fmt.Sprintf("Your client tried to connect somewhere nothing was listening (connection refused), but the grader listens on 127.0.0.1:%d: connect to the port the grader gives your program in its command-line arguments (%d this time), not to a port of your own.", port, port)))
		Expect(c.Got).To(ContainSubstring("ConnectionRefusedError"))
	})

	It("gives up on a client that never connects, at the deadline, and shows what it printed", func() {
		r := gradeClient(`
import time
print("thinking...", flush=True)
time.sleep(30)
`, `
  - id: connects
    title: connects
    steps: [{listen: {}}, {accept: {timeout: 500ms}}]
`)
		c := r.Checks[0]
		Expect(c.Message).To(MatchRegexp(`^Your program did not connect to the grader within 500ms; the grader listens on 127\.0\.0\.1:\d+\.$`))
		Expect(c.Got).To(Equal("thinking...\n"))
		Expect(c.Duration).To(BeNumerically("<", 2000))
	})

	It("fails at once when the client ends without connecting", func() {
		r := gradeClient(`raise SystemExit("no server today")`, `
  - id: connects
    title: connects
    steps: [{listen: {}}, {accept: {timeout: 5s}}]
`)
		c := r.Checks[0]
		Expect(c.Message).To(MatchRegexp(`^Your program ended \(exit status 1\) without connecting to the grader, which listens on 127\.0\.0\.1:\d+\.$`))
		Expect(c.Got).To(Equal("no server today\n"))
		Expect(c.Duration).To(BeNumerically("<", 2000))
	})

	Context("when another program holds the port the client is to dial", func() {
		var port int
		var ex *checks.Exercise
		BeforeEach(func() {
			held, err := net.Listen("tcp4", "127.0.0.1:0")
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(held.Close)
			port = held.Addr().(*net.TCPAddr).Port
			ex, err = checks.Load("test.yaml", []byte(fmt.Sprintf("title: T\nsubmission:\n  command: python3 client.py\nport: {suggested: %d, client: true}\nchecks:\n  - id: a\n    title: A\n    steps: [{listen: {}}]\n", port)))
			Expect(err).NotTo(HaveOccurred())
		})

		It("without a sandbox, names that program and says what to do", func() {
			r := checks.Run(context.Background(), ex, checks.Options{Dir: GinkgoT().TempDir(), Seed: 1, Env: os.Environ(), Command: []string{"true"}, Sandbox: sandbox.None})
			Expect(r.Sandbox).To(Equal("none"))
			self, _ := os.Executable()
			Expect(r.Checks[0].Message).To(HavePrefix(fmt.Sprintf("The grader could not listen on 127.0.0.1:%d, where your client is to connect: Port %d is in use by pid %d (%s", port, port, os.Getpid(), self)))
			Expect(r.Checks[0].Message).To(HaveSuffix(fmt.Sprintf("), so your program could not listen there. Stop it (kill %d) and grade again; on Linux the grader can also run your program apart from it (--sandbox auto).", os.Getpid())))
		})

		It("in the sandbox, does not mind: the program's network is its own", func() {
			if m, _ := sandbox.Resolve(sandbox.Auto); !m.Isolated() {
				Skip("needs the sandbox: " + sandbox.Why())
			}
			r := checks.Run(context.Background(), ex, checks.Options{Dir: GinkgoT().TempDir(), Seed: 1, Env: os.Environ(), Command: []string{"true"}})
			Expect(r.Checks[0].Status).To(Equal(result.Passed), r.Checks[0].Message)
		})
	})

	It("refuses to start a client before the grader listens", func() {
		r := gradeClient(echoClient, `
  - id: early
    title: early
    steps: [{start: {}}]
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Error}))
		Expect(r.Checks[0].Message).To(ContainSubstring("the grader must listen before it starts: put a listen step first"))
	})
})

var _ = Describe("Standard input and the end of the program", func() {
	It("ends the input when asked, as Ctrl-D does", func() {
		r := grade(`
import sys
data = sys.stdin.read()
print(len(data), repr(data))
`, `
  - id: eof
    title: eof
    steps:
      - stdin: {text: abc, close: true}
      - output: {contains: ["4 'abc\\n'"]}
      - exit: {code: 0}
`)
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
	})

	It("reports the exit status and the traceback when the status is wrong", func() {
		r := grade(`
import sys
input()
sys.exit("bad move")
`, `
  - id: status
    title: status
    steps: [{stdin: rock}, {exit: {code: 0}}]
`)
		c := r.Checks[0]
		Expect(c.Message).To(Equal("Your program ended (exit status 1), but it should end with exit status 0."))
		Expect(c.Got).To(Equal("bad move\n"))
	})

	It("reports a program that does not end in time, and stops it", func() {
		r := grade(`
print("Your move: ", end="", flush=True)
input()
`, `
  - id: ends
    title: ends
    steps: [{start: {}}, {output: {contains: ["Your move"], within: 5s}}, {exit: {within: 300ms}}]
`)
		c := r.Checks[0]
		Expect(c.Message).To(Equal("Your program was expected to end within 300ms, but it was still running."))
		Expect(c.Got).To(Equal("Your move: "))
	})

	It("says when the program ended before the grader could type", func() {
		r := grade(`print("bye")`, `
  - id: late
    title: late
    steps: [{start: {}}, {exit: {}}, {stdin: rock}]
`)
		c := r.Checks[0]
		Expect(c.Message).To(Equal(`The grader could not type "rock\n": your program had already ended (exit status 0).`))
	})
})

// gradeFile grades an exercise that runs nothing: request.txt holds raw.
func gradeFile(raw, checksYAML string) *result.Result {
	dir := GinkgoT().TempDir()
	Expect(os.WriteFile(filepath.Join(dir, "request.txt"), []byte(raw), 0o644)).To(Succeed())
	ex, err := checks.Load("test.yaml", []byte("title: T\nsubmission:\n  files: [request.txt]\nchecks:\n"+checksYAML))
	Expect(err).NotTo(HaveOccurred())
	return checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
}

var _ = Describe("A submission that is a file, not a program", func() {
	DescribeTable("file with parse: http-request says what a real web server would answer",
		func(raw string, status int, verdict string) {
			r := gradeFile(raw, fmt.Sprintf(`
  - id: answer
    title: answer
    steps:
      - file: {path: request.txt, parse: http-request, capture: req}
      - assert: {that: 'req.status == %d', message: "status {{ req.status }}"}
      - assert: {that: 'false', message: "{{ req.verdict }}"}
`, status))
			Expect(r.Checks[0].Message).To(Equal(verdict))
		},
		Entry("a request typed into nc, lines ended by Enter alone",
			"GET / HTTP/1.1\nHost: www.google.com\n\n", 200,
			`A real web server would answer "200 OK" and send the page.`),
		Entry("a method in lower case",
			"get / HTTP/1.1\r\nHost: www.google.com\r\n\r\n", 400,
			`A real web server would answer "400 Bad Request": the method "get" is case-sensitive: write "GET".`),
		Entry("no empty line at the end",
			"GET / HTTP/1.1\nHost: www.google.com\n", 0,
			`A real web server would not answer yet: it would wait for the rest of the request (the stream ended after the header line "Host: www.google.com" without the empty line "\r\n" that ends the header section: send it (press Enter on an empty line)).`),
		Entry("an HTTP/1.1 request without Host",
			"GET / HTTP/1.1\n\n", 400,
			`A real web server would answer "400 Bad Request": the HTTP/1.1 request has no Host header: add a line such as "Host: localhost" before the empty line.`),
		Entry("no request at all",
			"hello\n\n", 400,
			`A real web server would answer "400 Bad Request": the request line "hello" is not a method, a target and a version: write a request line such as "GET / HTTP/1.1".`),
	)

	It("exposes the request's parts, header names in lower case", func() {
		r := gradeFile("GET /search HTTP/1.0\r\nHOST: example.org\r\nAccept: */*\r\n\r\n", `
  - id: parts
    title: parts
    steps:
      - file: {path: request.txt, parse: http-request, capture: req}
      - assert: {that: 'false', message: '{{ req.method }} {{ req.target }} {{ req.proto }} {{ req.headers.host }} {{ req.complete }} {{ len(req.kinds) }}'}
`)
		Expect(r.Checks[0].Message).To(Equal("GET /search HTTP/1.0 example.org true 0"))
	})

	It("names a missing file and runs nothing", func() {
		ex, err := checks.Load("test.yaml", []byte("title: T\nsubmission:\n  files: [request.txt]\nchecks:\n  - id: a\n    title: A\n    steps: [{file: {path: request.txt, capture: t}}]\n"))
		Expect(err).NotTo(HaveOccurred())
		dir := GinkgoT().TempDir()
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1})
		Expect(r.Error).To(Equal("request.txt not found in " + dir + ". Run the grader in the folder that holds your submission, or pass --dir."))
	})

	It("keeps a file's bytes in the transcript", func() {
		r := gradeFile("GET / HTTP/1.1\n", `
  - id: t
    title: t
    steps: [{file: {path: request.txt, capture: t}}, {assert: {that: 't == "GET / HTTP/1.1\n"'}}]
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
		Expect(r.Checks[0].Transcript[0].Data).To(Equal(`request.txt (15 bytes): "GET / HTTP/1.1\n"`))
	})
})
