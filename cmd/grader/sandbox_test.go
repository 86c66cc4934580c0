package main_test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// run grades as a user would, in a watch (see watch_test.go), and returns
// the JSON result and the session; extra changes the command first.
func gradeJSON(w *watch, extra func(*exec.Cmd), args ...string) (jsonResult, *gexec.Session) {
	cmd := exec.Command(graderBin, append(args, "--format", "json")...)
	cmd.Dir = repoRoot()
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	if extra != nil {
		extra(cmd)
	}
	s := w.start(cmd)
	Eventually(s).WithTimeout(120 * time.Second).Should(gexec.Exit())
	var res jsonResult
	Expect(json.Unmarshal(s.Out.Contents(), &res)).To(Succeed(), string(s.Err.Contents()))
	return res, s
}

func fixture(exercise, name string) string {
	return filepath.Join(repoRoot(), "fixtures", exercise, name)
}

func needsIsolation() {
	if !isolatedHere {
		Skip("programs cannot be isolated on this machine")
	}
}

func needsRoot() {
	if os.Geteuid() != 0 {
		Skip("needs root")
	}
}

var _ = Describe("The sandbox, as a user of the grader sees it", func() {
	It("gives two graders of two submissions that both hard-code port 10001, run at once, full marks, 20 times out of 20", func() {
		needsIsolation()
		for round := 1; round <= 20; round++ {
			var wg sync.WaitGroup
			scores := make([]string, 2)
			for i, name := range []string{"good-lab", "good-menu"} {
				wg.Add(1)
				go func() {
					defer GinkgoRecover()
					defer wg.Done()
					res, _ := gradeJSON(nil, nil, "check", "problem2", "--dir", fixture("problem2", name), "--seed", fmt.Sprint(round))
					scores[i] = fmt.Sprintf("%s %d/%d", name, res.Score, res.MaxScore)
				}()
			}
			wg.Wait()
			Expect(scores).To(Equal([]string{"good-lab 8/8", "good-menu 8/8"}), "round %d", round)
		}
	})

	It("leaves nothing of the program running a second after the grader is killed with SIGKILL, and the next grader removes its cgroups and copy at once", func() {
		needsRoot()
		needsIsolation()
		w := newWatch()
		if w == nil {
			Skip("needs a cgroup v1 cpuacct hierarchy to see the grader's processes")
		}
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "simple_server.py"), []byte(`
import os, socket, time
if os.fork() == 0:
    time.sleep(1000); os._exit(0)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(1000)
    os._exit(0)
os.system("nohup sleep 1000 >/dev/null 2>&1 &")
s = socket.socket(); s.bind(("127.0.0.1", 33498)); s.listen(1)
c, _ = s.accept()
time.sleep(1000)
`), 0o644)).To(Succeed())
		cmd := exec.Command(graderBin, "check", "problem1", "--dir", dir)
		s := w.start(cmd)
		// The grader, the program, its child, the daemon, the sleep.
		Eventually(func() int { return len(w.processes()) }).WithTimeout(10 * time.Second).Should(BeNumerically(">=", 5))
		killed := cmd.Process.Pid
		Expect(cmd.Process.Signal(syscall.SIGKILL)).To(Succeed())
		Eventually(s).Should(gexec.Exit())
		Eventually(w.processes).WithTimeout(time.Second).Should(BeEmpty())

		_, _ = gradeJSON(nil, nil, "check", "problem1", "--dir", fixture("problem1", "good-lab"))
		Expect(leftByGrader(killed)).To(BeEmpty())
	})

	It("run by an ordinary user, isolates programs in user namespaces of their own", func() {
		needsRoot() // to become the ordinary user
		if !isolatedHere {
			Skip("programs cannot be isolated on this machine")
		}
		bin := binaryForAll()
		w := newWatch()
		asNobody := func(cmd *exec.Cmd) {
			cmd.Path = bin
			cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent", "NO_COLOR=1"}
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		for _, c := range []struct{ exercise, name, score string }{
			{"problem2", "good-lab", "8/8"},
			{"problem1", "hostile-kills-parent", "4/4"},
			{"problem1-client", "good-lab", "4/4"},
		} {
			res, s := gradeJSON(w, asNobody, "check", c.exercise, "--dir", fixture(c.exercise, c.name), "--sandbox", "required")
			Expect(res.Sandbox).To(Equal("user-namespaces"), string(s.Err.Contents()))
			Expect(fmt.Sprintf("%d/%d", res.Score, res.MaxScore)).To(Equal(c.score), "%s/%s", c.exercise, c.name)
			Eventually(w.processes).WithTimeout(time.Second).Should(BeEmpty())
		}
	})

	It("with --sandbox required, exits 2 and says why where namespaces are refused; with auto, falls back and says so", func() {
		needsRoot()
		if _, err := exec.LookPath("unshare"); err != nil {
			Skip("needs unshare (util-linux)")
		}
		// Root of a user namespace that may make no network namespace.
		refused := func(args ...string) *gexec.Session {
			script := `echo 0 > /proc/sys/user/max_net_namespaces && exec "$@"`
			cmd := exec.Command("unshare", append([]string{"-U", "-r", "sh", "-c", script, "sh", graderBin}, args...)...)
			cmd.Dir = repoRoot()
			cmd.Env = append(os.Environ(), "NO_COLOR=1")
			s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
			Expect(err).NotTo(HaveOccurred())
			Eventually(s).WithTimeout(60 * time.Second).Should(gexec.Exit())
			return s
		}
		s := refused("check", "problem1", "--dir", fixture("problem1", "good-lab"), "--sandbox", "required")
		Expect(s).To(gexecExit(2))
		Expect(string(s.Err.Contents())).To(HavePrefix("grader: --sandbox required: the sandbox is not available: network namespaces are refused here"))

		s = refused("check", "problem1", "--dir", fixture("problem1", "good-lab"))
		Expect(s).To(gexecExit(0))
		Expect(string(s.Out.Contents())).To(MatchRegexp(`seed \d+  ·  sandbox: none(  ·  folder |\n)`))
	})
})

// Unsandboxed, programs share the machine's loopback: these specs use its
// ports and run alone.
var _ = Describe("Without the sandbox (--sandbox none)", Serial, func() {
	It("grades a correct submission as before, and says that programs were not isolated", func() {
		w := newWatch()
		res, s := gradeJSON(w, nil, "check", "problem2", "--dir", fixture("problem2", "good-lab"), "--sandbox", "none")
		Expect(res.Sandbox).To(Equal("none"))
		Expect(res.Score).To(Equal(8), string(s.Out.Contents()))
		Eventually(w.processes).WithTimeout(time.Second).Should(BeEmpty())
		text := grader("check", "problem2", "--dir", fixture("problem2", "good-lab"), "--sandbox", "none")
		Expect(string(text.Out.Contents())).To(MatchRegexp(`seed \d+  ·  sandbox: none(  ·  folder |\n)`))
	})

	It("names the process that holds the program's port, and says what to do", func() {
		holder := exec.Command(python(), "-c", "import socket, sys, time; s = socket.socket(); s.bind(('127.0.0.1', 10001)); s.listen(1); print('ready', flush=True); time.sleep(60)")
		out, err := holder.StdoutPipe()
		Expect(err).NotTo(HaveOccurred())
		Expect(holder.Start()).To(Succeed())
		DeferCleanup(func() { _ = holder.Process.Kill(); _ = holder.Wait() })
		line := make([]byte, 6)
		_, err = io.ReadFull(out, line)
		Expect(err).NotTo(HaveOccurred())

		res, _ := gradeJSON(nil, nil, "check", "problem2", "--dir", fixture("problem2", "good-lab"), "--sandbox", "none")
		pid := holder.Process.Pid
		Expect(messageOf(res, "listens")).To(Equal(fmt.Sprintf("Port 10001 is in use by pid %d (%s -c import socket, sys, time; s = socket.socket(); s.bind(('127.0.0.1', 10001)); s.listen(1); print('ready', flush=True); time.sleep(60)), so your program could not listen there. Stop it (kill %d) and grade again; on Linux the grader can also run your program apart from it (--sandbox auto).", pid, python(), pid)))
	})

	It("lets two graders that need the same port take turns: both give full marks", func() {
		var wg sync.WaitGroup
		scores := make([]int, 2)
		for i, name := range []string{"good-lab", "good-menu"} {
			wg.Add(1)
			go func() {
				defer GinkgoRecover()
				defer wg.Done()
				res, _ := gradeJSON(nil, nil, "check", "problem2", "--dir", fixture("problem2", name), "--sandbox", "none")
				scores[i] = res.Score
			}()
		}
		wg.Wait()
		Expect(scores).To(Equal([]int{8, 8}))
	})

	It("resets rather than closes a connection the server already closed: an immediate rerun binds the port again, with the same score", func() {
		dir := GinkgoT().TempDir()
		// One reply per connection, then the server closes first; no
		// SO_REUSEADDR, so a TIME_WAIT on 33498 would stop the next start.
		Expect(os.WriteFile(filepath.Join(dir, "simple_server.py"), []byte(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 33498)); s.listen(5)
while True:
    c, _ = s.accept()
    data = c.recv(2048)
    c.sendall(data + b" " + time.strftime("%H:%M:%S").encode())
    c.close()
`), 0o644)).To(Succeed())
		var scores []int
		for range 2 {
			res, _ := gradeJSON(nil, nil, "check", "problem1", "--dir", dir, "--sandbox", "none")
			Expect(messageOf(res, "listens")).To(BeEmpty())
			scores = append(scores, res.Score)
		}
		Expect(scores[0]).To(BeNumerically(">=", 2))
		Expect(scores[1]).To(Equal(scores[0]))
	})
})

func python() string {
	if p, err := exec.LookPath("/usr/bin/python3"); err == nil {
		return p
	}
	p, err := exec.LookPath("python3")
	Expect(err).NotTo(HaveOccurred())
	return p
}

// binaryForAll is the grader, copied where any user may run it.
func binaryForAll() string {
	dir := GinkgoT().TempDir()
	Expect(os.Chmod(dir, 0o755)).To(Succeed())
	Expect(os.Chmod(filepath.Dir(dir), 0o755)).To(Succeed())
	data, err := os.ReadFile(graderBin)
	Expect(err).NotTo(HaveOccurred())
	bin := filepath.Join(dir, "grader")
	Expect(os.WriteFile(bin, data, 0o755)).To(Succeed())
	return bin
}
