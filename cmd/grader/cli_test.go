package main_test

import (
	"os/exec"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
)

var _ = Describe("The command line", func() {
	It("says its version, the same one every report names", func() {
		s := grader("--version")
		Expect(s).To(gexecExit(0))
		Expect(string(s.Out.Contents())).To(Equal("grader " + testVersion + "\n"))
		Expect(string(grader("version").Out.Contents())).To(Equal("grader " + testVersion + "\n"))
		s = grader("check", "problem1", "--dir", "fixtures/problem1/good-lab", "--format", "json", "--seed", "1")
		Expect(string(s.Out.Contents())).To(ContainSubstring(`"tool": {
    "name": "grader",
    "version": "` + testVersion + `"
  }`))
	})

	DescribeTable("answers -h and --help with the command's own help, on stdout, with exit status 0",
		func(args []string, says string) {
			s := grader(args...)
			Expect(s).To(gexecExit(0))
			Expect(s.Out).To(gbytesSay(says))
			if args[0] != "init" {
				Expect(string(s.Out.Contents())).To(ContainSubstring("130 when interrupted"))
			}
			Expect(string(s.Err.Contents())).To(BeEmpty())
		},
		Entry("grader --help", []string{"--help"}, `grader check EXERCISE`),
		Entry("grader help", []string{"help"}, `grader version`),
		Entry("grader check --help", []string{"check", "--help"}, `Usage: grader check EXERCISE \[options\]`),
		Entry("grader check -h", []string{"check", "-h"}, `--report NAME\[=PATH\]`),
		Entry("grader check problem2 --help", []string{"check", "problem2", "--help"}, `--show-hidden`),
		Entry("grader init --help", []string{"init", "--help"}, `Usage: grader init EXERCISE`),
	)

	It("answers an unknown flag with one line that points to the help, and exit status 2", func() {
		s := grader("check", "problem1", "--bogus")
		Expect(s).To(gexecExit(2))
		Expect(string(s.Err.Contents())).To(Equal("grader: flag provided but not defined: -bogus (grader check --help lists the options)\n"))
		Expect(string(s.Out.Contents())).To(BeEmpty())
	})

	It("streams each verdict to a log as soon as it is known, not all at the end", func() {
		// client-close fails only after waiting 2 s for a close that never comes.
		cmd := exec.Command(graderBin, "check", "problem1", "--dir", "fixtures/problem1/bad-client-close", "--seed", "1")
		cmd.Dir = repoRoot()
		s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(s.Out).WithTimeout(10 * time.Second).Should(gbytes.Say(`✓ several-blocks`))
		Expect(s.ExitCode()).To(Equal(-1), "the grader had already ended")
		Eventually(s).WithTimeout(20 * time.Second).Should(gexec.Exit(1))
		Expect(s.Out).To(gbytes.Say(`✗ client-close`))
		Expect(string(s.Out.Contents())).NotTo(ContainSubstring("\r"), "a log gets no running line")
	})

	Context("colours, which need a terminal", func() {
		// script(1) gives the grader a terminal; the colour codes tell.
		colours := func(noColor ...string) string {
			cmd := exec.Command("script", "-qec", graderBin+" check problem1 --dir fixtures/problem1/good-lab --seed 1", "/dev/null")
			cmd.Dir = repoRoot()
			cmd.Env = append(slices.DeleteFunc(cmd.Environ(), func(v string) bool { return strings.HasPrefix(v, "NO_COLOR=") }), noColor...)
			out, err := cmd.Output()
			var exit *exec.ExitError
			if err != nil {
				Expect(err).To(BeAssignableToTypeOf(exit))
			}
			return string(out)
		}
		It("are on at a terminal, and with NO_COLOR set but empty (no-color.org)", func() {
			Expect(colours()).To(ContainSubstring("\x1b[32m✓"))
			Expect(colours("NO_COLOR=")).To(ContainSubstring("\x1b[32m✓"))
		})
		It("are off with NO_COLOR set to anything", func() {
			Expect(colours("NO_COLOR=1")).NotTo(MatchRegexp("\x1b\\[[0-9;]*m"), "no colour code (erasing the running line is no colour)")
			Expect(colours("NO_COLOR=1")).To(ContainSubstring("✓ listens"))
		})
	})
})

var _ = Describe("A submission folder without the submission", func() {
	It("is said once, without a seed to replay, and exits 2", func() {
		s := grader("check", "problem1", "--dir", GinkgoT().TempDir(), "--seed", "77")
		Expect(s).To(gexecExit(2))
		out := string(s.Out.Contents())
		Expect(strings.Count(out, "simple_server.py")).To(Equal(2), "the title and the error:\n%s", out)
		Expect(out).To(ContainSubstring("error: simple_server.py not found in"))
		Expect(out).NotTo(ContainSubstring("seed"))
		Expect(string(s.Err.Contents())).To(BeEmpty())
	})

	It("is said on stderr when stdout holds a machine report", func() {
		s := grader("check", "problem1", "--dir", GinkgoT().TempDir(), "--format", "json")
		Expect(s).To(gexecExit(2))
		Expect(string(s.Err.Contents())).To(HavePrefix("grader: simple_server.py not found in"))
	})
})
