package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/acme-lab/grader/selftest"
)

// problem2Class copies problem2's sample submissions into one folder per
// student: every fixture, and copies of some under other names. With
// ownPorts, each copy's hard-coded port is changed to one of its own, so
// that they could run side by side on one shared loopback; the verdicts do
// not depend on the port (another one is a notice), except for a program
// that also listens on another port, which must keep the suggested one to
// be graded there (those keep their ports). It returns the class and the
// fixture each student is a copy of.
func problem2Class(ownPorts bool) (string, map[string]string) {
	root := filepath.Join(GinkgoT().TempDir(), "submissions")
	dirs, _ := filepath.Glob(filepath.Join(repoRoot(), "fixtures", "problem2", "*"))
	of := map[string]string{}
	for _, d := range dirs {
		of[filepath.Base(d)] = filepath.Base(d)
	}
	for i, f := range []string{"good-lab", "good-lab", "good-threads", "good-menu", "bad-listens", "bad-valid-moves", "bad-closes-on-win", "bad-random-moves"} {
		of[fmt.Sprintf("%s (copy %d)", f, i+1)] = f
	}
	port := 20000
	for _, student := range sortedKeys(of) {
		port++
		src, err := os.ReadFile(filepath.Join(repoRoot(), "fixtures", "problem2", of[student], "rps_server.py"))
		Expect(err).NotTo(HaveOccurred())
		if ownPorts && !listensElsewhere(src) {
			s := string(src)
			for _, p := range coursePorts {
				s = strings.ReplaceAll(s, p, strconv.Itoa(port))
			}
			src = []byte(s)
		}
		Expect(os.MkdirAll(filepath.Join(root, student), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(root, student, "rps_server.py"), src, 0o644)).To(Succeed())
	}
	return root, of
}

// coursePorts are the ports problem2's fixtures take from course texts.
var coursePorts = []string{"10001", "21567", "5005"}

// listensElsewhere tells whether a program binds a port written into it
// other than the course text's.
func listensElsewhere(src []byte) bool {
	for _, m := range boundPort.FindAllSubmatch(src, -1) {
		if !slices.Contains(coursePorts, string(m[1])) {
			return true
		}
	}
	return false
}

var boundPort = regexp.MustCompile(`bind\(\(['"][^'"]*['"], *(\d+)\)\)`)

// fullMarks counts the students whose fixture passes every check.
func fullMarks(of map[string]string) int {
	n := 0
	for _, f := range of {
		want, err := selftest.LoadFixture(filepath.Join(repoRoot(), "fixtures", "problem2", f))
		Expect(err).NotTo(HaveOccurred())
		all := true
		for _, v := range want.Verdicts {
			all = all && v.Status == "passed"
		}
		if all {
			n++
		}
	}
	return n
}

// expectFixtureVerdicts compares each student's verdicts with those of the
// fixture it copies, which the fixture specs hold equal to a single run's.
func expectFixtureVerdicts(out string, of map[string]string) {
	lines := readResults(out)
	Expect(lines).To(HaveLen(len(of)))
	for _, g := range lines {
		want, err := selftest.LoadFixture(filepath.Join(repoRoot(), "fixtures", "problem2", of[g.Student]))
		Expect(err).NotTo(HaveOccurred())
		got := map[string]string{}
		for _, c := range g.Checks {
			got[c.ID] = c.Status
		}
		Expect(got).To(HaveLen(len(want.Verdicts)))
		for _, v := range want.Verdicts {
			Expect(got[v.Check]).To(Equal(string(v.Status)), "%s (a copy of %s), check %s", g.Student, of[g.Student], v.Check)
		}
	}
}

var _ = Describe("Grading a class of problem2 submissions (grader batch)", Ordered, Serial, func() {
	var class, out, work string
	var of map[string]string
	var s *gexec.Session
	BeforeAll(func() {
		class, of = problem2Class(true)
		out = filepath.Join(GinkgoT().TempDir(), "graded")
		work = GinkgoT().TempDir() // where the private copies go
		// More at once than there are cores: start-up is slowest then.
		s = batchGraderEnv(repoRoot(), 10*time.Minute, []string{"TMPDIR=" + work}, "batch", "problem2", class, "--out", out, "--jobs", "4", "--seed", "1234", "--report", "junit", "--report", "text")
	})

	It("gives every student the verdicts a single run gives, four at a time", func() {
		Expect(s).To(gexec.Exit(1), "some students did not get full marks")
		expectFixtureVerdicts(out, of)
	})

	It("says what it grades, then a line every tenth of the class when not on a terminal", func() {
		err := string(s.Err.Contents())
		n := strconv.Itoa(len(of))
		Expect(err).To(ContainSubstring("grader: problem2: " + n + " submissions, 4 at a time, seed 1234, into " + out + "\n"))
		for _, pct := range []string{"10%", "50%", "100%"} {
			Expect(err).To(MatchRegexp(`grader: ` + pct + `  \d+/` + n + `  [0-9.]+/(s|min)  .*full marks\n`))
		}
		Expect(err).NotTo(ContainSubstring("\r"))
		Expect(string(s.Out.Contents())).To(HavePrefix(fmt.Sprintf("problem2: %d students, %d with full marks, 0 not graded, mean ", len(of), fullMarks(of))))
	})

	It("writes grades.csv with the scores of results.jsonl, and each student's reports", func() {
		header, rows := readCSV(filepath.Join(out, "grades.csv"))
		Expect(header).To(Equal([]string{"student", "score", "max", "listens", "valid-moves", "prints-moves", "judges-correctly", "invalid-move", "keeps-playing", "closes-on-win", "random-moves", "seed", "error"}))
		lines := readResults(out)
		Expect(rows).To(HaveLen(len(lines)))
		for i, g := range lines {
			Expect(rows[i]["student"]).To(Equal(g.Student))
			Expect(rows[i]["score"]).To(Equal(strconv.Itoa(g.Score)))
			Expect(rows[i]["max"]).To(Equal("8"))
			for _, c := range g.Checks {
				Expect(rows[i][c.ID]).To(Equal(strconv.Itoa(c.Score)), "%s %s", g.Student, c.ID)
			}
			Expect(rows[i]["seed"]).To(Equal("1234"))
			Expect(filepath.Join(out, "students", g.Student, "junit.xml")).To(BeAnExistingFile())
			Expect(filepath.Join(out, "students", g.Student, "report.txt")).To(BeAnExistingFile())
		}
	})

	It("leaves no program running and no private copy behind", func() {
		Expect(processesUnder(work)).To(BeEmpty())
		copies, _ := filepath.Glob(filepath.Join(work, "grader-batch-*"))
		Expect(copies).To(BeEmpty())
		for _, student := range sortedKeys(of) {
			Expect(processesIn(filepath.Join(class, student))).To(BeEmpty())
		}
	})

	Describe("its class report in a real browser", func() {
		It("loads without a console error, shows the numbers of grades.csv, sorts, filters and links to transcripts", func() {
			expectClassPage(out, len(of))
		})
	})
})

// Many of these programs listen on 10001. Where each program has a network
// of its own they run side by side; where they share one, those that found
// their port taken are graded again alone. Either way, the verdicts are a
// single run's.
var _ = Describe("Grading a class whose programs keep their hard-coded ports", Serial, func() {
	It("gives every student the verdicts a single run gives, with many on port 10001 at once", func() {
		class, of := problem2Class(false)
		out := filepath.Join(GinkgoT().TempDir(), "graded")
		s := batchGrader(repoRoot(), 10*time.Minute, "batch", "problem2", class, "--out", out, "--jobs", "4", "--seed", "1234")
		Expect(s).To(gexec.Exit(1))
		expectFixtureVerdicts(out, of)
	})
})

var _ = Describe("A class with bad input (grader batch)", Serial, func() {
	It("gives each row it cannot grade 0 and the reason, grades the others, and keeps names safe everywhere", func() {
		class := shoutClass(20100, map[string]string{
			"ana":                          "good",
			"Zoë O'Brien":                  "good",
			"$(touch pwned); echo `id` >x": "echo",
			"<img src=x onerror=alert(1)>": "forgets",
			"no-file":                      "",
			"crashes":                      "exits",
		})
		// A pipe in a folder (copying it would wait forever) and a link
		// that leads out of the class.
		Expect(syscall.Mkfifo(filepath.Join(class, "ana", "fifo"), 0o644)).To(Succeed())
		Expect(os.Symlink("/etc", filepath.Join(class, "linked-out"))).To(Succeed())
		work := GinkgoT().TempDir()
		out := filepath.Join(work, "graded")
		s := batchGrader(work, 5*time.Minute, "batch", "./"+rel(work, shoutExercise()), class, "--out", out, "--jobs", "2", "--seed", "9", "--report", "junit")
		Expect(s).To(gexec.Exit(1))
		Expect(filepath.Join(work, "pwned")).NotTo(BeAnExistingFile())

		_, rows := readCSV(filepath.Join(out, "grades.csv"))
		got := map[string]string{}
		for _, r := range rows {
			got[r["student"]] = r["score"] + " " + r["listens"] + r["shouts"] + r["keeps-going"] + " " + r["error"]
		}
		Expect(got).To(Equal(map[string]string{
			"ana":                          "4 121 ",
			"Zoë O'Brien":                  "4 121 ",
			"$(touch pwned); echo `id` >x": "2 101 ",
			"<img src=x onerror=alert(1)>": "3 120 ",
			"crashes":                      "0 000 ",
			"linked-out":                   "0 000 The folder " + filepath.Join(class, "linked-out") + " is outside " + class + "; only folders inside it are graded.",
			"no-file":                      "0 000 shout.py not found in " + filepath.Join(class, "no-file") + ", which holds notes.txt.",
		}))
		for _, name := range []string{"ana", "Zoë O'Brien", "$(touch pwned); echo `id` >x", "<img src=x onerror=alert(1)>", "no-file"} {
			Expect(filepath.Join(out, "students", name, "junit.xml")).To(BeAnExistingFile())
		}
		page, err := os.ReadFile(filepath.Join(out, "index.html"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(page)).NotTo(ContainSubstring("<img src=x"))
		Expect(string(page)).To(ContainSubstring("&lt;img src=x onerror=alert(1)&gt;"))
		Expect(string(page)).To(ContainSubstring(`--dir &#39;`+filepath.Join(class, "$(touch pwned); echo `id` &gt;x")+`&#39;`), "quoted for a shell, escaped for HTML")
	})

	It("makes a folder it may not read that row's error only", func() {
		class := shoutClass(20110, map[string]string{"ana": "good", "locked": "good"})
		Expect(os.Chmod(filepath.Dir(class), 0o755)).To(Succeed(), "the class itself is readable")
		Expect(os.Chmod(filepath.Join(class, "locked"), 0)).To(Succeed())
		DeferCleanup(os.Chmod, filepath.Join(class, "locked"), os.FileMode(0o755))
		work := GinkgoT().TempDir()
		Expect(os.Chmod(work, 0o777)).To(Succeed())
		out := filepath.Join(work, "graded")
		cmd := exec.Command(graderBinForAll(), "batch", shoutExercise(), class, "--out", out, "--seed", "9")
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TMPDIR="+work, "CI=")
		if os.Geteuid() == 0 {
			// root reads every folder: grade as nobody, as a course's
			// server would.
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(s).WithTimeout(2 * time.Minute).Should(gexec.Exit(1))
		_, rows := readCSV(filepath.Join(out, "grades.csv"))
		Expect(rows).To(HaveLen(2))
		Expect(rows[0]["student"] + " " + rows[0]["score"]).To(Equal("ana 4"))
		Expect(rows[1]["student"] + " " + rows[1]["score"]).To(Equal("locked 0"))
		Expect(rows[1]["error"]).To(Equal("The folder " + filepath.Join(class, "locked") + " could not be read: permission denied."))
	})

	DescribeTable("refuses what it cannot grade at all, with exit status 2",
		func(args []string, message string) {
			s := batchGrader(repoRoot(), time.Minute, append([]string{"batch"}, args...)...)
			Expect(s).To(gexec.Exit(2))
			Expect(string(s.Err.Contents())).To(ContainSubstring(message))
		},
		Entry("no submissions", []string{"problem2"}, "batch takes an exercise and the submissions"),
		Entry("no such folder", []string{"problem2", "/no/such/class"}, "grader: /no/such/class: no such folder or manifest"),
		Entry("an unknown exercise", []string{"problem9", "fixtures"}, `unknown exercise "problem9" (did you mean problem`),
		Entry("a bad shard", []string{"problem2", "fixtures/problem2", "--shard", "5/4"}, "--shard is I/N with 1 ≤ I ≤ N"),
		Entry("no jobs", []string{"problem2", "fixtures/problem2", "--jobs", "0"}, "--jobs must be at least 1, not 0"),
		Entry("a report path", []string{"problem2", "fixtures/problem2", "--report", "junit=../x.xml"}, "FILE is a file name in each student's folder"),
	)
})

func rel(base, path string) string {
	r, err := filepath.Rel(base, path)
	Expect(err).NotTo(HaveOccurred())
	return r
}

func shoutExercise() string {
	return filepath.Join(repoRoot(), "cmd", "grader", "testdata", "batch", "shout.yaml")
}

// graderBinForAll is the grader binary where any user may run it.
func graderBinForAll() string {
	dir, err := os.MkdirTemp("", "grader-bin-")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(os.RemoveAll, dir)
	Expect(os.Chmod(dir, 0o755)).To(Succeed())
	data, err := os.ReadFile(graderBin)
	Expect(err).NotTo(HaveOccurred())
	bin := filepath.Join(dir, "grader")
	Expect(os.WriteFile(bin, data, 0o755)).To(Succeed())
	return bin
}

var _ = Describe("Interrupting and resuming a batch", Serial, func() {
	It("keeps what was graded, exits 130, and the same command grades only the rest", func() {
		class := shoutClass(20120, map[string]string{"a": "slow", "b": "slow", "c": "slow", "d": "slow", "e": "slow"})
		work := GinkgoT().TempDir()
		out := filepath.Join(work, "graded")
		cmd := exec.Command(graderBin, "batch", shoutExercise(), class, "--out", out, "--jobs", "1")
		cmd.Env = append(os.Environ(), "CI=")
		s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() int {
			data, _ := os.ReadFile(filepath.Join(out, "results.jsonl"))
			return strings.Count(string(data), "\n")
		}).WithTimeout(time.Minute).Should(BeNumerically(">=", 1))
		s.Interrupt()
		Eventually(s).WithTimeout(20 * time.Second).Should(gexec.Exit(130))
		Expect(string(s.Err.Contents())).To(MatchRegexp(`grader: stopped with \d not graded; \d results are kept in ` + out))
		kept := readResults(out)
		Expect(len(kept)).To(BeNumerically("<", 5))
		for _, g := range kept {
			Expect(g.Score).To(Equal(4), "only whole results are kept: %+v", g)
		}
		Expect(filepath.Join(out, "index.html")).To(BeAnExistingFile())
		_, rows := readCSV(filepath.Join(out, "grades.csv"))
		Expect(rows).To(HaveLen(len(kept)))
		Expect(processesUnder(class)).To(BeEmpty())

		again := batchGrader(work, 3*time.Minute, "batch", shoutExercise(), class, "--out", out, "--jobs", "2")
		Expect(again).To(gexec.Exit(0))
		Expect(string(again.Err.Contents())).To(ContainSubstring(fmt.Sprintf("grader: %d already graded in this folder, %d to grade\n", len(kept), 5-len(kept))))
		all := readResults(out)
		Expect(all).To(HaveLen(5))
		Expect(all[0].Seed).To(Equal(kept[0].Seed), "the resumed run takes the seed of the first")

		regraded := batchGrader(work, 3*time.Minute, "batch", shoutExercise(), class, "--out", out, "--jobs", "2", "--regrade")
		Expect(regraded).To(gexec.Exit(0))
		Expect(string(regraded.Err.Contents())).To(ContainSubstring("grader: 100%  5/5"))
		Expect(filepath.Join(out, "results.prev.jsonl")).To(BeAnExistingFile())
	})
})

var _ = Describe("Progress on a terminal", Serial, func() {
	It("is a bar with done/total, the rate, the time left and the full marks", func() {
		class := shoutClass(20130, map[string]string{"a": "good", "b": "echo"})
		out := filepath.Join(GinkgoT().TempDir(), "graded")
		// The exercise by name, from a course folder.
		line := fmt.Sprintf("%s batch shout --exercises %s %s --out %s --jobs 1", graderBin, filepath.Dir(shoutExercise()), class, out)
		// script(1) runs the grader on a pseudo-terminal of its own.
		cmd := exec.Command("script", "-qefc", line, "/dev/null")
		cmd.Env = append(os.Environ(), "CI=", "TERM=xterm", "GRADER_EXERCISES=")
		s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(s).WithTimeout(2 * time.Minute).Should(gexec.Exit(1))
		got := string(s.Out.Contents())
		Expect(got).To(ContainSubstring("\r░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  0/2  0 full marks\x1b[K"))
		Expect(got).To(MatchRegexp(`\r████████████████████░░░░░░░░░░░░░░░░░░░░  1/2  [0-9.]+/(s|min)  ETA \d+s  [01] full marks\x1b\[K`))
		Expect(got).To(MatchRegexp(`\r████████████████████████████████████████  2/2  [0-9.]+/(s|min)  1 full marks\x1b\[K\r?\n`))
	})
})
