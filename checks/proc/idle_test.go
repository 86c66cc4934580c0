//go:build linux

package proc_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/proc"
)

var _ = Describe("Whether a program waits for the grader (Idle)", func() {
	idle := func(p *proc.Process) bool {
		i, known := p.Idle()
		Expect(known).To(BeTrue())
		return i
	}
	ready := func(out *proc.Output) {
		Eventually(func() string { d, _, _ := out.Snapshot(0); return string(d) }).WithTimeout(5 * time.Second).Should(ContainSubstring("ready"))
	}

	DescribeTable("is true only when every thread waits for an event, with no timeout",
		func(code string, want bool) {
			out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
			p := start(python(code), out)
			ready(out)
			if want {
				Eventually(func() bool { return idle(p) }).WithTimeout(2 * time.Second).Should(BeTrue())
			} else {
				Consistently(func() bool { return idle(p) }).WithTimeout(300 * time.Millisecond).Should(BeFalse())
			}
		},
		Entry("a server blocked in accept", `
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print("ready")
s.accept()`, true),
		Entry("a program reading its input", `
print("ready")
input()`, true),
		Entry("threads blocked in accept and in join", `
import socket, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
t = threading.Thread(target=s.accept); t.start()
print("ready")
t.join()`, true),
		Entry("a program that sleeps, and will act by itself later", `
import time
print("ready")
time.sleep(30)`, false),
		Entry("a recv with a timeout", `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.settimeout(30)
print("ready")
s.recv(10)`, false),
		Entry("a program that computes", `
print("ready")
while True: pass`, false),
	)

	Describe("for a watch that ends at a given time (QuietUntil)", func() {
		quietFor := func(p *proc.Process, d time.Duration) bool {
			q, known := p.QuietUntil(time.Now().Add(d))
			Expect(known).To(BeTrue())
			return q
		}

		It("counts a poll whose timeout cannot run out before the watch ends", func() {
			out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
			// socket.settimeout makes recv a poll(2) with that timeout.
			p := start(python(`
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.settimeout(30)
print("ready")
s.recv(10)`), out)
			ready(out)
			Eventually(func() bool { return quietFor(p, 400*time.Millisecond) }).WithTimeout(2 * time.Second).Should(BeTrue())
			Expect(idle(p)).To(BeFalse(), "it still acts by itself in 30 s")
			Expect(quietFor(p, time.Minute)).To(BeFalse(), "a watch of a minute outlasts the poll")
		})

		It("does not count a loop that polls more often than the watch lasts", func() {
			out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
			p := start(python(`
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.settimeout(0.05)
print("ready")
while True:
    try:
        s.recv(10)
    except socket.timeout:
        pass`), out)
			ready(out)
			Consistently(func() bool { return quietFor(p, 400*time.Millisecond) }).WithTimeout(500 * time.Millisecond).Should(BeFalse())
		})

		It("does not count a sleep, whose timeout it does not read", func() {
			out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
			p := start(python(`
import time
print("ready")
time.sleep(30)`), out)
			ready(out)
			Consistently(func() bool { return quietFor(p, 400*time.Millisecond) }).WithTimeout(300 * time.Millisecond).Should(BeFalse())
		})
	})

	It("is true once the program ended", func() {
		out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
		p := start(python(`print("ready")`), out)
		Eventually(p.Done()).WithTimeout(5 * time.Second).Should(BeClosed())
		Expect(idle(p)).To(BeTrue())
	})
})
