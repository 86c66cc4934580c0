package main_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

func TestGrader(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "grader command")
}

var graderBin string

// testVersion is the version the suite's binary is built with.
const testVersion = "v0.0.0-test"

// repoRoot is found from this file, so the suite runs from any folder.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

var _ = SynchronizedBeforeSuite(func() []byte {
	// A release build names its version at link time, as this one does:
	// reports then say the same whatever commit the suite runs on.
	bin, err := gexec.Build("github.com/acme-lab/grader/cmd/grader", "-ldflags", "-X main.version="+testVersion)
	Expect(err).NotTo(HaveOccurred())
	return []byte(bin)
}, func(bin []byte) {
	graderBin = string(bin)
})

var _ = SynchronizedAfterSuite(func() {}, func() { gexec.CleanupBuildArtifacts() })

// grader runs the built binary as a user would and waits for it to end.
func grader(args ...string) *gexec.Session {
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = repoRoot()
	cmd.Env = append(cmd.Environ(), "NO_COLOR=1")
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(s).WithTimeout(120 * 1e9).Should(gexec.Exit())
	return s
}
