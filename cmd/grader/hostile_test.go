package main_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
	"github.com/acme-lab/grader/selftest"
)

// isolatedHere: the grader will isolate programs on this machine, so the
// fixtures no longer share ports and may be graded at once.
var isolatedHere = sandbox.CanIsolate()

// The hostile submissions (fixtures/*/hostile-*) are graded one at a time
// by the command, as a user would, and judged as grader selftest judges
// them (verdicts, messages, notices, files outside). Then the suite looks,
// rather than assumes, for what the run left: the grader ran in a cgroup
// of its own (watch_test.go) and nothing may remain in it; no port the
// program listened on is listened on by the machine; the fixture's folder
// is as it was; no cgroup or private copy of that grader's pid remains.
var _ = Describe("Grading the hostile submissions", func() {
	dirs, _ := filepath.Glob(filepath.Join(repoRoot(), "fixtures", "*", "hostile-*", "fixture.yaml"))
	var decorators []any
	if !isolatedHere {
		decorators = append(decorators, Serial)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		exercise := filepath.Base(filepath.Dir(dir))
		It(exercise+"/"+filepath.Base(dir)+" gets its verdicts and messages, and leaves nothing behind", append(decorators, func() {
			gradeHostile(exercise, dir)
		})...)
	}
	It("are at least 25", func() { Expect(len(dirs)).To(BeNumerically(">=", 25)) })
})

func gradeHostile(exercise, dir string) {
	fx, err := selftest.LoadFixture(dir)
	Expect(err).NotTo(HaveOccurred())
	if fx.Sandbox == "required" && !isolatedHere {
		Skip("this hostile program is graded only in the sandbox: " + sandbox.Why())
	}
	gradeDir := dir
	if fx.Copy {
		gradeDir = copyFolder(dir)
	}
	if fx.HostListener != 0 {
		listenOnHost(fx.HostListener)
	}
	before := listing(gradeDir)
	args := []string{"check", exercise, "--dir", gradeDir, "--format", "json", "--seed", strconv.Itoa(selftest.DefaultSeed), "--show-hidden"}
	if fx.Cmd != "" {
		args = append(args, "--cmd", fx.Cmd)
	}
	if fx.Sandbox == "required" {
		args = append(args, "--sandbox", "required")
	}
	w := newWatch()
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = repoRoot()
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	s := w.start(cmd)
	Eventually(s).WithTimeout(120 * time.Second).Should(gexec.Exit())
	var res result.Result
	Expect(json.Unmarshal(s.Out.Contents(), &res)).To(Succeed(), string(s.Err.Contents()))
	Expect(selftest.Judge(fx, gradeDir, &res, 0)).To(BeEmpty(), "%s", s.Out.Contents())
	if fx.Good() {
		Expect(s).To(gexecExit(0))
	} else {
		Expect(s).To(gexecExit(1))
	}
	var notices []string
	for _, c := range res.Checks {
		notices = append(notices, c.Notices...)
	}
	for _, lim := range []string{"processes and threads", "memory limit", "CPU time limit", "file size limit", "open files"} {
		if !containsAny(fx.Notices, lim) {
			Expect(notices).NotTo(ContainElement(ContainSubstring(lim)), "a limit it did not meet is named")
		}
	}

	// What the run may have left behind.
	Eventually(w.processes).WithTimeout(time.Second).Should(BeEmpty(), "processes of the run are still alive")
	for _, port := range listenedPorts(&res) {
		Expect(listeningOnHost(port)).To(BeFalse(), "port %d is still listened on", port)
	}
	if !fx.Copy {
		Expect(listing(gradeDir)).To(Equal(before), "the program changed the fixture's folder")
	}
	Expect(leftByGrader(s.Command.Process.Pid)).To(BeEmpty(), "the grader left cgroups or copies behind")
}

func containsAny(list []string, s string) bool {
	for _, l := range list {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// listenedPorts are the ports the transcripts show the program listening on.
func listenedPorts(res *result.Result) []int {
	seen := map[int]bool{}
	var out []int
	for _, c := range res.Checks {
		for _, e := range c.Transcript {
			if e.Kind != result.Listen {
				continue
			}
			if _, p, err := net.SplitHostPort(e.Data); err == nil {
				if port, _ := strconv.Atoi(p); port != 0 && !seen[port] {
					seen[port] = true
					out = append(out, port)
				}
			}
		}
	}
	return out
}

// listeningOnHost tells whether a process of this machine's own network
// listens on port, by sock_diag.
func listeningOnHost(port int) bool {
	socks, err := sandbox.HostNet().Listening()
	if err != nil {
		return false
	}
	for _, s := range socks {
		if s.Port == port {
			return true
		}
	}
	return false
}

// listenOnHost keeps a server listening on the machine, on port or the
// next free one below 30000, for the spec's duration.
func listenOnHost(port int) {
	for ; port < 30000; port++ {
		if l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			DeferCleanup(l.Close)
			return
		}
	}
	Fail("no free port to listen on below 30000")
}

// listing names every file under dir, with its size.
func listing(dir string) []string {
	var out []string
	_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, fmt.Sprintf("%s %d", rel, info.Size()))
		}
		return nil
	})
	return out
}

func copyFolder(dir string) string {
	to := filepath.Join(GinkgoT().TempDir(), filepath.Base(dir))
	Expect(os.CopyFS(to, os.DirFS(dir))).To(Succeed())
	// An ordinary user's grader runs the program as that user, who must
	// be able to write in the copy.
	Expect(os.Chmod(filepath.Dir(to), 0o755)).To(Succeed())
	Expect(os.Chmod(to, 0o777)).To(Succeed())
	return to
}

// leftByGrader lists the cgroups and private copies that the grader with
// this pid made and did not remove.
func leftByGrader(pid int) []string {
	var out []string
	for _, pattern := range []string{
		fmt.Sprintf("/sys/fs/cgroup/*/grader-%d-*", pid),
		filepath.Join(os.TempDir(), fmt.Sprintf("grader-run-%d-*", pid)),
	} {
		found, _ := filepath.Glob(pattern)
		out = append(out, found...)
	}
	return out
}
