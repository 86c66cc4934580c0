package batch

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

func graded(student string, score int) *result.Graded {
	return &result.Graded{Student: student, Submission: "class/" + student, Result: &result.Result{
		Version: 1, Exercise: "ex", Title: "T", Seed: 7, Score: score, MaxScore: 2, Started: time.Unix(0, 0).UTC(),
		Checks: []result.Check{{ID: "a", Title: "A", Status: result.Passed, Score: score, MaxScore: 2, Transcript: []result.Event{}}},
	}}
}

func lines(path string) []string {
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func studentsIn(path string) []string {
	var out []string
	for _, l := range lines(path) {
		var g struct{ Student string }
		Expect(json.Unmarshal([]byte(l), &g)).To(Succeed())
		out = append(out, g.Student)
	}
	return out
}

var _ = Describe("OUT", func() {
	meta := Meta{Exercise: "ex", Seed: 7}

	It("keeps one whole line per result, and sorts them by student at the end", func() {
		out := GinkgoT().TempDir()
		s, _, err := Open(out, meta, true, false)
		Expect(err).NotTo(HaveOccurred())
		for _, name := range []string{"carol", "alice", "bob"} {
			Expect(s.Add(graded(name, 1))).To(Succeed())
		}
		Expect(studentsIn(filepath.Join(out, ResultsFile))).To(Equal([]string{"carol", "alice", "bob"}), "streamed as they finish")
		Expect(s.Close()).To(Succeed())
		Expect(studentsIn(filepath.Join(out, ResultsFile))).To(Equal([]string{"alice", "bob", "carol"}))
	})

	It("resumes: students already graded are done, and a line cut in mid-write is dropped", func() {
		out := GinkgoT().TempDir()
		s, _, err := Open(out, meta, true, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Add(graded("alice", 2))).To(Succeed())
		Expect(s.Add(graded("bob", 1))).To(Succeed())
		Expect(s.f.Close()).To(Succeed())
		f, err := os.OpenFile(filepath.Join(out, ResultsFile), os.O_APPEND|os.O_WRONLY, 0)
		Expect(err).NotTo(HaveOccurred())
		_, _ = f.WriteString(`{"student":"carol","submission":"cl`)
		f.Close()

		s, got, err := Open(out, Meta{Exercise: "ex", Seed: 99}, false, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Seed).To(Equal(uint64(7)), "the seed of the run it resumes")
		Expect(s.Done("alice")).To(BeTrue())
		Expect(s.Done("bob")).To(BeTrue())
		Expect(s.Done("carol")).To(BeFalse())
		Expect(s.Add(graded("carol", 2))).To(Succeed())
		Expect(s.Close()).To(Succeed())
		Expect(studentsIn(filepath.Join(out, ResultsFile))).To(Equal([]string{"alice", "bob", "carol"}))
	})

	DescribeTable("refuses to resume a batch graded otherwise",
		func(again Meta, seedGiven bool, message string) {
			out := GinkgoT().TempDir()
			s, _, err := Open(out, Meta{Exercise: "ex", Seed: 7, Shard: "1/2"}, true, false)
			Expect(err).NotTo(HaveOccurred())
			Expect(s.Close()).To(Succeed())
			_, _, err = Open(out, again, seedGiven, false)
			Expect(err).To(MatchError(strings.ReplaceAll(message, "OUT", out) + "; grade into another --out folder, or pass --regrade to grade everyone again"))
		},
		Entry("another exercise", Meta{Exercise: "other", Seed: 7, Shard: "1/2"}, true, "OUT holds results of ex, not other"),
		Entry("another shard", Meta{Exercise: "ex", Seed: 7, Shard: "2/2"}, true, `OUT holds results of shard "1/2", not "2/2"`),
		Entry("another seed, given", Meta{Exercise: "ex", Seed: 8, Shard: "1/2"}, true, "OUT was graded with --seed 7, not 8"),
		Entry("seeds per student", Meta{Exercise: "ex", Seed: 7, Shard: "1/2", SeedPerStudent: true}, true, "OUT was graded with --seed-per-student=false"),
	)

	It("sets the earlier results aside when regrading", func() {
		out := GinkgoT().TempDir()
		s, _, _ := Open(out, meta, true, false)
		Expect(s.Add(graded("alice", 2))).To(Succeed())
		Expect(s.Close()).To(Succeed())
		s, _, err := Open(out, Meta{Exercise: "other", Seed: 1}, true, true)
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Done("alice")).To(BeFalse())
		Expect(s.Close()).To(Succeed())
		Expect(studentsIn(filepath.Join(out, prevResults))).To(Equal([]string{"alice"}))
	})
})

var _ = Describe("Merging shards", func() {
	shard := func(index, count int, names ...string) string {
		out := GinkgoT().TempDir()
		s, _, err := Open(out, Meta{Exercise: "ex", Seed: 7, Shard: Shard{index, count}.String()}, true, false)
		Expect(err).NotTo(HaveOccurred())
		for _, n := range names {
			Expect(s.Add(graded(n, 1))).To(Succeed())
			Expect(os.MkdirAll(filepath.Join(out, StudentsDir, n), 0o755)).To(Succeed())
			Expect(os.WriteFile(filepath.Join(out, StudentsDir, n, "junit.xml"), []byte("<"+n+">"), 0o644)).To(Succeed())
		}
		Expect(s.Close()).To(Succeed())
		return out
	}

	It("gives the lines of one run, sorted, and every student's reports", func() {
		dest := filepath.Join(GinkgoT().TempDir(), "class")
		m, err := Merge([]string{shard(2, 2, "dan", "bob"), shard(1, 2, "carol", "alice")}, dest, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(m).To(Equal(Meta{Exercise: "ex", Seed: 7}))
		Expect(studentsIn(filepath.Join(dest, ResultsFile))).To(Equal([]string{"alice", "bob", "carol", "dan"}))
		data, err := os.ReadFile(filepath.Join(dest, StudentsDir, "carol", "junit.xml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(data)).To(Equal("<carol>"))
	})

	It("refuses shards that overlap, repeat or are missing", func() {
		dest := filepath.Join(GinkgoT().TempDir(), "class")
		a, b := shard(1, 3, "alice"), shard(2, 3, "alice")
		_, err := Merge([]string{a, b, shard(3, 3)}, dest, false)
		Expect(err).To(MatchError(ContainSubstring("alice is graded both in")))
		_, err = Merge([]string{a, a}, dest, false)
		Expect(err).To(MatchError(a + " and " + a + " are both shard 1/3"))
		_, err = Merge([]string{a}, dest, false)
		Expect(err).To(MatchError("shard 2/3, 3/3 missing: merge all 3 shards, or pass --partial to merge what is there"))
		_, err = Merge([]string{a}, dest, true)
		Expect(err).NotTo(HaveOccurred())
		_, err = Merge([]string{a}, a, true)
		Expect(err).To(MatchError("--out " + a + " is one of the folders to merge; merge into a new folder"))
	})
})

var _ = Describe("A private copy", func() {
	It("holds the files and folders, not .git, not pipes, not links that lead out", func() {
		src := tree(map[string]string{"rps_server.py": "print(1)", "lib/util.py": "x", ".git/HEAD": "ref"})
		Expect(os.Chmod(filepath.Join(src, "rps_server.py"), 0o755)).To(Succeed())
		Expect(syscall.Mkfifo(filepath.Join(src, "pipe"), 0o644)).To(Succeed())
		Expect(os.Symlink("lib/util.py", filepath.Join(src, "inside"))).To(Succeed())
		Expect(os.Symlink("/etc/passwd", filepath.Join(src, "outside"))).To(Succeed())
		dst := filepath.Join(GinkgoT().TempDir(), "copy")
		Expect(privateCopy(src, dst)).To(Succeed())
		var got []string
		Expect(filepath.Walk(dst, func(p string, info os.FileInfo, err error) error {
			rel, _ := filepath.Rel(dst, p)
			got = append(got, rel)
			return err
		})).To(Succeed())
		Expect(got).To(ConsistOf(".", "rps_server.py", "lib", "lib/util.py", "inside"))
		st, _ := os.Stat(filepath.Join(dst, "rps_server.py"))
		Expect(st.Mode().Perm()&0o100).NotTo(BeZero(), "an executable stays one")
		data, _ := os.ReadFile(filepath.Join(dst, "inside"))
		Expect(string(data)).To(Equal("x"))
	})

	It("stops at its size limit with a reason for the row", func() {
		defer func(l int64) { copyLimit = l }(copyLimit)
		copyLimit = 1 << 20
		src := tree(map[string]string{"data.bin": strings.Repeat("x", 2<<20)})
		err := privateCopy(src, filepath.Join(GinkgoT().TempDir(), "copy"))
		Expect(copyProblem("class/bob", src, err)).To(Equal("The folder class/bob could not be graded: it holds more than 1 MiB (a .git folder aside)."))
	})
})
