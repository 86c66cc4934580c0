package main_test

import (
	"os"
	"os/exec"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Students grade themselves on macOS and Windows laptops: the Linux-only
// parts sit behind build tags, and this proves the rest still compiles.
var _ = Describe("Building the grader for students' laptops", func() {
	DescribeTable("compiles for",
		func(goos string) {
			cmd := exec.Command("go", "build", "-o", os.DevNull, "./...")
			cmd.Dir = repoRoot()
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
			out, err := cmd.CombinedOutput()
			Expect(err).NotTo(HaveOccurred(), string(out))
		},
		Entry("macOS", "darwin"),
		Entry("Windows", "windows"),
	)
})
