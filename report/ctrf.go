package report

import (
	"encoding/json"
	"io"
	"math"
	"strings"
	"time"

	"github.com/acme-lab/grader/checks/result"
)

// ctrfSpecVersion is the version of the Common Test Report Format written.
const ctrfSpecVersion = "1.0.0"

// CTRF writes a Common Test Report Format document (ctrf.io). The schema
// allows no property it does not name, so the grader's own values (points,
// seed, the check's id) go under extra. A check that could not run has no
// CTRF status of its own: it is "other", with rawStatus "error".
func CTRF(w io.Writer, r *result.Result, _ Options) error {
	start := r.Started.UnixMilli()
	stop := r.Started.Add(time.Duration(float64(r.Duration) * float64(time.Millisecond))).UnixMilli()
	doc := ctrfDoc{
		ReportFormat: "CTRF",
		SpecVersion:  ctrfSpecVersion,
		Timestamp:    r.Started.UTC().Format(time.RFC3339),
		GeneratedBy:  "grader",
		Results: ctrfResults{
			Tool: ctrfTool{Name: "grader", Version: r.Tool.Version},
			Summary: ctrfSummary{
				Tests:    len(r.Checks),
				Passed:   r.Count(result.Passed),
				Failed:   r.Count(result.Failed),
				Skipped:  r.Count(result.Skipped),
				Other:    r.Count(result.Error),
				Start:    start,
				Stop:     stop,
				Duration: stop - start,
			},
			Tests: make([]ctrfTest, 0, len(r.Checks)),
			Extra: map[string]any{"exercise": r.Exercise, "title": r.Title, "seed": r.Seed, "score": r.Score, "max_score": r.MaxScore},
		},
	}
	if r.Error != "" {
		doc.Results.Extra["error"] = clean(r.Error)
	}
	for _, c := range r.Checks {
		t := ctrfTest{
			Name:      caseName(c),
			Status:    ctrfStatus[c.Status],
			RawStatus: string(c.Status),
			Duration:  int64(math.Round(float64(c.Duration))),
			Suite:     []string{r.Exercise},
			Tags:      []string{c.ID},
			Stdout:    printed(c, result.Stdout),
			Stderr:    printed(c, result.Stderr),
			Extra:     map[string]any{"id": c.ID, "score": c.Score, "max_score": c.MaxScore},
		}
		if c.Hidden != result.NotHidden {
			t.Extra["hidden"] = c.Hidden
		}
		if c.Status != result.Passed {
			t.Message = clean(message(c))
			t.Trace = evidence(c)
		}
		doc.Results.Tests = append(doc.Results.Tests, t)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

var ctrfStatus = map[result.Status]string{
	result.Passed:  "passed",
	result.Failed:  "failed",
	result.Skipped: "skipped",
	result.Error:   "other",
}

// printed gathers what the program wrote on one stream during a check, as
// lines with control characters (ANSI escapes among them) made visible.
func printed(c result.Check, kind result.EventKind) []string {
	var b strings.Builder
	for _, e := range c.Transcript {
		if e.Kind == kind {
			b.WriteString(e.Data)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	lines := strings.Split(strings.TrimRight(cut(b.String(), maxEvidence), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(clean(strings.TrimSuffix(l, "\r")), "\t", " ")
	}
	return lines
}

type ctrfDoc struct {
	ReportFormat string      `json:"reportFormat"`
	SpecVersion  string      `json:"specVersion"`
	Timestamp    string      `json:"timestamp"`
	GeneratedBy  string      `json:"generatedBy"`
	Results      ctrfResults `json:"results"`
}

type ctrfResults struct {
	Tool    ctrfTool       `json:"tool"`
	Summary ctrfSummary    `json:"summary"`
	Tests   []ctrfTest     `json:"tests"`
	Extra   map[string]any `json:"extra"`
}

type ctrfTool struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type ctrfSummary struct {
	Tests    int   `json:"tests"`
	Passed   int   `json:"passed"`
	Failed   int   `json:"failed"`
	Skipped  int   `json:"skipped"`
	Pending  int   `json:"pending"`
	Other    int   `json:"other"`
	Start    int64 `json:"start"`
	Stop     int64 `json:"stop"`
	Duration int64 `json:"duration"`
}

type ctrfTest struct {
	Name      string         `json:"name"`
	Status    string         `json:"status"`
	RawStatus string         `json:"rawStatus"`
	Duration  int64          `json:"duration"`
	Message   string         `json:"message,omitempty"`
	Trace     string         `json:"trace,omitempty"`
	Suite     []string       `json:"suite"`
	Tags      []string       `json:"tags"`
	Stdout    []string       `json:"stdout,omitempty"`
	Stderr    []string       `json:"stderr,omitempty"`
	Extra     map[string]any `json:"extra"`
}
