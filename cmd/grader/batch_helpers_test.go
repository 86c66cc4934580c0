package main_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// shoutServer is a student's shout.py on a port of its own (the batch
// specs grade several at once, before every program has a network of its
// own). kind: good, echo (answers as sent), forgets (capitals for the first
// line of a connection, then each line backwards), slow (listens after a second), exits (ends
// before listening, saying why). Each does the same every run, so that two
// gradings of a class give the same transcripts.
func shoutServer(port int, kind string) string {
	answer := "line.upper()"
	switch kind {
	case "echo":
		answer = "line"
	case "forgets":
		answer = "line.upper() if n == 0 else line[::-1]"
	}
	src := fmt.Sprintf(`import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", %d))
s.listen(5)
while True:
    c, _ = s.accept()
    for n, line in enumerate(c.makefile("rb")):
        c.sendall(%s)
    c.close()
`, port, answer)
	switch kind {
	case "slow":
		src = strings.Replace(src, "s = socket.socket()", "time.sleep(1)\ns = socket.socket()", 1)
	case "exits":
		src = "import sys\nsys.exit('shout.py: this server is not finished')\n"
	}
	return src
}

// shoutClass writes one folder per student (name → kind; kind "" hands in
// notes.txt instead of shout.py), each server on its own port from base.
func shoutClass(base int, students map[string]string) string {
	root := filepath.Join(GinkgoT().TempDir(), "submissions")
	port := base
	for _, name := range sortedKeys(students) {
		dir := filepath.Join(root, name)
		Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
		if students[name] == "" {
			Expect(os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not done"), 0o644)).To(Succeed())
			continue
		}
		port++
		Expect(os.WriteFile(filepath.Join(dir, "shout.py"), []byte(shoutServer(port, students[name])), 0o644)).To(Succeed())
	}
	return root
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

// batchGrader runs the binary in dir and waits up to limit for it to end.
func batchGrader(dir string, limit time.Duration, args ...string) *gexec.Session {
	return batchGraderEnv(dir, limit, nil, args...)
}

// batchGraderEnv is batchGrader with variables added to the environment.
func batchGraderEnv(dir string, limit time.Duration, env []string, args ...string) *gexec.Session {
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(cmd.Environ(), "NO_COLOR=1", "CI=", "GRADER_EXERCISES="), env...)
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(s).WithTimeout(limit).Should(gexec.Exit())
	return s
}

// readCSV reads grades.csv as rows of named cells.
func readCSV(path string) (header []string, rows []map[string]string) {
	f, err := os.Open(path)
	Expect(err).NotTo(HaveOccurred())
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	Expect(err).NotTo(HaveOccurred())
	Expect(all).NotTo(BeEmpty())
	header = all[0]
	for _, rec := range all[1:] {
		row := map[string]string{}
		for i, h := range header {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return header, rows
}

type gradedLine struct {
	Student    string `json:"student"`
	Submission string `json:"submission"`
	Seed       uint64 `json:"seed"`
	Score      int    `json:"score"`
	MaxScore   int    `json:"max_score"`
	Error      string `json:"error"`
	Checks     []struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		Score    int    `json:"score"`
		MaxScore int    `json:"max_score"`
		Message  string `json:"message"`
	} `json:"checks"`
}

// readResults reads OUT/results.jsonl, every line whole.
func readResults(out string) []gradedLine {
	data, err := os.ReadFile(filepath.Join(out, "results.jsonl"))
	Expect(err).NotTo(HaveOccurred())
	var lines []gradedLine
	for _, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var g gradedLine
		Expect(json.Unmarshal(l, &g)).To(Succeed(), string(l))
		lines = append(lines, g)
	}
	return lines
}

// timings are the parts of OUT's files that depend on how fast the
// machine was: everything else is the same however a class is graded.
var timings = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`"started": ?"[^"]*"`), `"started":"T"`},
	{regexp.MustCompile(`"(duration_ms|at_ms)": ?[0-9.e+-]+`), `"$1":T`},
	{regexp.MustCompile(` *\d+\.\dms`), ` Tms`},                                             // text transcripts
	{regexp.MustCompile(`<td class="timing" data-sort="[0-9.]+">[^<]*</td>`), `<td>T</td>`}, // the students' table
	{regexp.MustCompile(`(?s)<ol class="timing">.*?</ol>`), `<ol>T</ol>`},                   // slowest submissions
	{regexp.MustCompile(`\b(time|timestamp)="[^"]*"`), `$1="T"`},                            // JUnit
}

func withoutTimings(b []byte) string {
	s := string(b)
	for _, t := range timings {
		s = t.re.ReplaceAllString(s, t.with)
	}
	return s
}

// filesOf lists a folder's files, relative, hidden ones aside.
func filesOf(root string) []string {
	var out []string
	Expect(filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() && !strings.HasPrefix(info.Name(), ".") {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})).To(Succeed())
	return out
}

func sortStrings(s []string) { sort.Strings(s) }

// firstDifference shows the first line where two texts part, with the lines
// around it, so that a failed byte-for-byte comparison says where.
func firstDifference(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(a) || i < len(b); i++ {
		if i < len(a) && i < len(b) && a[i] == b[i] {
			continue
		}
		from := max(0, i-3)
		return fmt.Sprintf("first difference at line %d\n--- one run\n%s\n--- merged\n%s",
			i+1, strings.Join(a[from:min(len(a), i+4)], "\n"), strings.Join(b[from:min(len(b), i+4)], "\n"))
	}
	return "no difference"
}

// processesIn lists the live processes working in dir.
func processesIn(dir string) []string {
	return processesWorking(func(cwd string) bool { return cwd == dir })
}

// processesUnder lists the live processes working anywhere under dir.
func processesUnder(dir string) []string {
	return processesWorking(func(cwd string) bool { return strings.HasPrefix(cwd, dir) })
}

// processesWorking lists the live processes whose working folder is one
// that where accepts.
func processesWorking(where func(cwd string) bool) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd")); err == nil && where(cwd) {
			out = append(out, e.Name())
		}
	}
	return out
}
