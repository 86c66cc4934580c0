package sandbox_test

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/acme-lab/grader/checks/sandbox"
)

// The cost of the sandbox per program start, as a check waits for it: from
// asking for a start until the program runs. /bin/true is started plainly
// (the floor: fork and exec); through the init mode without namespaces
// (mode None: rlimits only); in the sandbox (a network namespace of its
// own, PID and mount namespaces, a per-slot uid, Landlock). The sandboxed
// start is measured as a run sees it, with the next start's network and
// init made ahead while a program lives (100 ms here: a Python server's
// start and an exchange or two), and cold, with nothing made ahead.

const programLife = 100 * time.Millisecond

func BenchmarkStartPlain(b *testing.B) {
	for b.Loop() {
		cmd := exec.Command("/bin/true")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = cmd.Wait()
		time.Sleep(programLife)
		b.StartTimer()
	}
}

func BenchmarkStartNone(b *testing.B) { benchStart(b, sandbox.None, false) }

func BenchmarkStartSandboxed(b *testing.B) { benchStart(b, sandboxMode(b), false) }

func BenchmarkStartSandboxedCold(b *testing.B) { benchStart(b, sandboxMode(b), true) }

func sandboxMode(b *testing.B) sandbox.Mode {
	m, err := sandbox.Resolve(sandbox.Required)
	if err != nil {
		b.Skip(err)
	}
	return m
}

func benchStart(b *testing.B, m sandbox.Mode, cold bool) {
	dir := b.TempDir()
	sb, err := sandbox.New(sandbox.Config{Mode: m, Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	null, _ := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	defer null.Close()
	start := func() {
		n, err := sb.NewNet()
		if err != nil {
			b.Fatal(err)
		}
		p, err := sb.Start(n, sandbox.Command{Path: "/bin/true", Args: []string{"true"}, Env: os.Environ()}, [3]*os.File{null, null, null})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := p.Wait(); err != nil {
			b.Fatal(err)
		}
		p.Finish(nil)
		n.Close()
		time.Sleep(programLife)
		b.StartTimer()
	}
	b.StopTimer()
	start() // the first start of a run is always cold
	b.StartTimer()
	for b.Loop() {
		if cold {
			b.StopTimer()
			sb.Close()
			if sb, err = sandbox.New(sandbox.Config{Mode: m, Dir: dir}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		start()
	}
}

func BenchmarkNewNet(b *testing.B) {
	for b.Loop() {
		sb, err := sandbox.New(sandbox.Config{Mode: sandboxMode(b), Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		n, err := sb.NewNet()
		if err != nil {
			b.Fatal(err)
		}
		n.Close()
		sb.Close()
	}
}

// What the sandbox costs the program itself: a Python interpreter started
// and ended (python3 -c pass), plainly and in the sandbox, where the next
// start's network is made beside it as in a run. As root the run's
// starter forks it; through inits (an unprivileged grader's way), the
// next start's init is made beside it too, and on two cores that slows
// the interpreter's start-up. What is left of the difference is the
// request to the starter, the fork into new namespaces and Landlock's
// checks on the interpreter's many opens.
func BenchmarkPythonPlain(b *testing.B) {
	py := python3ForBench(b)
	for b.Loop() {
		if err := exec.Command(py, "-c", "pass").Run(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		time.Sleep(programLife / 5)
		b.StartTimer()
	}
}

func BenchmarkPythonSandboxed(b *testing.B) { benchPython(b) }

func BenchmarkPythonThroughInits(b *testing.B) {
	defer sandbox.WithoutStarter()()
	benchPython(b)
}

func benchPython(b *testing.B) {
	py := python3ForBench(b)
	dir := b.TempDir()
	sb, err := sandbox.New(sandbox.Config{Mode: sandboxMode(b), Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	null, _ := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	defer null.Close()
	for b.Loop() {
		n, err := sb.NewNet()
		if err != nil {
			b.Fatal(err)
		}
		p, err := sb.Start(n, sandbox.Command{Path: py, Args: []string{"python3", "-c", "pass"}, Env: os.Environ()}, [3]*os.File{null, null, null})
		if err != nil {
			b.Fatal(err)
		}
		e, err := p.Wait()
		if err != nil || !e.Success() {
			b.Fatal(e, err)
		}
		b.StopTimer()
		p.Finish(e)
		n.Close()
		time.Sleep(programLife / 5)
		b.StartTimer()
	}
}

func python3ForBench(b *testing.B) string {
	py, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		b.Skip("no /usr/bin/python3")
	}
	return py
}
