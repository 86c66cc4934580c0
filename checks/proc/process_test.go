package proc_test

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/proc"
)

func python(code string) []string { return []string{"python3", "-c", code} }

func start(argv []string, out *proc.Output) *proc.Process {
	p, err := proc.Start(proc.Spec{Argv: argv, Env: append(os.Environ(), "PYTHONUNBUFFERED=1"), Stdout: out})
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { p.Stop(0) })
	return p
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	state := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])[0]
	return state != "Z" && state != "X"
}

var _ = Describe("A started program", func() {
	It("has its listening port discovered without being connected to", func() {
		out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
		p := start(python(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1])
c, _ = s.accept()
print("accepted")
`), out)
		var ls []proc.Listener
		Eventually(func() []proc.Listener {
			ls, _ = p.Listening()
			return ls
		}).WithTimeout(5 * time.Second).WithPolling(time.Millisecond).Should(HaveLen(1))
		Eventually(func() string { d, _, _ := out.Snapshot(0); return string(d) }).Should(ContainSubstring("\n"))
		d, _, _ := out.Snapshot(0)
		Expect(strconv.Itoa(ls[0].Port)).To(Equal(strings.TrimSpace(string(d))))
		Expect(ls[0].DialAddr().String()).To(Equal("127.0.0.1:" + strings.TrimSpace(string(d))))
		Consistently(func() string { d, _, _ := out.Snapshot(0); return string(d) }, 100*time.Millisecond).ShouldNot(ContainSubstring("accepted"))
	})

	It("sees the UDP ports it bound, dual-stack ones too, and not its TCP listener or its connected UDP socket", func() {
		p := start(python(`
import socket, time
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
v = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); v.bind(("::", 0))
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.connect(("127.0.0.1", 9))
time.sleep(30)
`), nil)
		var ls []proc.Listener
		Eventually(func() []proc.Listener {
			ls, _ = p.BoundUDP()
			return ls
		}).WithTimeout(5 * time.Second).WithPolling(time.Millisecond).Should(HaveLen(2))
		Expect([]string{ls[0].Addr.String(), ls[1].Addr.String()}).To(ConsistOf("127.0.0.1", "::"))
		tcp, _ := p.Listening()
		Expect(tcp).To(HaveLen(1))
		Expect(tcp[0].Port).NotTo(BeElementOf(ls[0].Port, ls[1].Port))
	})

	It("does not count another program's listener as its own", func() {
		other, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		defer other.Close()
		p := start(python(`import time; time.sleep(30)`), nil)
		Consistently(func() []proc.Listener { ls, _ := p.Listening(); return ls }, 100*time.Millisecond).Should(BeEmpty())
	})

	It("is stopped with every descendant, even a daemon that left the group with setsid", func() {
		out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
		p := start(python(`
import os, socket, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
        print("daemon", os.getpid(), flush=True)
        time.sleep(60)
    os._exit(0)
time.sleep(60)
`), out)
		var daemon int
		Eventually(func() int {
			d, _, _ := out.Snapshot(0)
			fmt.Sscanf(string(d), "daemon %d", &daemon)
			return daemon
		}).WithTimeout(5 * time.Second).ShouldNot(BeZero())
		Eventually(func() []proc.Listener { ls, _ := p.Listening(); return ls }).ShouldNot(BeEmpty())
		p.Stop(100 * time.Millisecond)
		Expect(p.Exited()).To(BeTrue())
		Expect(alive(daemon)).To(BeFalse(), "the daemon survived")
		Expect(syscall.Kill(daemon, 0)).To(HaveOccurred(), "the daemon was not reaped")
	})

	It("is killed even when it ignores SIGTERM", func() {
		out := proc.NewOutput("stdout", proc.DefaultOutputCap, nil)
		p := start(python(`
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(60)
`), out)
		Eventually(func() string { d, _, _ := out.Snapshot(0); return string(d) }).WithTimeout(5 * time.Second).Should(ContainSubstring("ready"))
		p.Stop(50 * time.Millisecond)
		Expect(p.Exited()).To(BeTrue())
		Expect(p.ExitDescription()).To(ContainSubstring("killed"))
	})

	It("is drained to the end while only the cap is kept", func() {
		out := proc.NewOutput("stdout", 1024, nil)
		p := start(python(`
import sys, socket
sys.stdout.write("x" * 300000); sys.stdout.flush()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
import time; time.sleep(30)
`), out)
		Eventually(func() []proc.Listener { ls, _ := p.Listening(); return ls }).WithTimeout(5 * time.Second).ShouldNot(BeEmpty())
		d, truncated, _ := out.Snapshot(0)
		Expect(d).To(HaveLen(1024))
		Expect(truncated).To(BeTrue())
	})

	It("reports a command that does not exist", func() {
		_, err := proc.Start(proc.Spec{Argv: []string{"no-such-program-xyz"}})
		Expect(err).To(MatchError(proc.ErrNotFound))
	})
})
