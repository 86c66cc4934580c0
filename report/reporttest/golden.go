// Package reporttest holds what the test suites need to judge reports as
// their consumers would: golden files, and each consumer's rules (an XML
// parser for JUnit, the CTRF schema, TAP's grammar, the GitHub Actions
// runner's reading of workflow commands).
//
// Golden files: what changes from run to run (clock times, durations, temp
// folders, the github format's random fence) is normalised away, a
// difference is shown as a line diff, and GRADER_UPDATE_GOLDEN=1 re-records
// the files:
//
//	GRADER_UPDATE_GOLDEN=1 go test ./report/... ./cmd/grader/...
package reporttest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
)

// UpdateGolden is true when the golden files are being re-recorded.
var UpdateGolden = os.Getenv("GRADER_UPDATE_GOLDEN") != ""

var normalisers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?`), "<TIME>"},
	{regexp.MustCompile(`("(?:start|stop)": )\d+`), "${1}<EPOCH>"},
	{regexp.MustCompile(`("(?:duration_ms|duration|at_ms|execution_time)": )[0-9.]+`), "${1}<MS>"},
	{regexp.MustCompile(`(time=")[0-9.]+(")`), "${1}<S>${2}"},
	{regexp.MustCompile(`\b\d+\.\dms\b`), "<MS>"},
	{regexp.MustCompile(`(?:/private)?/(?:tmp|var/folders)/[^\s"'<>]*`), "<TMP>"},
	{regexp.MustCompile(`::stop-commands::[0-9a-f]{32}`), "::stop-commands::<TOKEN>"},
	{regexp.MustCompile(`(?m)^::[0-9a-f]{32}::$`), "::<TOKEN>::"},
}

// Normalise replaces what differs between two runs of the same report.
func Normalise(s string) string {
	for _, n := range normalisers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return s
}

// ExpectGolden compares got, normalised, with the file at path, or records
// it when UpdateGolden is set.
func ExpectGolden(path, got string) {
	GinkgoHelper()
	got = Normalise(got)
	if UpdateGolden {
		gomega.Expect(os.MkdirAll(filepath.Dir(path), 0o755)).To(gomega.Succeed())
		gomega.Expect(os.WriteFile(path, []byte(got), 0o644)).To(gomega.Succeed())
		return
	}
	want, err := os.ReadFile(path)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "no golden file; record it with GRADER_UPDATE_GOLDEN=1")
	if string(want) != got {
		Fail(fmt.Sprintf("%s differs from its golden file (- golden, + now; GRADER_UPDATE_GOLDEN=1 re-records it):\n%s", path, Diff(string(want), got)))
	}
}

// Diff is a longest-common-subsequence diff by line, enough to see what
// changed in a report.
func Diff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out.WriteString("  " + x[i] + "\n")
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			out.WriteString("+ " + y[j] + "\n")
			j++
		default:
			out.WriteString("- " + x[i] + "\n")
			i++
		}
	}
	return out.String()
}
