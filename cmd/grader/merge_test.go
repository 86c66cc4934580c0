package main_test

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

var _ = Describe("Sharding a class and merging the shards (grader merge)", Ordered, Serial, func() {
	var class, work string
	students := map[string]string{
		"ana": "good", "ben": "echo", "cleo": "forgets", "dev": "good", "eve": "", "fay": "exits",
		"Gül Yılmaz": "good", "hugo's (v2)": "echo", "$(id)": "forgets", "<i>ivy": "good", "jo": "good", "kai": "forgets",
	}
	exercise := shoutExercise()
	flags := []string{"--seed", "5", "--jobs", "2", "--report", "junit", "--report", "text", "--report", "json"}

	BeforeAll(func() {
		class = shoutClass(20140, students)
		work = GinkgoT().TempDir()
		s := batchGrader(work, 5*time.Minute, append([]string{"batch", exercise, class, "--out", "whole"}, flags...)...)
		Expect(s).To(gexec.Exit(1))
		for i := 1; i <= 4; i++ {
			s := batchGrader(work, 5*time.Minute, append([]string{"batch", exercise, class, "--out", fmt.Sprintf("shard-%d", i), "--shard", fmt.Sprintf("%d/4", i)}, flags...)...)
			Expect(s.ExitCode()).To(BeElementOf(0, 1), string(s.Err.Contents()))
		}
	})

	It("grades each student in exactly one shard", func() {
		seen := map[string]int{}
		for i := 1; i <= 4; i++ {
			for _, g := range readResults(filepath.Join(work, fmt.Sprintf("shard-%d", i))) {
				seen[g.Student]++
			}
		}
		Expect(seen).To(HaveLen(len(students)))
		for s, n := range seen {
			Expect(n).To(Equal(1), s)
		}
	})

	It("gives, merged, the same files as one run over the class, byte for byte, timings aside", func() {
		s := batchGrader(work, time.Minute, "merge", "shard-1", "shard-2", "shard-3", "shard-4", "--out", "merged")
		Expect(s).To(gexec.Exit(1), "as a run of the class: not everyone got full marks")
		Expect(string(s.Out.Contents())).To(HavePrefix("shout: 12 students, 5 with full marks, 1 not graded, mean "))
		whole, merged := filepath.Join(work, "whole"), filepath.Join(work, "merged")
		files := filesOf(whole)
		Expect(files).To(ContainElements("results.jsonl", "grades.csv", "index.html", "batch.json",
			filepath.Join("students", "<i>ivy", "junit.xml"), filepath.Join("students", "Gül Yılmaz", "report.txt")))
		Expect(filesOf(merged)).To(Equal(files))
		for _, f := range files {
			a, err := os.ReadFile(filepath.Join(whole, f))
			Expect(err).NotTo(HaveOccurred())
			b, err := os.ReadFile(filepath.Join(merged, f))
			Expect(err).NotTo(HaveOccurred())
			Expect(withoutTimings(b)).To(Equal(withoutTimings(a)), func() string { return f + "\n" + firstDifference(withoutTimings(a), withoutTimings(b)) })
		}
	})

	It("refuses a merge that lacks a shard", func() {
		s := batchGrader(work, time.Minute, "merge", "shard-1", "shard-3", "shard-4", "--out", "incomplete")
		Expect(s).To(gexec.Exit(2))
		Expect(string(s.Err.Contents())).To(ContainSubstring("shard 2/4 missing: merge all 4 shards, or pass --partial to merge what is there"))
	})

	It("shows each student's transcript in index.html as grader check shows it", func() {
		page, err := os.ReadFile(filepath.Join(work, "whole", "index.html"))
		Expect(err).NotTo(HaveOccurred())
		for _, student := range []string{"cleo", "<i>ivy", "fay"} {
			dir := filepath.Join(class, student)
			s := batchGrader(work, time.Minute, "check", exercise, "--dir", dir, "--seed", "5")
			Expect(s.ExitCode()).To(BeElementOf(0, 1))
			pre := regexp.MustCompile(`(?s)<pre>([^<]*` + regexp.QuoteMeta("folder "+html.EscapeString(dir)) + `\n.*?)</pre>`).FindSubmatch(page)
			Expect(pre).NotTo(BeNil(), student)
			Expect(withoutTimings([]byte(html.UnescapeString(string(pre[1]))))).To(Equal(withoutTimings(s.Out.Contents())), student)
		}
	})

	It("names the student and the submission in every line of results.jsonl", func() {
		for _, g := range readResults(filepath.Join(work, "whole")) {
			Expect(g.Submission).To(Equal(filepath.Join(class, g.Student)))
			Expect(strings.Contains(g.Submission, "..")).To(BeFalse())
		}
	})
})
