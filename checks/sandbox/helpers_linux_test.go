package sandbox_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/sandbox"
)

// isolated skips a spec on a machine where the sandbox cannot be had, and
// gives the mode it runs in otherwise.
func isolated() sandbox.Mode {
	m, err := sandbox.Resolve(sandbox.Required)
	if err != nil {
		Skip(err.Error())
	}
	return m
}

func python3() string {
	for _, p := range []string{"/usr/bin/python3", "/usr/local/bin/python3"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		Skip("python3 not found")
	}
	return p
}

// run is one program started in a sandbox of its own, whose output is
// collected.
type run struct {
	sb   *sandbox.Sandbox
	net  *sandbox.Net
	prog *sandbox.Program
	out  *syncBuffer
	done chan struct{}
	ps   *sandbox.Exit
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newSandbox makes a sandbox for a fresh folder holding files.
func newSandbox(cfg sandbox.Config, files map[string]string) *sandbox.Sandbox {
	if cfg.Dir == "" {
		cfg.Dir = GinkgoT().TempDir()
	}
	for name, text := range files {
		Expect(os.WriteFile(filepath.Join(cfg.Dir, name), []byte(text), 0o644)).To(Succeed())
	}
	sb, err := sandbox.New(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(sb.Close)
	return sb
}

// startIn starts python3 -c code in sb, in a fresh network.
func startIn(sb *sandbox.Sandbox, code string) *run {
	n, err := sb.NewNet()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(n.Close)
	return startInNet(sb, n, code)
}

func startInNet(sb *sandbox.Sandbox, n *sandbox.Net, code string) *run {
	return startWith(sb, n, code, false)
}

// startWith is startInNet, saying whether the program will be started
// again in n (sandbox.Command.Again).
func startWith(sb *sandbox.Sandbox, n *sandbox.Net, code string, again bool) *run {
	r := &run{sb: sb, net: n, out: &syncBuffer{}, done: make(chan struct{})}
	null, err := os.Open(os.DevNull)
	Expect(err).NotTo(HaveOccurred())
	defer null.Close()
	pr, pw, err := os.Pipe()
	Expect(err).NotTo(HaveOccurred())
	env := append(os.Environ(), "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
	r.prog, err = sb.Start(n, sandbox.Command{Path: python3(), Args: []string{"python3", "-c", code}, Env: env, Again: again}, [3]*os.File{null, pw, pw})
	pw.Close()
	Expect(err).NotTo(HaveOccurred())
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(r.out, pr); pr.Close(); close(copied) }()
	go func() {
		r.ps, _ = r.prog.Wait()
		select {
		case <-copied:
		case <-time.After(time.Second):
		}
		close(r.done)
	}()
	DeferCleanup(r.stop)
	return r
}

// stop kills the program and waits for it.
func (r *run) stop() {
	r.prog.Kill()
	Eventually(r.done).WithTimeout(5 * time.Second).Should(BeClosed())
	r.prog.Finish(r.ps)
}

// printed waits until the program printed s.
func (r *run) printed(s string) {
	GinkgoHelper()
	Eventually(r.out.String).WithTimeout(10*time.Second).Should(ContainSubstring(s), "the program printed: %s", r.out.String())
}

// ended waits until the program ended by itself.
func (r *run) ended() *sandbox.Exit {
	GinkgoHelper()
	Eventually(r.done).WithTimeout(20*time.Second).Should(BeClosed(), "the program printed: %s", r.out.String())
	return r.ps
}

// inNamespace lists the live processes (zombies aside) in the PID
// namespace of the process /proc numbers pid.
func inNamespace(pid int) []string {
	want, err := os.Readlink(filepath.Join("/proc", itoa(pid), "ns", "pid"))
	if err != nil {
		return nil
	}
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		ns, err := os.Readlink(filepath.Join("/proc", e.Name(), "ns", "pid"))
		if err != nil || ns != want {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil && !bytes.Contains(stat[bytes.LastIndexByte(stat, ')'):], []byte(") Z ")) {
			out = append(out, e.Name())
		}
	}
	return out
}
