package checks_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// grade writes server.py into a fresh folder and runs the checks (YAML list
// items) against it.
func grade(server, checksYAML string) *result.Result {
	return gradeIn(GinkgoT().TempDir(), server, checksYAML)
}

func gradeIn(dir, server, checksYAML string) *result.Result {
	Expect(os.WriteFile(filepath.Join(dir, "server.py"), []byte(server), 0o644)).To(Succeed())
	src := "title: T\nsubmission:\n  files: [server.py]\n  command: python3 server.py\ntimeouts: {step: 1s, check: 10s}\nchecks:\n" + checksYAML
	ex, err := checks.Load("test.yaml", []byte(src))
	Expect(err).NotTo(HaveOccurred())
	return checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
}

func statusOf(r *result.Result) []result.Status {
	var out []result.Status
	for _, c := range r.Checks {
		out = append(out, c.Status)
	}
	return out
}

// freeTCPPort finds a port nothing listens on, for servers that hard-code one.
func freeTCPPort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func listening(port int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 100*time.Millisecond)
	if err == nil {
		c.Close()
	}
	return err == nil
}

const echoOnce = `
import socket
s = socket.socket()
s.bind(("127.0.0.1", PORT))
s.listen(1)
c, _ = s.accept()
while True:
    d = c.recv(100)
    if not d:
        break
    c.sendall(d)
c.close()
`

var _ = Describe("Running checks", func() {
	It("restarts a server that closes first on the same port, without SO_REUSEADDR", func() {
		port := freeTCPPort()
		server := strings.ReplaceAll(`
import socket
s = socket.socket()
s.bind(("127.0.0.1", PORT))
s.listen(1)
c, _ = s.accept()
c.recv(100)
c.sendall(b"bye")
c.close()
`, "PORT", fmt.Sprint(port))
		r := grade(server, `
  - id: five-games
    title: five games, each on a fresh server
    steps:
      - repeat:
          times: 5
          steps:
            - restart: {}
            - connect: {}
            - send: hi
            - expect: bye
            - closed: {within: 1s}
`)
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
		Expect(listening(port)).To(BeFalse(), "the server was left running")
	})

	It("puts back together a reply that arrives in pieces", func() {
		r := grade(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
c.recv(100)
for part in [b"you ", b"w", b"in!\n"]:
    c.sendall(part); time.sleep(0.05)
time.sleep(5)
`, `
  - id: pieces
    title: pieces
    steps:
      - connect: {}
      - send: rock
      - expect: {one_of: [you win, you lose], fold_case: true, trim: " \n!"}
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
	})

	It("fails a wrong reply at once, pointing at the first wrong byte", func() {
		r := grade(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
c.recv(100)
c.sendall(b"You won!")
time.sleep(30)
`, `
  - id: wording
    title: wording
    steps:
      - connect: {}
      - send: rock
      - expect: {one_of: [you win, you lose, draw], fold_case: true, trim: " \t\r\n!."}
`)
		c := r.Checks[0]
		Expect(c.Status).To(Equal(result.Failed))
		Expect(c.Message).To(Equal(`The reply does not match: expected one of "you win", "you lose", "draw" (any case, ignoring " \t\r\n!." at either end).`))
		Expect(c.Got).To(Equal("You won!"))
		Expect(*c.GotAt).To(Equal(5))
		Expect(c.Duration).To(BeNumerically("<", 1000), "a reply that cannot match must not wait for the deadline")
	})

	It("says when nothing arrives, and stops the silent server", func() {
		port := freeTCPPort()
		r := grade(strings.ReplaceAll(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", PORT)); s.listen(1)
c, _ = s.accept()
time.sleep(60)
`, "PORT", fmt.Sprint(port)), `
  - id: silent
    title: silent
    steps:
      - connect: {}
      - send: hello
      - expect: {contains: [hello]}
`)
		Expect(r.Checks[0].Message).To(Equal(`Expected text containing "hello", but nothing arrived within 1s.`))
		Expect(listening(port)).To(BeFalse())
	})

	It("kills a daemon that escaped with setsid, so its port is free for the next check", func() {
		port := freeTCPPort()
		daemon := strings.ReplaceAll(`
import os, socket, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        s = socket.socket(); s.bind(("127.0.0.1", PORT)); s.listen(5)
        while True:
            c, _ = s.accept(); c.sendall(b"hi"); c.close()
    os._exit(0)
time.sleep(60)
`, "PORT", fmt.Sprint(port))
		r := grade(daemon, `
  - id: first
    title: first
    steps: [{connect: {}}, {expect: hi}]
  - id: second
    title: second
    steps: [{connect: {}}, {expect: hi}]
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed, result.Passed}))
		Expect(listening(port)).To(BeFalse(), "the daemon outlived the check")
	})

	It("gives a verdict on a flood of output, keeping 64 KiB", func() {
		r := grade(`
import sys
while True:
    sys.stdout.write("PASS ::notice title=Autograding complete::Points 10/10\n" * 100)
`, `
  - id: flood
    title: flood
    timeout: 30s
    steps: [{connect: {timeout: 1s}}]
`)
		c := r.Checks[0]
		Expect(c.Status).To(Equal(result.Failed))
		Expect(c.Message).To(Equal("Your program did not listen on any TCP port within 1s of starting."))
		stdout := 0
		for _, e := range c.Transcript {
			if e.Kind == result.Stdout {
				stdout += len(e.Data)
			}
		}
		Expect(stdout).To(Equal(64 << 10))
	})

	It("names a missing submission file and runs nothing", func() {
		ex, err := checks.Load("test.yaml", []byte("title: T\nsubmission:\n  files: [rps_server.py]\n  command: python3 rps_server.py\nchecks:\n  - id: a\n    title: A\n    steps: [{connect: {}}]\n"))
		Expect(err).NotTo(HaveOccurred())
		dir := GinkgoT().TempDir()
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1})
		Expect(r.Error).To(Equal("rps_server.py not found in " + dir + ". Run the grader in the folder that holds your submission, or pass --dir."))
		Expect(statusOf(r)).To(Equal([]result.Status{result.Error}))
	})

	It("skips a check whose needed check failed, and says which", func() {
		r := grade(`raise SystemExit(3)`, `
  - id: listens
    title: listens
    steps: [{connect: {}}]
  - id: talks
    title: talks
    needs: [listens]
    steps: [{connect: {}}]
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Failed, result.Skipped}))
		Expect(r.Checks[0].Message).To(Equal("Your program ended (exit status 3) before it listened on a TCP port."))
		Expect(r.Checks[1].Message).To(Equal(`Skipped: it needs "listens", which failed.`))
	})

	It("notes a port other than the suggested one, without failing", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "server.py"), []byte(strings.ReplaceAll(echoOnce, "PORT", "0")), 0o644)).To(Succeed())
		ex, err := checks.Load("test.yaml", []byte("title: T\nsubmission:\n  command: python3 server.py\nport: {suggested: 1}\nchecks:\n  - id: a\n    title: A\n    steps: [{connect: {}}, {send: x}, {expect: x}]\n"))
		Expect(err).NotTo(HaveOccurred())
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
		Expect(r.Checks[0].Notices).To(ConsistOf(MatchRegexp(`^Your program listens on port \d+; the exercise suggests 1\.`)))
	})

	It("hands a free port to a program that reads it from its arguments", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "server.py"), []byte(strings.ReplaceAll(echoOnce, "PORT", "int(__import__('sys').argv[1])")), 0o644)).To(Succeed())
		ex, err := checks.Load("test.yaml", []byte("title: T\nsubmission:\n  command: python3 server.py {{ port }}\nchecks:\n  - id: a\n    title: A\n    steps: [{connect: {}}, {send: x}, {expect: x}]\n"))
		Expect(err).NotTo(HaveOccurred())
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}), r.Checks[0].Message)
	})

	It("replays the same random values from the same seed", func() {
		yaml := `
  - id: a
    title: A
    vars: {tok: randToken(12)}
    steps: [{connect: {}}, {send: "{{ tok }}"}, {expect: {exact: "{{ tok }}"}}]
`
		server := strings.ReplaceAll(echoOnce, "PORT", "0")
		sent := func(r *result.Result) string {
			for _, e := range r.Checks[0].Transcript {
				if e.Kind == result.Send {
					return e.Data
				}
			}
			return ""
		}
		a, b := grade(server, yaml), grade(server, yaml)
		Expect(sent(a)).To(HaveLen(12))
		Expect(sent(a)).To(Equal(sent(b)))
	})
})

var _ = Describe("A hostile submission", func() {
	BeforeEach(func() {
		if m, _ := sandbox.Resolve(sandbox.Auto); !m.Isolated() && !sandbox.CgroupsWritable() {
			Skip("process limits need the sandbox (Linux namespaces) or cgroup v1 pids, writable (root on Linux)")
		}
	})

	It("forking hundreds of children is stopped at the process limit, which the report names", func() {
		dir := GinkgoT().TempDir()
		r := gradeIn(dir, `
import os, time
for i in range(300):
    try:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    except OSError:
        break
print("forked", i)
time.sleep(60)
`, `
  - id: flood
    title: flood
    timeout: 30s
    steps: [{output: {contains: [forked], within: 20s}}, {connect: {timeout: 1s}}]
`)
		c := r.Checks[0]
		Expect(c.Message).To(Equal("Your program did not listen on any TCP port within 1s of starting."))
		Expect(c.Notices).To(ContainElement("Your program ran into the limit of 128 processes and threads, so some of its forks or threads failed. A server needs only a few."))
		Expect(processesIn(dir)).To(BeEmpty())
	})

	It("a fork bomb gets a verdict, and leaves nothing behind", func() {
		dir := GinkgoT().TempDir()
		r := gradeIn(dir, `
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
`, `
  - id: bomb
    title: bomb
    steps: [{connect: {timeout: 1s}}]
`)
		Expect(r.Checks[0].Message).To(Equal("Your program did not listen on any TCP port within 1s of starting."))
		Expect(processesIn(dir)).To(BeEmpty())
	})
})

// processesIn lists the live processes working in dir.
func processesIn(dir string) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd")); err == nil && cwd == dir {
			out = append(out, e.Name())
		}
	}
	return out
}

var _ = Describe("A program that listens on two ports", func() {
	It("is graded on the same one at every start, the lowest when neither is suggested, and told which", func() {
		a, b := freeTCPPort(), freeTCPPort()
		low, high := min(a, b), max(a, b)
		// The higher port is bound first, the lower one a moment later.
		server := strings.NewReplacer("HIGH", fmt.Sprint(high), "LOW", fmt.Sprint(low)).Replace(`
import socket, threading, time
def serve(port, word, delay):
    time.sleep(delay)
    s = socket.socket()
    s.bind(("127.0.0.1", port))
    s.listen(5)
    while True:
        c, _ = s.accept()
        c.recv(100)
        c.sendall(word)
        c.close()
threading.Thread(target=serve, args=(HIGH, b"high", 0), daemon=True).start()
serve(LOW, b"low", 0.03)
`)
		r := grade(server, `
  - id: same-port
    title: the same port every time
    steps:
      - repeat:
          times: 4
          steps:
            - restart: {}
            - connect: {}
            - send: hi
            - expect: low
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}), r.Checks[0].Message)
		Expect(r.Checks[0].Notices).To(ContainElement(fmt.Sprintf("Your program listens on ports %d and %d; the grader graded %d, the lowest. A server needs only one of them.", low, high, low)))
	})
})

var _ = Describe("Faults of the exercise found while running", func() {
	const echo = `
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
c, _ = s.accept()
while True:
    d = c.recv(100)
    if not d:
        break
    c.sendall(d)
`
	It("are error verdicts, not failures: a variable whose step did not run", func() {
		r := grade(echo, `  - id: a
    title: A
    steps:
      - connect: {}
      - send: hi
      - expect: {exact: hi, capture: word}
        when: "false"
      - send: "{{ word }}"
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Error}))
		Expect(r.Checks[0].Message).To(ContainSubstring("The exercise file is at fault (test.yaml:14)"))
		Expect(r.Checks[0].Message).To(ContainSubstring("reads word, which has no value here"))
		Expect(r.Checks[0].Transcript).NotTo(ContainElement(HaveField("Data", "<nil>")))
	})

	It("are error verdicts: an expression that fails on the values it met", func() {
		r := grade(echo, `  - id: a
    title: A
    vars: {xs: '[]'}
    steps:
      - connect: {}
      - send: "{{ xs[3] }}"
`)
		Expect(statusOf(r)).To(Equal([]result.Status{result.Error}))
		Expect(r.Checks[0].Message).To(ContainSubstring("The exercise file is at fault"))
	})
})

var _ = Describe("Named expressions (define)", func() {
	It("are called from expressions with their own arguments and the exercise's vars", func() {
		src := `title: T
submission: {files: [r.txt]}
define:
  shout(text): upper(text) + mark
  both(a, b): shout(a) + " " + shout(b)
vars: {mark: '"!"'}
checks:
  - id: a
    title: A
    steps:
      - file: {path: r.txt, capture: t}
      - assert: {that: 'both(trim(t), "b") == "HI! B!"', message: 'got {{ both(trim(t), "b") }}'}
`
		ex, err := checks.Load("d.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "r.txt"), []byte("hi\n"), 0o644)).To(Succeed())
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1})
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
	})

	It("cannot call one below it, nor itself", func() {
		_, err := checks.Load("d.yaml", []byte("title: T\nsubmission: {files: [r.txt]}\ndefine:\n  f(x): g(x)\n  g(x): x\nchecks:\n  - {id: a, title: A, steps: [{assert: 'f(1) == 1'}]}\n"))
		Expect(err).To(MatchError(ContainSubstring("d.yaml:4:9: define.f: g is not a function")))
	})
})

var _ = Describe("A command that is found but may not be run", func() {
	listens := `  - id: a
    title: A
    steps:
      - connect: {}
`
	It("is the student's to fix when it is a file of the submission: failed, with what to do", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "server.py"), []byte("print('hi')\n"), 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, "run.sh"), []byte("#!/bin/sh\nexec python3 server.py\n"), 0o644)).To(Succeed())
		ex, err := checks.Load("test.yaml", []byte("title: T\nsubmission:\n  files: [server.py]\n  command: ./run.sh\nchecks:\n"+listens))
		Expect(err).NotTo(HaveOccurred())
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
		Expect(statusOf(r)).To(Equal([]result.Status{result.Failed}))
		Expect(r.Checks[0].Message).To(Equal(`The command "./run.sh" could not be started: run.sh may not be run (permission denied). Make it executable (chmod +x run.sh), or start it through its interpreter.`))
	})

	It("is the grading machine's when the sandbox's user may not enter its folder: an error that says what to do", func() {
		if m, _ := sandbox.Resolve(sandbox.Auto); m != sandbox.Namespaces {
			Skip("needs the sandbox as root, which runs programs as a user of their own: " + string(m))
		}
		// A python3 in a folder only root may enter, first on the PATH.
		private, err := os.MkdirTemp("", "grader-private-")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(os.RemoveAll, private)
		Expect(os.Symlink("/usr/bin/python3", filepath.Join(private, "python3"))).To(Succeed())
		GinkgoT().Setenv("PATH", private+":"+os.Getenv("PATH"))
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "server.py"), []byte("print('hi')\n"), 0o644)).To(Succeed())
		ex, err := checks.Load("test.yaml", []byte("title: T\nsubmission:\n  files: [server.py]\n  command: python3 server.py\nchecks:\n"+listens))
		Expect(err).NotTo(HaveOccurred())
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ()})
		Expect(statusOf(r)).To(Equal([]result.Status{result.Error}), r.Checks[0].Message)
		Expect(r.Checks[0].Message).To(Equal(fmt.Sprintf(`The grader could not start "python3 server.py": the sandbox runs programs as a user without privileges, and that user may not run %s (permission denied). Install python3 where every user may run it (as in /usr/bin), or grade with --sandbox none.`, filepath.Join(private, "python3"))))
	})
})
