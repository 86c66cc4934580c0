package sandbox_test

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/sandbox"
)

func itoa(n int) string { return strconv.Itoa(n) }

var loopback = netip.MustParseAddr("127.0.0.1")

var _ = Describe("A sandboxed program", func() {
	var mode sandbox.Mode
	BeforeEach(func() { mode = isolated() })

	It("is PID 1 of a namespace of its own, in its submission folder, as the run's own user when the grader is root", func() {
		sb := newSandbox(sandbox.Config{Mode: mode}, map[string]string{"server.py": "print('hi')"})
		r := startIn(sb, `
import os
print("pid", os.getpid(), "uid", os.getuid(), "cwd", os.getcwd(), "files", sorted(os.listdir(".")), flush=True)
print("procs", sorted(p for p in os.listdir("/proc") if p.isdigit()), "self", os.readlink("/proc/self"), flush=True)
`)
		r.ended()
		Expect(r.out.String()).To(ContainSubstring(fmt.Sprintf("pid 1 uid %d cwd %s files ['server.py']", max(sb.User(), 0), sb.Dir())))
		// Through an init, its /proc is its namespace's (it is 1 there);
		// forked by root's starter, the starter's, which numbers it
		// otherwise and shows it the run's live programs but not the
		// starter (here it is the only one).
		Expect(r.out.String()).To(MatchRegexp(`procs \['(\d+)'\] self (\d+)\n`), "its /proc shows its own processes only")
		m := regexp.MustCompile(`procs \['(\d+)'\] self (\d+)`).FindStringSubmatch(r.out.String())
		Expect(m[1]).To(Equal(m[2]))
		if mode == sandbox.Namespaces {
			Expect(sb.User()).To(BeNumerically(">=", 1_600_000_000))
			Expect(sb.Dir()).NotTo(HavePrefix(GinkgoT().TempDir()), "as root the program works in a private copy")
		}
	})

	It("has a network of its own: loopback only, IPv4 and IPv6, every port free, none of the machine's listeners", func() {
		host, err := net.Listen("tcp4", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		defer host.Close()
		hostPort := host.Addr().(*net.TCPAddr).Port
		sb := newSandbox(sandbox.Config{Mode: mode}, nil)
		r := startIn(sb, fmt.Sprintf(`
import socket
c = socket.socket()
try:
    c.connect(("127.0.0.1", %d)); print("reached the machine", flush=True)
except OSError as e:
    print("machine unreachable:", e.errno, flush=True)
try:
    socket.create_connection(("8.8.8.8", 53), timeout=1); print("reached the internet", flush=True)
except OSError as e:
    print("internet unreachable", flush=True)
a = socket.socket(); a.bind(("127.0.0.1", 80)); a.listen(1)
b = socket.socket(socket.AF_INET6); b.bind(("::1", %d)); b.listen(1)
print("listening", flush=True)
while True:
    for s in (a, b):
        s.settimeout(0.05)
        try:
            c, _ = s.accept(); c.sendall(b"hello from %%d" %% s.getsockname()[1]); c.close()
        except socket.timeout:
            pass
`, hostPort, hostPort))
		r.printed("listening")
		Expect(r.out.String()).To(ContainSubstring(fmt.Sprintf("machine unreachable: %d", syscall.ECONNREFUSED)))
		Expect(r.out.String()).To(ContainSubstring("internet unreachable"))
		ls, err := r.net.Listening()
		Expect(err).NotTo(HaveOccurred())
		var seen []string
		for _, l := range ls {
			seen = append(seen, netip.AddrPortFrom(l.Addr, uint16(l.Port)).String())
		}
		Expect(seen).To(ConsistOf("127.0.0.1:80", fmt.Sprintf("[::1]:%d", hostPort)))
		for _, to := range []netip.AddrPort{netip.AddrPortFrom(loopback, 80), netip.AddrPortFrom(netip.IPv6Loopback(), uint16(hostPort))} {
			c, err := r.net.DialTCP(to, time.Now().Add(2*time.Second))
			Expect(err).NotTo(HaveOccurred())
			buf := make([]byte, 64)
			n, _ := c.Read(buf)
			c.Close()
			Expect(string(buf[:n])).To(Equal(fmt.Sprintf("hello from %d", to.Port())))
		}
	})

	DescribeTable("shows how much of what the grader sent the other end has not read yet",
		func(addr string) {
			sb := newSandbox(sandbox.Config{Mode: mode}, nil)
			n, err := sb.NewNet()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(n.Close)
			l, err := n.ListenTCP(netip.AddrPortFrom(netip.MustParseAddr(addr), 0))
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(l.Close)
			c, err := n.DialTCP(l.Addr().(*net.TCPAddr).AddrPort(), time.Now().Add(time.Second))
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(c.Close)
			peer, err := l.AcceptTCP()
			Expect(err).NotTo(HaveOccurred())

			_, err = c.Write([]byte("hello"))
			Expect(err).NotTo(HaveOccurred())
			Eventually(func() int { u, _ := n.PeerUnread(c); return u }).Should(Equal(5))
			buf := make([]byte, 3)
			_, err = io.ReadFull(peer, buf)
			Expect(err).NotTo(HaveOccurred())
			unread, ok := n.PeerUnread(c)
			Expect(ok).To(BeTrue())
			Expect(unread).To(Equal(2))
			_, err = io.ReadFull(peer, buf[:2])
			Expect(err).NotTo(HaveOccurred())
			unread, ok = n.PeerUnread(c)
			Expect(ok).To(BeTrue())
			Expect(unread).To(BeZero())

			// An end that is gone is not to be seen.
			Expect(peer.SetLinger(0)).To(Succeed())
			Expect(peer.Close()).To(Succeed())
			Eventually(func() bool { _, ok := n.PeerUnread(c); return ok }).Should(BeFalse())
		},
		Entry("IPv4", "127.0.0.1"),
		Entry("IPv6", "::1"),
	)

	It("is reached through its network for UDP too", func() {
		sb := newSandbox(sandbox.Config{Mode: mode}, nil)
		r := startIn(sb, `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 9999))
print("bound", flush=True)
while True:
    data, peer = s.recvfrom(100); s.sendto(data.upper(), peer)
`)
		r.printed("bound")
		var c *net.UDPConn
		Expect(r.net.Do(func() error {
			var err error
			c, err = net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 9999)))
			return err
		})).To(Succeed())
		defer c.Close()
		Expect(c.SetDeadline(time.Now().Add(2 * time.Second))).To(Succeed())
		_, err := c.Write([]byte("ping"))
		Expect(err).NotTo(HaveOccurred())
		buf := make([]byte, 10)
		n, err := c.Read(buf)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(buf[:n])).To(Equal("PING"))
	})

	It("takes everything it started with it when it is killed: a setsid daemon, a re-exec with an empty environment, kill -1", func() {
		sb := newSandbox(sandbox.Config{Mode: mode}, nil)
		r := startIn(sb, `
import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execve("/bin/sleep", ["sleep", "1000"], {})
    os._exit(0)
if os.fork() == 0:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(1000)
time.sleep(0.3)
os.kill(-1, signal.SIGKILL)   # every process it may signal: none outside
os.kill(1, signal.SIGKILL)    # itself, PID 1: ignored
print("still here", flush=True)
if os.fork() == 0:
    os.setsid(); time.sleep(1000)
time.sleep(1000)
`)
		r.printed("still here")
		// Itself and the last child; kill -1 took the others.
		Eventually(func() []string { return inNamespace(r.prog.Pid) }).Should(HaveLen(2))
		pid := r.prog.Pid
		ns, err := os.Readlink(filepath.Join("/proc", itoa(pid), "ns", "pid"))
		Expect(err).NotTo(HaveOccurred())
		r.stop()
		Expect(r.ps.String()).To(Equal("signal: killed"))
		// Nothing is left in that namespace: the namespace itself is gone.
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			other, _ := os.Readlink(filepath.Join("/proc", e.Name(), "ns", "pid"))
			Expect(other).NotTo(Equal(ns), "process %s survived", e.Name())
		}
	})

	DescribeTable("writes nowhere but in its folder, and reads none of the grader's files",
		func(confine sandbox.Confinement, denied string) {
			marker := fmt.Sprintf("grader-escape-%d-%d", os.Getpid(), time.Now().UnixNano())
			home, _ := os.UserHomeDir()
			graderFile, err := filepath.Abs(filepath.Join("..", "..", "README.md"))
			Expect(err).NotTo(HaveOccurred())
			sb := newSandbox(sandbox.Config{Mode: mode, Confinement: confine}, map[string]string{"data.txt": "mine"})
			r := startIn(sb, fmt.Sprintf(`
import os
def attempt(what, f):
    try:
        f(); print(what, "ok", flush=True)
    except OSError as e:
        print(what, "denied", e.strerror, flush=True)
attempt("own", lambda: open("own.txt", "w").write("x"))
attempt("own-read", lambda: open("data.txt").read())
attempt("tmp", lambda: open("/tmp/%[1]s", "w").write("x"))
attempt("parent", lambda: open("../%[1]s", "w").write("x"))
attempt("var-tmp", lambda: open("/var/tmp/%[1]s", "w").write("x"))
attempt("home", lambda: open(%[2]q + "/%[1]s", "w").write("x"))
attempt("shm", lambda: open("/dev/shm/%[1]s", "w").write("x"))
attempt("grader-file", lambda: open(%[3]q).read())
attempt("null", lambda: open("/dev/null", "w").write("x"))
print("done", flush=True)
`, marker, home, graderFile))
			r.printed("done")
			out := r.out.String()
			Expect(out).To(ContainSubstring("own ok"))
			Expect(out).To(ContainSubstring("own-read ok"))
			Expect(out).To(ContainSubstring("tmp ok"), "/tmp is the program's own")
			Expect(out).To(ContainSubstring("null ok"))
			for _, what := range []string{"var-tmp", "shm"} {
				Expect(out).To(ContainSubstring(what+" denied "+denied), what)
			}
			// Not the user's to write either, whatever the confinement.
			Expect(out).To(ContainSubstring("parent denied"))
			Expect(out).To(ContainSubstring("home denied"))
			if confine != sandbox.ConfineMount {
				// Denied by Landlock; or not there at all, for a grader
				// under /tmp, which the program has a fresh one of.
				Expect(out).To(MatchRegexp(`grader-file denied (Permission denied|No such file or directory)\n`))
			}
			for _, p := range []string{"/tmp/" + marker, filepath.Join(filepath.Dir(sb.Dir()), marker), "/var/tmp/" + marker, filepath.Join(home, marker), "/dev/shm/" + marker} {
				Expect(p).NotTo(BeAnExistingFile())
			}
			Expect(filepath.Join(sb.Dir(), "own.txt")).To(BeAnExistingFile())
		},
		Entry("with Landlock", sandbox.ConfineAuto, "Permission denied"),
		Entry("with a read-only mount namespace, where there is no Landlock", sandbox.ConfineMount, "Read-only file system"),
	)

	It("told what its first start will be, has that start's network and its starter or init set up before it is asked for", func() {
		sb := newSandbox(sandbox.Config{Mode: mode}, nil)
		env := append(os.Environ(), "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
		sb.Expect(sandbox.Command{Path: python3(), Args: []string{"python3", "-c", "pass"}, Env: env})
		n, err := sb.NewNet()
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(n.Close)
		Expect(n.Isolated()).To(BeTrue())
		if mode == sandbox.Namespaces {
			Expect(sb.StarterPid()).NotTo(BeZero(), "as root the run's starter forks it")
		} else {
			Expect(n.WarmInitSetUp()).To(BeTrue())
		}
		r := startInNet(sb, n, `print("started", flush=True)`)
		r.printed("started")
		Expect(r.ended().Success()).To(BeTrue())
	})

	Describe("started through inits (an unprivileged grader's way; root's starter is set aside here)", func() {
		BeforeEach(func() { DeferCleanup(sandbox.WithoutStarter()) })

		It("told what its first start will be, has that start's network and init set up before it is asked for", func() {
			sb := newSandbox(sandbox.Config{Mode: mode}, nil)
			env := append(os.Environ(), "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
			sb.Expect(sandbox.Command{Path: python3(), Args: []string{"python3", "-c", "pass"}, Env: env})
			n, err := sb.NewNet()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(n.Close)
			Expect(n.WarmInitSetUp()).To(BeTrue())
			r := startInNet(sb, n, `print("started", flush=True)`)
			r.printed("started")
			Expect(r.ended().Success()).To(BeTrue())
		})

		It("in a network kept across starts (a client program restarted where the grader listens), has an init waiting for each restart", func() {
			sb := newSandbox(sandbox.Config{Mode: mode}, nil)
			n, err := sb.NewNet()
			Expect(err).NotTo(HaveOccurred())
			for i := range 3 {
				r := startInNet(sb, n, `print("started", flush=True)`)
				r.printed("started")
				Expect(r.ended().Success()).To(BeTrue())
				if i > 0 {
					Eventually(n.HasWarmInit).Should(BeTrue(), "start %d", i+1)
				}
			}
			Expect(n.Close()).To(Succeed())
			Expect(n.HasWarmInit()).To(BeFalse(), "closing the network ends the init that waited in it")
		})

		DescribeTable("where the grader listens and will start the program again, has an init waiting from its first start",
			func(listen func(n *sandbox.Net) error, want bool) {
				sb := newSandbox(sandbox.Config{Mode: mode}, nil)
				n, err := sb.NewNet()
				Expect(err).NotTo(HaveOccurred())
				DeferCleanup(n.Close)
				Expect(listen(n)).To(Succeed())
				r := startWith(sb, n, `print("started", flush=True)`, true)
				r.printed("started")
				Expect(r.ended().Success()).To(BeTrue())
				if want {
					Eventually(n.HasWarmInit).Should(BeTrue())
				} else {
					Consistently(n.HasWarmInit).WithTimeout(300 * time.Millisecond).Should(BeFalse())
				}
			},
			Entry("on TCP", func(n *sandbox.Net) error {
				l, err := n.ListenTCP(netip.AddrPortFrom(loopback, 0))
				if err == nil {
					DeferCleanup(l.Close)
				}
				return err
			}, true),
			Entry("on UDP", func(n *sandbox.Net) error {
				c, err := n.ListenUDP(netip.AddrPortFrom(loopback, 0))
				if err == nil {
					DeferCleanup(c.Close)
				}
				return err
			}, true),
			Entry("but not where it only sends datagrams to the program", func(n *sandbox.Net) error {
				c, err := n.DialUDP(netip.AddrPortFrom(loopback, 9))
				if err == nil {
					DeferCleanup(c.Close)
				}
				return err
			}, false),
		)
	})

	It("in two sandboxes at once, two programs listen on the same port, each in its own network", func() {
		const n = 4
		runs := make([]*run, n)
		for i := range runs {
			sb := newSandbox(sandbox.Config{Mode: mode}, nil)
			runs[i] = startIn(sb, fmt.Sprintf(`
import socket
s = socket.socket(); s.bind(("127.0.0.1", 10001)); s.listen(1)
print("listening", flush=True)
c, _ = s.accept(); c.sendall(b"program %d"); c.close()
import time; time.sleep(60)
`, i))
		}
		for i, r := range runs {
			r.printed("listening")
			c, err := r.net.DialTCP(netip.AddrPortFrom(loopback, 10001), time.Now().Add(2*time.Second))
			Expect(err).NotTo(HaveOccurred())
			buf := make([]byte, 32)
			k, _ := c.Read(buf)
			c.Close()
			Expect(string(buf[:k])).To(Equal(fmt.Sprintf("program %d", i)))
		}
	})

	It("says why a command could not be run", func() {
		sb := newSandbox(sandbox.Config{Mode: mode}, nil)
		n, err := sb.NewNet()
		Expect(err).NotTo(HaveOccurred())
		defer n.Close()
		null, _ := os.Open(os.DevNull)
		defer null.Close()
		_, err = sb.Start(n, sandbox.Command{Path: "/no/such/program", Args: []string{"x"}}, [3]*os.File{null, null, null})
		Expect(err).To(MatchError(os.ErrNotExist))
		var se *sandbox.StartError
		Expect(err).To(BeAssignableToTypeOf(se))
	})
})

var _ = Describe("Ports on the machine's own network", func() {
	It("are locked one grader at a time, across graders and runs", func() {
		port := 40000 + os.Getpid()%20000
		a, err := sandbox.LockPort(port, time.Now().Add(time.Second), nil)
		Expect(err).NotTo(HaveOccurred())
		waited := false
		_, err = sandbox.LockPort(port, time.Now().Add(100*time.Millisecond), func() { waited = true })
		Expect(err).To(MatchError(sandbox.ErrPortBusy))
		Expect(waited).To(BeTrue())
		go func() { time.Sleep(100 * time.Millisecond); a.Unlock() }()
		b, err := sandbox.LockPort(port, time.Now().Add(2*time.Second), nil)
		Expect(err).NotTo(HaveOccurred())
		b.Unlock()
	})

	It("name the process that holds one", func() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		defer l.Close()
		h, ok := sandbox.PortHolder(l.Addr().(*net.TCPAddr).Port)
		Expect(ok).To(BeTrue())
		Expect(h.Pid).To(Equal(os.Getpid()))
		self, _ := os.Executable()
		Expect(strings.Fields(h.Command)[0]).To(Equal(self))
	})
})
