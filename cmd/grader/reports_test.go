package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/acme-lab/grader/report/reporttest"
)

// graderIn runs the built binary as a GitHub Actions step would: env adds
// variables (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), and the runner's own are
// removed so a run of this suite inside Actions writes nothing there.
func graderIn(env []string, args ...string) *gexec.Session {
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = repoRoot()
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GITHUB_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append([]string{"NO_COLOR=1"}, env...)...)
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(s).WithTimeout(120 * 1e9).Should(gexec.Exit())
	return s
}

// fileFormats are the formats written to files in these specs, by file name.
var fileFormats = map[string]string{
	"json": "result.json", "junit": "junit.xml", "gradescope": "results.json",
	"github-classroom": "classroom.b64", "ctrf": "ctrf.json", "tap": "result.tap",
}

func reportFlags(dir string) []string {
	var args []string
	for format, file := range fileFormats {
		args = append(args, "--report", format+"="+filepath.Join(dir, file))
	}
	return args
}

func read(path string) string {
	GinkgoHelper()
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	return string(data)
}

var _ = Describe("Reports for CI and grading platforms", Serial, func() {
	Context("for a submission whose output forges verdicts (fixtures/problem1/hostile-forged-output)", Ordered, func() {
		var dir, stdout string
		BeforeAll(func() {
			dir = GinkgoT().TempDir()
			Expect(os.WriteFile(filepath.Join(dir, "summary.md"), nil, 0o644)).To(Succeed())
			env := []string{"GITHUB_OUTPUT=" + filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY=" + filepath.Join(dir, "summary.md")}
			args := append([]string{"check", "problem1", "--dir", "fixtures/problem1/hostile-forged-output", "--seed", "1234",
				"--report", "github", "--report", "github-classroom"}, reportFlags(dir)...)
			s := graderIn(env, args...)
			Expect(s).To(gexecExit(1))
			stdout = string(s.Out.Contents())
		})

		It("scores it 3 of 4 in every file format, each valid for its consumer", func() {
			for format, file := range fileFormats {
				score, max := reporttest.Score(format, read(filepath.Join(dir, file)))
				Expect([]int{score, max}).To(Equal([]int{3, 4}), format)
			}
		})

		It("sets the Classroom step output to the same 3 of 4", func() {
			out := read(filepath.Join(dir, "output"))
			Expect(out).To(HavePrefix("result="))
			total, max := reporttest.ExpectClassroom(strings.TrimPrefix(out, "result=")).Points()
			Expect([]float64{total, float64(max)}).To(Equal([]float64{3, 4}))
		})

		It("gives the Actions runner, reading stdout, only the grader's own commands", func() {
			var names []string
			for _, c := range reporttest.ActionsCommands(stdout) {
				if c.Name != "stop-commands" {
					names = append(names, c.Name)
				}
				for _, forged := range []string{"Autograding", "nothing to see", "indented", "old command", "result"} {
					Expect(c.Message).NotTo(ContainSubstring(forged), "line %d of stdout", c.Line)
				}
			}
			Expect(names).To(Equal([]string{"group", "endgroup", "group", "endgroup", "group", "endgroup", "group", "endgroup", "error", "notice"}))
			score, max := reporttest.Score("github", stdout)
			Expect([]int{score, max}).To(Equal([]int{3, 4}))
		})

		It("writes a job summary with one row per check and no row of the program's", func() {
			summary := read(filepath.Join(dir, "summary.md"))
			Expect(strings.Count(summary, "\n| ")).To(Equal(5), "the heading row and four checks")
			Expect(summary).NotTo(ContainSubstring("forged row"))
			Expect(summary).To(ContainSubstring("### problem1: 3/4 points"))
		})

		It("leaves no temporary file beside the reports", func() {
			entries, err := os.ReadDir(dir)
			Expect(err).NotTo(HaveOccurred())
			for _, e := range entries {
				Expect(e.Name()).NotTo(HavePrefix("."), "a temporary file was left")
			}
		})
	})

	It("writes every report, with 0 points and the reason, when the submission's file is missing", func() {
		dir := GinkgoT().TempDir()
		empty := GinkgoT().TempDir()
		s := graderIn(nil, append([]string{"check", "problem1", "--dir", empty}, reportFlags(dir)...)...)
		Expect(s).To(gexecExit(2))
		for format, file := range fileFormats {
			out := read(filepath.Join(dir, file))
			score, _ := reporttest.Score(format, out)
			Expect(score).To(Equal(0), format)
			if format != "github-classroom" {
				Expect(out).To(ContainSubstring("simple_server.py not found"), format)
			}
		}
	})

	It("replaces an existing report whole", func() {
		dir := GinkgoT().TempDir()
		path := filepath.Join(dir, "junit.xml")
		Expect(os.WriteFile(path, []byte(strings.Repeat("STALE ", 100000)), 0o644)).To(Succeed())
		graderIn(nil, "check", "problem1", "--dir", GinkgoT().TempDir(), "--report", "junit="+path)
		Expect(read(path)).NotTo(ContainSubstring("STALE"))
		reporttest.ExpectJUnit(read(path))
	})

	DescribeTable("refuses a format it does not know, naming the nearest",
		func(flag, want string) {
			s := graderIn(nil, "check", "problem1", flag, "junti")
			Expect(s).To(gexecExit(2))
			Expect(string(s.Err.Contents())).To(ContainSubstring(want))
		},
		Entry("--report", "--report", `no format "junti" (did you mean junit?)`),
		Entry("--format", "--format", `not "junti" (did you mean junit?)`),
	)

	It("grades a good submission to the recorded JUnit, TAP and Classroom reports", func() {
		dir := GinkgoT().TempDir()
		s := graderIn(nil, "check", "problem1", "--dir", "fixtures/problem1/good-lab", "--seed", "1234",
			"--report", "junit="+filepath.Join(dir, "junit.xml"), "--report", "tap="+filepath.Join(dir, "result.tap"),
			"--report", "github-classroom="+filepath.Join(dir, "classroom.b64"))
		Expect(s).To(gexecExit(0))
		golden := filepath.Join(repoRoot(), "cmd", "grader", "testdata", "golden")
		reporttest.ExpectGolden(filepath.Join(golden, "good-lab.junit.xml"), read(filepath.Join(dir, "junit.xml")))
		reporttest.ExpectGolden(filepath.Join(golden, "good-lab.tap"), read(filepath.Join(dir, "result.tap")))
		classroom := reporttest.ExpectClassroom(read(filepath.Join(dir, "classroom.b64")))
		Expect(classroom.Status).To(Equal("pass"))
	})
})
