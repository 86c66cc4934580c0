package reporttest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"gopkg.in/yaml.v3"
)

// XMLNode is any XML element, kept whole so rules can walk it.
type XMLNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []XMLNode  `xml:",any"`
	Text    string     `xml:",chardata"`
}

// Attr returns the attribute called name, and whether it is there.
func (n XMLNode) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// All returns the descendants called name, depth first.
func (n XMLNode) All(name string) []XMLNode {
	var out []XMLNode
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
		out = append(out, c.All(name)...)
	}
	return out
}

var camelCase = regexp.MustCompile(`^[A-Z][a-z0-9]+([A-Z][a-z0-9]+)*$`)

// ExpectJUnit holds a JUnit report to what its readers need: XML that
// encoding/xml parses, a <testsuites> root, a name and a time in seconds on
// every testsuite, a name, classname and time on every testcase, and on
// every failure and error a message attribute, a text body and a CamelCase
// type. It returns the root.
func ExpectJUnit(out string) XMLNode {
	GinkgoHelper()
	var root XMLNode
	gomega.Expect(xml.Unmarshal([]byte(out), &root)).To(gomega.Succeed(), "JUnit must be well-formed XML 1.0")
	gomega.Expect(root.XMLName.Local).To(gomega.Equal("testsuites"))
	suites := root.All("testsuite")
	gomega.Expect(suites).NotTo(gomega.BeEmpty())
	for _, s := range suites {
		expectAttrs(s, "name", "time")
		expectSeconds(s)
	}
	for _, c := range root.All("testcase") {
		expectAttrs(c, "name", "classname", "time")
		expectSeconds(c)
		for _, p := range append(c.All("failure"), c.All("error")...) {
			expectAttrs(p, "message", "type")
			typ, _ := p.Attr("type")
			gomega.Expect(typ).To(gomega.MatchRegexp(camelCase.String()), "type must be one CamelCase word")
			gomega.Expect(strings.TrimSpace(p.Text)).NotTo(gomega.BeEmpty(), "a %s needs a text body", p.XMLName.Local)
		}
	}
	return root
}

func expectAttrs(n XMLNode, names ...string) {
	GinkgoHelper()
	for _, name := range names {
		v, ok := n.Attr(name)
		gomega.Expect(ok && strings.TrimSpace(v) != "").To(gomega.BeTrue(), "<%s> needs a non-empty %s", n.XMLName.Local, name)
	}
}

func expectSeconds(n XMLNode) {
	GinkgoHelper()
	v, _ := n.Attr("time")
	_, err := strconv.ParseFloat(v, 64)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "<%s time=%q> must be seconds", n.XMLName.Local, v)
}

// TAPPoint is one test point of a TAP stream.
type TAPPoint struct {
	OK        bool
	Number    int
	Desc      string
	Directive string         // "SKIP reason", "TODO", or ""
	YAML      map[string]any // the diagnostic block under it, if any
}

var (
	tapPlan  = regexp.MustCompile(`^1\.\.(\d+)$`)
	tapPoint = regexp.MustCompile(`^(not )?ok (\d+)(?: - ((?:[^#\\]|\\.)*?))?(?: # ((?:SKIP|TODO)\b.*))?$`)
)

// ExpectTAP holds a stream to TAP version 14: the version line first, the
// plan 1..N exactly once (first or last), test points numbered 1 to N in
// order, # and \ escaped in descriptions, and YAML diagnostics indented two
// spaces between --- and ... that parse as YAML. It returns the points.
func ExpectTAP(out string) []TAPPoint {
	GinkgoHelper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	gomega.Expect(lines[0]).To(gomega.Equal("TAP version 14"))
	plans, planAt := 0, 0
	var points []TAPPoint
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		switch {
		case tapPlan.MatchString(l):
			plans++
			planAt = i
		case strings.HasPrefix(l, "#") || l == "":
		case tapPoint.MatchString(l):
			m := tapPoint.FindStringSubmatch(l)
			n, _ := strconv.Atoi(m[2])
			points = append(points, TAPPoint{OK: m[1] == "", Number: n, Desc: m[3], Directive: m[4]})
		case l == "  ---" && len(points) > 0:
			var block []string
			for i++; i < len(lines) && lines[i] != "  ..."; i++ {
				gomega.Expect(lines[i]).To(gomega.HavePrefix("  "), "line %d of a YAML block must be indented two spaces", i+1)
				block = append(block, lines[i][2:])
			}
			gomega.Expect(i).To(gomega.BeNumerically("<", len(lines)), "a YAML block must end with '  ...'")
			var doc map[string]any
			gomega.Expect(yaml.Unmarshal([]byte(strings.Join(block, "\n")), &doc)).To(gomega.Succeed())
			points[len(points)-1].YAML = doc
		default:
			Fail("line " + strconv.Itoa(i+1) + " is not TAP 14: " + strconv.Quote(l))
		}
	}
	gomega.Expect(plans).To(gomega.Equal(1), "the plan must appear exactly once")
	gomega.Expect(planAt == 1 || planAt == len(lines)-1).To(gomega.BeTrue(), "the plan goes first or last")
	want, _ := strconv.Atoi(tapPlan.FindStringSubmatch(lines[planAt])[1])
	gomega.Expect(points).To(gomega.HaveLen(want), "the plan must count the test points")
	for i, p := range points {
		gomega.Expect(p.Number).To(gomega.Equal(i+1), "test points are numbered in order")
	}
	return points
}

var (
	gradescopeTop  = []string{"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
	gradescopeTest = []string{"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags", "visibility", "extra_data"}
	visibilities   = []any{"hidden", "after_due_date", "after_published", "visible"}
	outputFormats  = []any{"text", "html", "simple_format", "md", "ansi"}
)

// ExpectGradescope holds results.json to Gradescope's documented fields:
// known keys only, a numeric score, and per test a name, numeric score and
// max_score, a status passed or failed, and a visibility and output_format
// from Gradescope's lists. It returns the document.
func ExpectGradescope(out string) map[string]any {
	GinkgoHelper()
	var doc map[string]any
	gomega.Expect(json.Unmarshal([]byte(out), &doc)).To(gomega.Succeed(), "results.json must be JSON")
	gomega.Expect(keys(doc)).To(gomega.HaveEach(gomega.BeElementOf(gradescopeTop)))
	gomega.Expect(doc["score"]).To(gomega.BeAssignableToTypeOf(0.0))
	gomega.Expect(doc["output_format"]).To(gomega.BeElementOf(outputFormats))
	tests, ok := doc["tests"].([]any)
	gomega.Expect(ok).To(gomega.BeTrue(), "tests must be a list")
	for _, t := range tests {
		test := t.(map[string]any)
		gomega.Expect(keys(test)).To(gomega.HaveEach(gomega.BeElementOf(gradescopeTest)))
		gomega.Expect(test["name"]).To(gomega.And(gomega.BeAssignableToTypeOf(""), gomega.Not(gomega.BeEmpty())))
		gomega.Expect(test["score"]).To(gomega.BeAssignableToTypeOf(0.0))
		gomega.Expect(test["max_score"]).To(gomega.BeAssignableToTypeOf(0.0))
		gomega.Expect(test["status"]).To(gomega.BeElementOf("passed", "failed"))
		gomega.Expect(test["visibility"]).To(gomega.BeElementOf(visibilities))
		gomega.Expect(test["output_format"]).To(gomega.BeElementOf(outputFormats))
	}
	return doc
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ExpectCTRF validates a report with the format's own published validator,
// the npm package ctrf (pinned in ctrf/package.json, installed by
// scripts/setup.sh into ctrf/node_modules), run through node.
func ExpectCTRF(out string) {
	GinkgoHelper()
	gomega.Expect(CTRFErrors(out)).To(gomega.BeEmpty(), "the CTRF validator's complaints")
}

// CTRFErrors returns what the CTRF validator says is wrong with a report,
// one "PATH: MESSAGE" a line; none when it is valid.
func CTRFErrors(out string) []string {
	GinkgoHelper()
	dir := filepath.Join(RepoRoot(), "report", "reporttest", "ctrf")
	_, err := os.Stat(filepath.Join(dir, "node_modules", "ctrf", "package.json"))
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "the CTRF validator is not installed: run bash scripts/setup.sh (npm ci in %s)", dir)
	cmd := exec.Command("node", filepath.Join(dir, "validate.mjs"))
	cmd.Stdin = strings.NewReader(out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return strings.Split(strings.TrimSpace(stderr.String()), "\n")
	}
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "node %s: %s", filepath.Join(dir, "validate.mjs"), stderr.String())
	return nil
}

// Classroom is the decoded result of a GitHub Classroom grader step.
type Classroom struct {
	Version  int             `json:"version"`
	Status   string          `json:"status"`
	MaxScore json.Number     `json:"max_score"`
	Tests    []ClassroomTest `json:"tests"`
}

// ClassroomTest is one entry of Classroom.Tests.
type ClassroomTest struct {
	Name     string   `json:"name"`
	Status   string   `json:"status"`
	Score    *float64 `json:"score"`
	Message  string   `json:"message"`
	Filename *string  `json:"filename"`
	LineNo   *int     `json:"line_no"`
}

// ExpectClassroom decodes the base64 as the reporter does and holds it to
// what the reporter reads: version 1, a status pass, fail or error, an
// integer max_score (parseInt), and on every test a status, a score (a
// missing one sums to NaN), filename and line_no, and a one-line message.
func ExpectClassroom(out string) Classroom {
	GinkgoHelper()
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "the result must be base64")
	var doc Classroom
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	gomega.Expect(dec.Decode(&doc)).To(gomega.Succeed())
	gomega.Expect(doc.Version).To(gomega.Equal(1))
	gomega.Expect(doc.Status).To(gomega.BeElementOf("pass", "fail", "error"))
	_, err = strconv.Atoi(doc.MaxScore.String())
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "max_score must be an integer")
	for _, t := range doc.Tests {
		gomega.Expect(t.Status).To(gomega.BeElementOf("pass", "fail", "error"))
		gomega.Expect(t.Score).NotTo(gomega.BeNil(), "a test without a score sums to NaN")
		gomega.Expect(t.Filename).NotTo(gomega.BeNil())
		gomega.Expect(t.LineNo).NotTo(gomega.BeNil())
		gomega.Expect(t.Message).NotTo(gomega.ContainSubstring("\n"), "the reporter prints the message on one line")
	}
	return doc
}

// Points sums the result as autograding-grading-reporter does: the tests'
// scores, counted only when max_score is not falsy.
func (c Classroom) Points() (total float64, max int) {
	max, _ = strconv.Atoi(c.MaxScore.String())
	if max == 0 {
		return 0, 0
	}
	for _, t := range c.Tests {
		total += *t.Score
	}
	return total, max
}

// RepoRoot is the repository's root folder, found from this file.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}
