package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// JUnit writes JUnit XML as CI test reporters read it (there is no official
// schema): a <testsuites> root, one <testsuite> per run named after the
// exercise, one <testcase> per check; name and time on every suite and
// case; a failure or error with both a message attribute and a text body
// (dorny/test-reporter reads the first, GitLab the second) and a CamelCase
// type; times in seconds. Points go in properties, the transcript in the
// case's system-out, where GitLab shows it.
//
//	<testcase name="echo-time: A message comes back" classname="EXERCISE" time="0.212">
//	  <failure message="The reply has no time." type="CheckFailed">…</failure>
func JUnit(w io.Writer, r *result.Result, _ Options) error {
	suite := junitSuite{
		Name:      xmlText(r.Exercise),
		Tests:     len(r.Checks),
		Failures:  r.Count(result.Failed),
		Errors:    r.Count(result.Error),
		Skipped:   r.Count(result.Skipped),
		Time:      seconds(r.Duration),
		Timestamp: r.Started.UTC().Format("2006-01-02T15:04:05"),
		Properties: junitProperties{[]junitProperty{
			{"title", xmlText(r.Title)},
			{"tool", xmlText(r.Tool.String())},
			{"seed", fmt.Sprint(r.Seed)},
			{"score", fmt.Sprint(r.Score)},
			{"max_score", fmt.Sprint(r.MaxScore)},
		}},
	}
	if r.Error != "" {
		suite.Properties.Property = append(suite.Properties.Property, junitProperty{"error", xmlText(clean(r.Error))})
	}
	for _, c := range r.Checks {
		suite.Cases = append(suite.Cases, junitCase(r, c))
	}
	doc := junitSuites{
		Name: "grader", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Skipped: suite.Skipped, Time: suite.Time, Suites: []junitSuite{suite},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCase(r *result.Result, c result.Check) junitTestcase {
	tc := junitTestcase{
		Name:      xmlText(caseName(c)),
		Classname: xmlText(r.Exercise),
		Time:      seconds(c.Duration),
		Properties: &junitProperties{[]junitProperty{
			{"id", xmlText(c.ID)},
			{"score", fmt.Sprint(c.Score)},
			{"max_score", fmt.Sprint(c.MaxScore)},
		}},
	}
	body := xmlBody(evidence(c))
	msg := xmlText(oneLine(message(c), 500))
	switch c.Status {
	case result.Failed:
		tc.Failure = &junitProblem{Message: msg, Type: "CheckFailed", Body: body}
	case result.Error:
		tc.Error = &junitProblem{Message: msg, Type: "CheckError", Body: body}
	case result.Skipped:
		tc.Skipped = &junitSkipped{Message: msg}
	default:
		if body != "" {
			tc.SystemOut = &junitText{body} // notices of a check that passed
		}
	}
	return tc
}

// xmlBody is text escaped for an element's content. encoding/xml would
// write each line break as &#xA;, which is right but unreadable to a person
// opening the file; only &, < and > need escaping there.
func xmlBody(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(xmlText(s))
}

// xmlText drops what XML 1.0 cannot hold at all (most control characters,
// surrogates, U+FFFE and U+FFFF), which no escaping can express; the
// encoder escapes the rest.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, validUTF8(s))
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties junitProperties `xml:"properties"`
	Cases      []junitTestcase `xml:"testcase"`
}

type junitProperties struct {
	Property []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Name       string           `xml:"name,attr"`
	Classname  string           `xml:"classname,attr"`
	Time       string           `xml:"time,attr"`
	Properties *junitProperties `xml:"properties"`
	Failure    *junitProblem    `xml:"failure"`
	Error      *junitProblem    `xml:"error"`
	Skipped    *junitSkipped    `xml:"skipped"`
	SystemOut  *junitText       `xml:"system-out"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",innerxml"` // xmlBody: escaped here, so line breaks stay line breaks
}

type junitText struct {
	Body string `xml:",innerxml"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}
