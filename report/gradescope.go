package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// Gradescope writes /autograder/results/results.json. Gradescope shows
// nothing at all when the file is missing or malformed, so the CLI writes it
// for every run, including one that could not grade anything: the score is
// then 0 and the output says why.
//
// It is an instructors' format: hidden checks are written in full, and
// Gradescope keeps them from students by the test's visibility,
// after_due_date for hidden: true (details hidden) and hidden for
// hidden: all. Gradescope also hides the total from students while any test
// is hidden. Output is plain text ("text"), never Markdown or HTML, so
// nothing a program printed is rendered.
func Gradescope(w io.Writer, r *result.Result, _ Options) error {
	out := gradescopeResults{
		Score:            r.Score,
		ExecutionTime:    int(math.Round(float64(r.Duration) / 1000)),
		Output:           gradescopeSummary(r),
		OutputFormat:     "text",
		TestOutputFormat: "text",
		StdoutVisibility: "hidden",
		ExtraData: map[string]any{
			"exercise": r.Exercise, "seed": r.Seed, "max_score": r.MaxScore, "grader_result_version": r.Version,
			"tool": r.Tool.String(),
		},
		Tests: make([]gradescopeTest, 0, len(r.Checks)),
	}
	if r.Error != "" {
		out.ExtraData["error"] = clean(r.Error)
	}
	for i, c := range r.Checks {
		t := gradescopeTest{
			Name:         oneLine(c.Title, 200),
			Number:       fmt.Sprint(i + 1),
			Score:        c.Score,
			MaxScore:     c.MaxScore,
			Status:       "failed",
			Output:       gradescopeOutput(c),
			OutputFormat: "text",
			Tags:         []string{c.ID},
			Visibility:   gradescopeVisibility[c.Hidden],
			ExtraData:    map[string]any{"id": c.ID, "status": c.Status},
		}
		if c.Status == result.Passed {
			t.Status = "passed"
		}
		out.Tests = append(out.Tests, t)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// gradescopeVisibility: what students see of a hidden check before and
// after the due date (Gradescope's own rule), by how the exercise hides it.
var gradescopeVisibility = map[result.Hiding]string{
	result.NotHidden:     "visible",
	result.HiddenDetails: "after_due_date",
	result.HiddenAll:     "hidden",
}

func gradescopeSummary(r *result.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\nScore: %d/%d points, %d of %d checks passed (seed %d).\n",
		r.Exercise, clean(r.Title), r.Score, r.MaxScore, r.Count(result.Passed), len(r.Checks), r.Seed)
	if r.Error != "" {
		fmt.Fprintf(&b, "\nNothing could be graded: %s\n", clean(r.Error))
	}
	for _, n := range r.Notices {
		fmt.Fprintf(&b, "note: %s\n", clean(n))
	}
	return cut(b.String(), maxEvidence)
}

func gradescopeOutput(c result.Check) string {
	if c.Status == result.Passed && len(c.Notices) == 0 {
		return "Passed."
	}
	return evidence(c)
}

type gradescopeResults struct {
	Score            int              `json:"score"`
	ExecutionTime    int              `json:"execution_time"`
	Output           string           `json:"output"`
	OutputFormat     string           `json:"output_format"`
	TestOutputFormat string           `json:"test_output_format"`
	StdoutVisibility string           `json:"stdout_visibility"`
	ExtraData        map[string]any   `json:"extra_data"`
	Tests            []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Name         string         `json:"name"`
	Number       string         `json:"number"`
	Score        int            `json:"score"`
	MaxScore     int            `json:"max_score"`
	Status       string         `json:"status"`
	Output       string         `json:"output"`
	OutputFormat string         `json:"output_format"`
	Tags         []string       `json:"tags"`
	Visibility   string         `json:"visibility"`
	ExtraData    map[string]any `json:"extra_data"`
}
