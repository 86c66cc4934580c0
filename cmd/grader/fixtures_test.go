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
	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/sandbox"
)

// fixture.yaml, beside each sample submission, says what the grader must
// conclude about it, check by check, and, for a hostile one, what the
// report must say and where it must leave nothing.
type fixtureSpec struct {
	About    string    `yaml:"about"`
	Cmd      string    `yaml:"cmd"`
	Verdicts yaml.Node `yaml:"verdicts"`
	// Sandbox: required grades it only where programs are isolated, and
	// with --sandbox required: unsandboxed it would kill the grader, or
	// every process of the machine.
	Sandbox string `yaml:"sandbox"`
	// Messages: a check's message must hold this text.
	Messages map[string]string `yaml:"messages"`
	// Notices: some check's notices must hold each.
	Notices []string `yaml:"notices"`
	// Outside: files the program tries to write outside its folder; none
	// may exist afterwards ("~/" is the home folder, relative paths are
	// from the submission folder).
	Outside []string `yaml:"outside"`
	// Copy: the program writes in its folder, so a copy is graded.
	Copy bool `yaml:"copy"`
	// HostListener: the suite keeps a server of its own listening on the
	// machine at this port (or the next free one up to 29999), for a
	// program that hunts for it.
	HostListener int `yaml:"host_listener"`
}

type verdict struct{ id, status string }

func loadFixture(dir string) (fixtureSpec, []verdict) {
	var spec fixtureSpec
	data, err := os.ReadFile(filepath.Join(dir, "fixture.yaml"))
	Expect(err).NotTo(HaveOccurred())
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	Expect(dec.Decode(&spec)).To(Succeed(), dir)
	var out []verdict
	for i := 0; i+1 < len(spec.Verdicts.Content); i += 2 {
		out = append(out, verdict{spec.Verdicts.Content[i].Value, spec.Verdicts.Content[i+1].Value})
	}
	return spec, out
}

type jsonResult struct {
	Exercise string `json:"exercise"`
	Seed     uint64 `json:"seed"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Sandbox  string `json:"sandbox"`
	Checks   []struct {
		ID         string   `json:"id"`
		Status     string   `json:"status"`
		Message    string   `json:"message"`
		Notices    []string `json:"notices"`
		Transcript []struct {
			Kind string `json:"kind"`
			Data string `json:"data"`
		} `json:"transcript"`
	} `json:"checks"`
}

// isolatedHere: the grader will isolate programs on this machine, so the
// fixtures no longer share ports and may be graded at once.
var isolatedHere = sandbox.CanIsolate()

// Every fixture under fixtures/EXERCISE/NAME is graded and each check's
// verdict compared with its fixture.yaml. In the sandbox each program has a
// network of its own, so fixtures that hard-code one port are graded in
// parallel (ginkgo -p); without it they share the machine's and go one
// after another (Serial). After each, the suite looks for what the run may
// have left: processes, listening ports, files, cgroups.
var _ = Describe("Grading the sample submissions", func() {
	dirs, _ := filepath.Glob(filepath.Join(repoRoot(), "fixtures", "*", "*", "fixture.yaml"))
	var decorators []any
	if !isolatedHere {
		decorators = append(decorators, Serial)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		exercise := filepath.Base(filepath.Dir(dir))
		name := filepath.Base(dir)
		It(exercise+"/"+name+" gets exactly the verdicts its fixture.yaml lists, and leaves nothing behind", append(decorators, func() {
			gradeFixture(exercise, dir)
		})...)
	}
})

func gradeFixture(exercise, dir string) {
	spec, want := loadFixture(dir)
	if spec.Sandbox == "required" && !isolatedHere {
		Skip("this hostile program is graded only in the sandbox: " + sandbox.Why())
	}
	gradeDir := dir
	if spec.Copy {
		gradeDir = copyFolder(dir)
	}
	if spec.HostListener != 0 {
		listenOnHost(spec.HostListener)
	}
	before := listing(gradeDir)
	args := []string{"check", exercise, "--dir", gradeDir, "--format", "json", "--seed", "1234", "--show-hidden"}
	if spec.Cmd != "" {
		args = append(args, "--cmd", spec.Cmd)
	}
	if spec.Sandbox == "required" {
		args = append(args, "--sandbox", "required")
	}
	w := newWatch()
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = repoRoot()
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	s := w.start(cmd)
	Eventually(s).WithTimeout(120 * time.Second).Should(gexec.Exit())
	var res jsonResult
	Expect(json.Unmarshal(s.Out.Contents(), &res)).To(Succeed(), string(s.Err.Contents()))

	got := map[string]string{}
	var order []string
	for _, c := range res.Checks {
		got[c.ID] = c.Status
		order = append(order, c.ID)
	}
	var wantOrder []string
	for _, v := range want {
		wantOrder = append(wantOrder, v.id)
		Expect(got[v.id]).To(Equal(v.status), "check %s of %s: %s", v.id, filepath.Base(dir), messageOf(res, v.id))
	}
	Expect(order).To(Equal(wantOrder), "fixture.yaml must list every check, in order")
	allPassed := true
	for _, v := range want {
		allPassed = allPassed && v.status == "passed"
	}
	if allPassed {
		Expect(s).To(gexecExit(0))
		Expect(res.Score).To(Equal(res.MaxScore))
	} else {
		Expect(s).To(gexecExit(1))
	}
	for id, text := range spec.Messages {
		Expect(messageOf(res, id)).To(ContainSubstring(text), "the message of %s", id)
	}
	var notices []string
	for _, c := range res.Checks {
		notices = append(notices, c.Notices...)
	}
	for _, n := range spec.Notices {
		Expect(notices).To(ContainElement(ContainSubstring(n)))
	}
	for _, lim := range []string{"processes and threads", "memory limit", "CPU time limit", "file size limit", "open files"} {
		if !containsAny(spec.Notices, lim) {
			Expect(notices).NotTo(ContainElement(ContainSubstring(lim)), "a limit it did not meet is named")
		}
	}

	// What the run may have left behind.
	Eventually(w.processes).WithTimeout(time.Second).Should(BeEmpty(), "processes of the run are still alive")
	for _, port := range listenedPorts(res) {
		Expect(listeningOnHost(port)).To(BeFalse(), "port %d is still listened on", port)
	}
	for _, p := range spec.Outside {
		Expect(outsidePath(gradeDir, p)).NotTo(BeAnExistingFile(), "the program wrote outside its folder")
	}
	if !spec.Copy {
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

func messageOf(res jsonResult, id string) string {
	for _, c := range res.Checks {
		if c.ID == id {
			return c.Message
		}
	}
	return "no such check in the result"
}

// listenedPorts are the ports the transcripts show the program listening on.
func listenedPorts(res jsonResult) []int {
	seen := map[int]bool{}
	var out []int
	for _, c := range res.Checks {
		for _, e := range c.Transcript {
			if e.Kind != "listen" {
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

func outsidePath(dir, p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		home, _ := os.UserHomeDir()
		return filepath.Join(home, rest)
	}
	if !filepath.IsAbs(p) {
		return filepath.Join(dir, p)
	}
	return p
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
