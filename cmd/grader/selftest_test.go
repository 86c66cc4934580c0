package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/acme-lab/grader/exercises"
)

// The sample submissions under fixtures/ are graded by grader selftest, the
// same command instructors run on their course folders: this repository's
// exercises/ is one, with its fixtures beside it. In the sandbox every
// program has a network of its own, so exercises are proven in parallel
// (ginkgo -p); without it, fixtures of one exercise share hard-coded ports,
// and exercises run one after another (Serial). Within one exercise
// fixtures go one at a time: the suite's processes keep the two cores busy
// already, and the checks' deadlines are tight. Nothing of a selftest may
// outlive it.
var _ = Describe("Proving the built-in exercises with their fixtures (grader selftest)", func() {
	var decorators []any
	if !isolatedHere {
		decorators = append(decorators, Serial)
	}
	for _, name := range exercises.Names() {
		It(name+": every fixture gets exactly the verdicts its fixture.yaml lists", append(decorators, func() {
			w := newWatch()
			cmd := exec.Command(graderBin, "selftest", name, "--exercises", "exercises")
			cmd.Dir = repoRoot()
			cmd.Env = append(os.Environ(), "NO_COLOR=1")
			s := w.start(cmd)
			Eventually(s).WithTimeout(300 * time.Second).Should(gexec.Exit())
			Expect(s).To(gexecExit(0), string(s.Out.Contents()))
			Expect(string(s.Out.Contents())).To(MatchRegexp(`selftest: (\d+) fixture\(s\) of 1 exercise\(s\): \d+ as expected, 0 mismatched, 0 flaky`))
			Eventually(w.processes).WithTimeout(time.Second).Should(BeEmpty())
			Expect(leftByGrader(cmd.Process.Pid)).To(BeEmpty())
		})...)
	}
})

// course copies the named built-in exercises and fixtures into a fresh
// course folder, returning its exercises folder.
func course(exercise string, fixtures ...string) string {
	root := GinkgoT().TempDir()
	Expect(os.MkdirAll(filepath.Join(root, "exercises"), 0o755)).To(Succeed())
	data, err := os.ReadFile(filepath.Join(repoRoot(), "exercises", exercise+".yaml"))
	Expect(err).NotTo(HaveOccurred())
	Expect(os.WriteFile(filepath.Join(root, "exercises", exercise+".yaml"), data, 0o644)).To(Succeed())
	for _, f := range fixtures {
		copyTree(filepath.Join(repoRoot(), "fixtures", exercise, f), filepath.Join(root, "fixtures", exercise, f))
	}
	return filepath.Join(root, "exercises")
}

func copyTree(from, to string) {
	Expect(filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, info.Mode())
	})).To(Succeed())
}

func edit(path, old, new string) {
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	Expect(string(data)).To(ContainSubstring(old))
	Expect(os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644)).To(Succeed())
}

var _ = Describe("grader selftest on a course folder", func() {
	It("exits 1 for a fixture with a wrong expected verdict, saying where and showing the transcript", func() {
		dir := course("http-by-hand", "good-crlf", "bad-host-header")
		fixture := filepath.Join(dir, "..", "fixtures", "http-by-hand", "good-crlf", "fixture.yaml")
		edit(fixture, "well-formed-headers: passed", "well-formed-headers: failed")
		s := grader("selftest", "--exercises", dir)
		Expect(s).To(gexecExit(1))
		out := string(s.Out.Contents())
		Expect(out).To(MatchRegexp(`http-by-hand\s+bad-host-header\s+\d+/\d+\s+1\s+\S+\s+ok`))
		Expect(out).To(MatchRegexp(`http-by-hand\s+good-crlf\s+\d+/\d+\s+1\s+\S+\s+MISMATCH`))
		Expect(out).To(MatchRegexp(`good-crlf/fixture.yaml:\d+:3: well-formed-headers expected failed, got passed \(seed 1234\)`))
		Expect(out).To(ContainSubstring("transcript:"))
		Expect(out).To(ContainSubstring("request.txt"))
		Expect(out).To(ContainSubstring("1 as expected, 1 mismatched, 0 flaky"))
	})

	It("names a check the fixture omits, and one the exercise lacks", func() {
		dir := course("http-by-hand", "good-crlf")
		fixture := filepath.Join(dir, "..", "fixtures", "http-by-hand", "good-crlf", "fixture.yaml")
		edit(fixture, "well-formed-headers: passed", "well-formed-header: passed")
		s := grader("selftest", "http-by-hand", "--exercises", dir)
		Expect(s).To(gexecExit(1))
		Expect(s.Out).To(gbytesSay(`well-formed-headers is passed, but fixture.yaml does not list it`))
		Expect(s.Out).To(gbytesSay(`well-formed-header: the exercise has no such check \(did you mean well-formed-headers\?\)`))
	})

	It("reports a check whose verdict changes between runs as flaky, with both transcripts", func() {
		root := GinkgoT().TempDir()
		dir := filepath.Join(root, "exercises")
		Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, "toggle.yaml"), []byte(`title: A server that answers yes and no in turn
submission: {files: [s.py], command: "python3 s.py {{ port }}"}
checks:
  - id: says-yes
    title: It says yes
    steps:
      - connect: {}
      - send: "{{ randInt(0, 1) }}"
      - expect: {exact: "yes", timeout: 1s}
`), 0o644)).To(Succeed())
		good := filepath.Join(root, "fixtures", "toggle", "good")
		Expect(os.MkdirAll(good, 0o755)).To(Succeed())
		// Each run has its own seed, so the grader sends 0 in run 1 (seed
		// 1234) and 1 in run 2; the program answers yes to 0 only. (No state
		// can be kept from run to run: in the sandbox nothing the program
		// writes outlives its run.)
		Expect(os.WriteFile(filepath.Join(good, "s.py"), []byte(`import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
c.sendall(b"yes" if c.recv(10) == b"0" else b"no")
c.close()
`), 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(good, "fixture.yaml"), []byte("about: flips\nverdicts:\n  says-yes: passed\n"), 0o644)).To(Succeed())
		s := grader("selftest", "toggle", "--exercises", dir, "--repeat", "2")
		Expect(s).To(gexecExit(1))
		Expect(s.Out).To(gbytesSay(`toggle\s+good\s+0/1\s+2\s+\S+\s+MISMATCH, FLAKY`))
		Expect(s.Out).To(gbytesSay(`says-yes is flaky: passed in run 1 \(seed 1234\), failed in run 2 \(seed 1235\)`))
		Expect(s.Out).To(gbytesSay(`run 1:`))
		Expect(s.Out).To(gbytesSay(`"yes"`))
		Expect(s.Out).To(gbytesSay(`run 2:`))
		Expect(s.Out).To(gbytesSay(`"no"`))
	})

	It("refuses a fixture.yaml with an unknown key or status, at file:line:col, with exit 2", func() {
		dir := course("http-by-hand", "good-crlf")
		fixture := filepath.Join(dir, "..", "fixtures", "http-by-hand", "good-crlf", "fixture.yaml")
		edit(fixture, "well-formed-headers: passed", "well-formed-headers: pased")
		s := grader("selftest", "--exercises", dir)
		Expect(s).To(gexecExit(2))
		Expect(s.Err).To(gbytesSay(`good-crlf/fixture.yaml:\d+:\d+: "pased" is not a verdict: passed, failed, skipped or error`))
	})

	It("says an exercise with no fixtures proves nothing, and exits 1", func() {
		dir := course("http-by-hand")
		s := grader("selftest", "--exercises", dir)
		Expect(s).To(gexecExit(1))
		Expect(s.Out).To(gbytesSay(`http-by-hand: no fixtures in .*fixtures/http-by-hand, so nothing proves it`))
	})
})
