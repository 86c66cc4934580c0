package main_test

import (
	"os"
	"os/exec"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// graderAt runs the binary in a folder, as an instructor in a course
// repository would.
func graderAt(dir string, args ...string) *gexec.Session {
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "NO_COLOR=1", "GRADER_EXERCISES=")
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(s).WithTimeout(120 * 1e9).Should(gexec.Exit())
	return s
}

var _ = Describe("grader new", func() {
	DescribeTable("writes an exercise with a good and a bad fixture that selftest proves at once",
		func(kind string) {
			root := GinkgoT().TempDir()
			s := graderAt(root, "new", "lab", "--kind", kind)
			Expect(s).To(gexecExit(0), string(s.Err.Contents()))
			Expect(s.Out).To(gbytesSay(`wrote exercises/exercise.schema.json`))
			Expect(s.Out).To(gbytesSay(`wrote exercises/lab.yaml`))
			Expect(s.Out).To(gbytesSay(`grader selftest lab --exercises exercises`))
			src, err := os.ReadFile(filepath.Join(root, "exercises", "lab.yaml"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(src)).To(HavePrefix("# yaml-language-server: $schema=exercise.schema.json\n"))
			good, _ := filepath.Glob(filepath.Join(root, "fixtures", "lab", "good", "fixture.yaml"))
			bad, _ := filepath.Glob(filepath.Join(root, "fixtures", "lab", "bad-*", "fixture.yaml"))
			Expect(good).To(HaveLen(1))
			Expect(bad).To(HaveLen(1))

			s = graderAt(root, "selftest", "lab", "--exercises", "exercises")
			Expect(s).To(gexecExit(0), string(s.Out.Contents()))
			Expect(s.Out).To(gbytesSay(`2 fixture\(s\) of 1 exercise\(s\): 2 as expected`))
			s = graderAt(root, "lint", "exercises", "--strict")
			Expect(s).To(gexecExit(0), string(s.Out.Contents()))
			s = graderAt(root, "list", "--exercises", "exercises")
			Expect(s).To(gexecExit(0))
			Expect(s.Out).To(gbytesSay(`lab\s+lab: .*\s+exercises/lab.yaml`))
		},
		Entry("a TCP server", "tcp-server"),
		Entry("a web server", "http-server"),
		Entry("a TCP client (the grader is the server)", "tcp-client"),
		Entry("a UDP server (datagrams from two client sockets)", "udp-server"),
		Entry("a file the student writes (nothing runs)", "file"),
	)

	It("never overwrites: a second new of the same name writes nothing and exits 2", func() {
		root := GinkgoT().TempDir()
		Expect(graderAt(root, "new", "lab", "--kind", "file")).To(gexecExit(0))
		path := filepath.Join(root, "exercises", "lab.yaml")
		Expect(os.WriteFile(path, []byte("mine"), 0o644)).To(Succeed())
		s := graderAt(root, "new", "lab", "--kind", "tcp-server")
		Expect(s).To(gexecExit(2))
		Expect(s.Err).To(gbytesSay(`exercises/lab.yaml, fixtures/lab already there; nothing was written`))
		Expect(os.ReadFile(path)).To(Equal([]byte("mine")))
	})

	It("names the kinds when none or a wrong one is given", func() {
		s := graderAt(GinkgoT().TempDir(), "new", "lab", "--kind", "tcp")
		Expect(s).To(gexecExit(2))
		Expect(s.Err).To(gbytesSay(`--kind "tcp" is not a kind of exercise; the kinds are file, http-server, tcp-client, tcp-server, udp-server`))
	})
})

var _ = Describe("A course folder", func() {
	It("joins grader list, with where each exercise comes from, and replaces a built-in one with a notice", func() {
		root := GinkgoT().TempDir()
		Expect(graderAt(root, "new", "problem2", "--kind", "file")).To(gexecExit(0))
		s := graderAt(root, "list", "--exercises", "exercises")
		Expect(s).To(gexecExit(0))
		Expect(s.Err).To(gbytesSay(`grader: note: exercises/problem2.yaml replaces the built-in exercise problem2`))
		Expect(s.Out).To(gbytesSay(`problem1\s+Problem 1: .*\s+built-in`))
		Expect(s.Out).To(gbytesSay(`problem2\s+problem2: a written answer \(answer.txt\)\s+exercises/problem2.yaml`))
	})

	It("is read from GRADER_EXERCISES too, a list like PATH, for every command", func() {
		root := GinkgoT().TempDir()
		Expect(graderAt(root, "new", "lab", "--kind", "file", "--exercises", "a")).To(gexecExit(0))
		Expect(graderAt(root, "new", "other", "--kind", "file", "--exercises", "b")).To(gexecExit(0))
		cmd := exec.Command(graderBin, "check", "lab", "--dir", filepath.Join(root, "fixtures", "lab", "good"))
		cmd.Dir = root
		cmd.Env = append(cmd.Environ(), "NO_COLOR=1", "GRADER_EXERCISES=a"+string(os.PathListSeparator)+"b")
		s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(s).WithTimeout(60 * 1e9).Should(gexec.Exit(0))
		Expect(s.Out).To(gbytesSay(`Score: 1/1`))
	})

	It("that does not exist is a usage error naming it", func() {
		s := graderAt(GinkgoT().TempDir(), "list", "--exercises", "nowhere")
		Expect(s).To(gexecExit(2))
		Expect(s.Err).To(gbytesSay(`course folder nowhere: no such file or directory \(it comes from --exercises or GRADER_EXERCISES\)`))
	})
})

// testdata/course is a course folder made with grader new and edited by
// hand into an exercise of its own (a word-count server on a fixed port),
// as the reference describes.
var _ = Describe("A course folder edited by hand from grader new", func() {
	It("passes selftest, joins grader list, and a wrong expected verdict makes selftest exit 1 saying why", func() {
		root := GinkgoT().TempDir()
		copyTree(filepath.Join(repoRoot(), "cmd", "grader", "testdata", "course"), root)
		s := graderAt(root, "selftest", "--exercises", "exercises")
		Expect(s).To(gexecExit(0), string(s.Out.Contents()))
		Expect(s.Out).To(gbytesSay(`2 fixture\(s\) of 1 exercise\(s\): 2 as expected, 0 mismatched, 0 flaky`))
		s = graderAt(root, "list", "--exercises", "exercises")
		Expect(s.Out).To(gbytesSay(`wordcount\s+Word count: a TCP server that counts words \(wc_server.py\)\s+exercises/wordcount.yaml`))
		Expect(graderAt(root, "lint", "exercises", "--strict")).To(gexecExit(0))

		edit(filepath.Join(root, "fixtures", "wordcount", "bad-counts", "fixture.yaml"), "counts: failed", "counts: passed")
		s = graderAt(root, "selftest", "wordcount", "--exercises", "exercises")
		Expect(s).To(gexecExit(1))
		Expect(s.Out).To(gbytesSay(`wordcount\s+bad-counts\s+2/3\s+1\s+\S+\s+MISMATCH`))
		Expect(s.Out).To(gbytesSay(`bad-counts/fixture.yaml:4:3: counts expected passed, got failed \(seed 1234\)`))
		Expect(s.Out).To(gbytesSay(`does not match: expected exactly "\d"`))
		Expect(s.Out).To(gbytesSay(`transcript:`))
	})
})
