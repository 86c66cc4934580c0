package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/acme-lab/grader/report/reporttest"
)

// The Gradescope example (examples/gradescope) is run as Gradescope runs
// it, in a folder standing for /autograder: the zip is made, unpacked into
// source/, made executable as setup.sh does, and run_autograder grades
// submission/.
var _ = Describe("The Gradescope autograder example", Serial, Ordered, func() {
	var root string
	BeforeAll(func() {
		root = GinkgoT().TempDir()
		zip := filepath.Join(root, "autograder.zip")
		run(exec.Command("bash", filepath.Join(repoRoot(), "examples", "gradescope", "make-autograder.sh"), "problem1"), "OUT="+zip)
		source := filepath.Join(root, "source")
		Expect(os.MkdirAll(source, 0o755)).To(Succeed())
		unzip := exec.Command("python3", "-m", "zipfile", "-e", zip, source)
		run(unzip)
		for _, f := range []string{"grader", "run_autograder", "setup.sh"} {
			Expect(os.Chmod(filepath.Join(source, f), 0o755)).To(Succeed())
		}
		Expect(os.MkdirAll(filepath.Join(root, "submission"), 0o755)).To(Succeed())
		data, err := os.ReadFile(filepath.Join(repoRoot(), "fixtures", "problem1", "good-lab", "simple_server.py"))
		Expect(err).NotTo(HaveOccurred())
		// On a port of its own: the fixtures' suite may hold the lab's port.
		data = bytes.Replace(data, []byte("port = 33498"), []byte("port = 0"), 1)
		Expect(os.WriteFile(filepath.Join(root, "submission", "simple_server.py"), data, 0o644)).To(Succeed())
	})

	results := func() string { return filepath.Join(root, "results", "results.json") }

	It("grades /autograder/submission into a valid results.json", func() {
		run(exec.Command(filepath.Join(root, "source", "run_autograder")), "AUTOGRADER_ROOT="+root)
		doc := reporttest.ExpectGradescope(read(results()))
		Expect(doc["score"]).To(BeNumerically("==", 4))
		Expect(doc["tests"]).To(HaveLen(4))
	})

	It("still writes a valid results.json, over whatever the submission wrote there, when grading runs out of time", func() {
		Expect(os.WriteFile(results(), []byte(`{"score": 100}`), 0o644)).To(Succeed())
		// A server that never listens keeps the grader waiting 5 s for it.
		Expect(os.WriteFile(filepath.Join(root, "submission", "simple_server.py"), []byte("import time\ntime.sleep(60)\n"), 0o644)).To(Succeed())
		run(exec.Command(filepath.Join(root, "source", "run_autograder")), "AUTOGRADER_ROOT="+root, "GRADER_TIME_LIMIT=1")
		doc := reporttest.ExpectGradescope(read(results()))
		Expect(doc["score"]).To(BeZero())
		// Written by run_autograder's fallback, or by the grader if it wrote
		// its report between the time limit's SIGTERM and its exit.
		Expect(doc["output"]).To(Or(ContainSubstring("could not finish grading"), ContainSubstring("Score: 0/4 points")))
	})
})

// run runs a command with env added and expects it to succeed.
func run(cmd *exec.Cmd, env ...string) {
	GinkgoHelper()
	cmd.Env = append(os.Environ(), env...)
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(s).WithTimeout(180 * 1e9).Should(gexec.Exit(0))
}
