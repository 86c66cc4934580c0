package report

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/acme-lab/grader/checks/result"
)

// Classroom writes the result of a GitHub Classroom grader step, version 1,
// base64-encoded: the autograding-grading-reporter action reads it from the
// step output named result (env <RUNNER>_RESULTS), sums tests[].score into
// the points Classroom records, and takes max_score with parseInt.
//
//	{"version":1,"status":"fail","max_score":4,"tests":[{"name":"listens: …","status":"pass","score":1,…}]}
//
// Every test carries a score (a missing one sums to NaN), and its message
// is one line: the reporter prints it to the log, where a line break would
// let a program's text start a workflow command of its own.
func Classroom(w io.Writer, r *result.Result, _ Options) error {
	enc, err := classroomResult(r)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, enc)
	return err
}

// classroomOutput sets the step output result when the grader runs in a
// GitHub Actions step ($GITHUB_OUTPUT), which is how the reporter gets it.
func classroomOutput(r *result.Result, o Options) (bool, error) {
	path := o.env("GITHUB_OUTPUT")
	if path == "" {
		return false, nil
	}
	enc, err := classroomResult(r)
	if err != nil {
		return false, err
	}
	return true, appendFile(path, "result="+enc+"\n")
}

func classroomResult(r *result.Result) (string, error) {
	out := classroomDoc{Version: 1, Status: "fail", MaxScore: r.MaxScore, Tests: make([]classroomTest, 0, len(r.Checks))}
	switch {
	case r.Error != "":
		out.Status = "error"
	case r.Passed():
		out.Status = "pass"
	}
	for _, c := range r.Checks {
		t := classroomTest{
			Name:     caseName(c),
			Status:   classroomStatus[c.Status],
			Score:    c.Score,
			TestCode: fmt.Sprintf("grader check %s --seed %d", r.Exercise, r.Seed),
			Duration: int(math.Round(float64(c.Duration))),
		}
		if c.Status != result.Passed {
			t.Message = oneLine(message(c), 1000)
		}
		out.Tests = append(out.Tests, t)
	}
	data, err := json.Marshal(out)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(data), nil
}

var classroomStatus = map[result.Status]string{
	result.Passed:  "pass",
	result.Failed:  "fail",
	result.Skipped: "fail", // no points: for Classroom it did not pass
	result.Error:   "error",
}

type classroomDoc struct {
	Version  int             `json:"version"`
	Status   string          `json:"status"`
	MaxScore int             `json:"max_score"`
	Tests    []classroomTest `json:"tests"`
}

type classroomTest struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Score    int    `json:"score"`
	Message  string `json:"message"`
	TestCode string `json:"test_code"`
	Filename string `json:"filename"`
	LineNo   int    `json:"line_no"`
	Duration int    `json:"duration"` // milliseconds
}

// appendFile adds text to a file GitHub Actions reads after the step; it
// is shared with other steps' writes, so it is appended to, never replaced.
func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
