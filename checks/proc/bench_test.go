package proc_test

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/acme-lab/grader/checks/proc"
)

// The floor: what the student's own program costs to start and listen,
// measured as a process that binds, listens and exits. The grader's
// overhead is what BenchmarkStartToListen and BenchmarkStop add to it.
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

// BenchmarkStartToListen is start until the grader sees the port, polling
// sock_diag every millisecond.
func BenchmarkStartToListen(b *testing.B) {
	py := python3(b)
	for b.Loop() {
		p, err := proc.Start(proc.Spec{Argv: []string{py, "-c", listenThenWait}, Env: os.Environ()})
		if err != nil {
			b.Fatal(err)
		}
		for {
			ls, err := p.Listening()
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

// BenchmarkStop is the cost of killing a listening program's tree with the
// default grace: SIGTERM, wait, sweep, reap.
func BenchmarkStop(b *testing.B) {
	py := python3(b)
	for b.Loop() {
		b.StopTimer()
		p, err := proc.Start(proc.Spec{Argv: []string{py, "-c", listenThenWait}, Env: os.Environ()})
		if err != nil {
			b.Fatal(err)
		}
		for ls, _ := p.Listening(); len(ls) == 0; ls, _ = p.Listening() {
			time.Sleep(time.Millisecond)
		}
		b.StartTimer()
		p.Stop(200 * time.Millisecond)
	}
}

// BenchmarkListeningPoll is one readiness poll while nothing new listens:
// two sock_diag queries.
func BenchmarkListeningPoll(b *testing.B) {
	py := python3(b)
	p, err := proc.Start(proc.Spec{Argv: []string{py, "-c", "import time; time.sleep(30)"}, Env: os.Environ()})
	if err != nil {
		b.Fatal(err)
	}
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
