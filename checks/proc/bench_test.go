package proc_test

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/acme-lab/grader/checks/proc"
	"github.com/acme-lab/grader/checks/sandbox"
)

// The floor: what the student's own program costs to start and listen,
// measured as a process that binds, listens and exits. The grader's
// overhead is what BenchmarkStartToListen and BenchmarkStop add to it,
// unsandboxed (mode None: the machine's network, rlimits) and sandboxed
// (a network, PID and mount namespaces of its own, a slot uid, Landlock).
const listenThenExit = `import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)`
const listenThenWait = listenThenExit + `; import time; time.sleep(30)`

func python3(b *testing.B) string {
	p := proc.ResolveInterpreter([]string{"python3"}, ".")[0]
	if _, err := exec.LookPath(p); err != nil {
		b.Skip("python3 not found")
	}
	return p
}

func BenchmarkFloorPythonListenAndExit(b *testing.B) {
	py := python3(b)
	for b.Loop() {
		if err := exec.Command(py, "-c", listenThenExit).Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// starter starts programs as a run would: one sandbox, a fresh network
// for each start.
type starter struct {
	sb *sandbox.Sandbox
	n  *sandbox.Net
}

func newStarter(b *testing.B, sandboxed bool) *starter {
	mode := sandbox.None
	if sandboxed {
		m, err := sandbox.Resolve(sandbox.Required)
		if err != nil {
			b.Skip(err)
		}
		mode = m
	}
	sb, err := sandbox.New(sandbox.Config{Mode: mode, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sb.Close() })
	return &starter{sb: sb}
}

func (s *starter) start(b *testing.B, code string) *proc.Process {
	if s.n != nil {
		s.n.Close()
	}
	n, err := s.sb.NewNet()
	if err != nil {
		b.Fatal(err)
	}
	s.n = n
	p, err := proc.Start(proc.Spec{Argv: []string{python3(b), "-c", code}, Dir: s.sb.Dir(), Env: os.Environ(), Sandbox: s.sb, Net: n})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func waitListening(b *testing.B, p *proc.Process) {
	for {
		ls, err := p.Listening()
		if err != nil {
			b.Fatal(err)
		}
		if len(ls) > 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkStartToListen is start until the grader sees the port, polling
// sock_diag every millisecond.
func BenchmarkStartToListen(b *testing.B)          { benchStartToListen(b, false) }
func BenchmarkStartToListenSandboxed(b *testing.B) { benchStartToListen(b, true) }

func benchStartToListen(b *testing.B, sandboxed bool) {
	s := newStarter(b, sandboxed)
	for b.Loop() {
		p := s.start(b, listenThenWait)
		waitListening(b, p)
		b.StopTimer()
		p.Stop(0)
		b.StartTimer()
	}
}

// BenchmarkStop is the cost of killing a listening program's tree with the
// default grace: unsandboxed, SIGTERM, wait, sweep, reap; sandboxed, the
// SIGKILL of its PID 1 (it has no SIGTERM handler) and the reap of its
// namespace.
func BenchmarkStop(b *testing.B)          { benchStop(b, false) }
func BenchmarkStopSandboxed(b *testing.B) { benchStop(b, true) }

func benchStop(b *testing.B, sandboxed bool) {
	s := newStarter(b, sandboxed)
	for b.Loop() {
		b.StopTimer()
		p := s.start(b, listenThenWait)
		waitListening(b, p)
		b.StartTimer()
		p.Stop(200 * time.Millisecond)
	}
}

// BenchmarkListeningPoll is one readiness poll while nothing new listens.
func BenchmarkListeningPoll(b *testing.B)          { benchPoll(b, false) }
func BenchmarkListeningPollSandboxed(b *testing.B) { benchPoll(b, true) }

func benchPoll(b *testing.B, sandboxed bool) {
	s := newStarter(b, sandboxed)
	p := s.start(b, "import time; time.sleep(30)")
	defer p.Stop(0)
	for b.Loop() {
		if _, err := p.Listening(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoundUDPPoll is one poll for a bound UDP port while nothing new
// is bound (the machine's UDP sockets are known to be someone else's): two
// sock_diag queries of every UDP socket, as BenchmarkListeningPoll for TCP.
func BenchmarkBoundUDPPoll(b *testing.B) {
	py := python3(b)
	p, err := proc.Start(proc.Spec{Argv: []string{py, "-c", "import time; time.sleep(30)"}, Env: os.Environ()})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Stop(0)
	for b.Loop() {
		if _, err := p.BoundUDP(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartToBindUDP is start until the grader sees the UDP port,
// polling every millisecond: the floor is BenchmarkFloorPythonListenAndExit.
func BenchmarkStartToBindUDP(b *testing.B) {
	py := python3(b)
	for b.Loop() {
		p, err := proc.Start(proc.Spec{Argv: []string{py, "-c", `import socket, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); time.sleep(30)`}, Env: os.Environ()})
		if err != nil {
			b.Fatal(err)
		}
		for {
			ls, err := p.BoundUDP()
			if err != nil {
				b.Fatal(err)
			}
			if len(ls) > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		p.Stop(0)
		b.StartTimer()
	}
}
