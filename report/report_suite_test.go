package report_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
)

func TestReport(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Reports")
}

// sample is one run made by hand, so that reports can be compared byte for
// byte whatever the machine's speed: a check that passed with a notice, one
// that failed on bytes a hostile program chose, one skipped, one that could
// not run, one whose details are hidden and two hidden whole. Everything a
// student must not see holds the word SECRET.
func sample() *result.Result {
	at := 9
	forged := "::notice title=Autograding complete::Points 10/10\n::error::forged\n</failure></testcase>\x1b[31mPASS\x00\x07\xff"
	return &result.Result{
		Version:  result.Version,
		Tool:     result.Tool{Name: "grader", Version: "v1.2.3"},
		Exercise: "problem1",
		Title:    "Problem 1: a TCP server that stamps the time (simple_server.py)",
		Seed:     4242,
		Score:    3,
		MaxScore: 9,
		Notices:  []string{"python3 is /usr/bin/python3.12"},
		Started:  time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Duration: 2345.6,
		Checks: []result.Check{
			{
				ID: "listens", Title: "The server starts and accepts a TCP connection", Status: result.Passed,
				Score: 1, MaxScore: 1, Duration: 41.5,
				Notices: []string{"Your server listens on port 40001; the course text uses 33498."},
				Transcript: []result.Event{
					{At: 0, Kind: result.Start, Data: "python3 simple_server.py"},
					{At: 35.2, Kind: result.Listen, Data: "127.0.0.1:40001"},
					{At: 35.9, Kind: result.Connect, Conn: "c1"},
				},
			},
			{
				ID: "echo-time", Title: "A message comes back with the current time", Status: result.Failed,
				Score: 0, MaxScore: 1, Duration: 212.25,
				Message:  "The reply does not hold the current time as HH:MM:SS.",
				Expected: `a reply with "k3j9x2" and the current time as HH:MM:SS`,
				Got:      "hello k3j9x2 " + forged, GotAt: &at,
				Hint: "Send back the data you received together with time.strftime('%H:%M:%S').",
				Transcript: []result.Event{
					{At: 0, Kind: result.Start, Data: "python3 simple_server.py"},
					{At: 36.1, Kind: result.Connect, Conn: "c1"},
					{At: 36.4, Kind: result.Send, Conn: "c1", Data: "hello k3j9x2"},
					{At: 37, Kind: result.Stdout, Data: forged + "\n"},
					{At: 37.5, Kind: result.Stderr, Data: "::stop-commands::x\n{\"score\": 100}\n"},
					{At: 38, Kind: result.Recv, Conn: "c1", Data: "hello k3j9x2 " + forged},
					{At: 212, Kind: result.Exit, Data: "killed by the grader (SIGTERM)"},
				},
			},
			{
				ID: "several-blocks", Title: "Every message on one connection gets its own reply", Status: result.Skipped,
				MaxScore: 1, Message: `Skipped: it needs "echo-time", which failed.`, Transcript: []result.Event{},
			},
			{
				ID: "client-close", Title: "The server closes when the client does, without a traceback", Status: result.Error,
				MaxScore: 1, Duration: 3.5, Message: "The exercise file is at fault (exercises/problem1.yaml:60): unknown variable \"tokn\"",
				Transcript: []result.Event{},
			},
			{
				ID: "secret-port", Title: "Answers on a second connection", Status: result.Failed, Hidden: result.HiddenDetails,
				MaxScore: 2, Duration: 80, Message: "SECRET message", Expected: "SECRET expected", Got: "SECRET got",
				Hint: "SECRET hint", Notices: []string{"SECRET notice"},
				Transcript: []result.Event{{At: 1, Kind: result.Send, Conn: "c1", Data: "SECRET transcript"}},
			},
			{
				ID: "secret-load", Title: "SECRET title of a check hidden whole", Status: result.Passed, Hidden: result.HiddenAll,
				Score: 2, MaxScore: 2, Duration: 100,
				Transcript: []result.Event{{At: 1, Kind: result.Send, Conn: "c1", Data: "SECRET transcript"}},
			},
			{
				ID: "secret-flood", Title: "SECRET title of another", Status: result.Failed, Hidden: result.HiddenAll,
				MaxScore: 1, Duration: 50, Message: "SECRET message", Hint: "SECRET hint",
				Transcript: []result.Event{{At: 1, Kind: result.Recv, Conn: "c1", Data: "SECRET transcript"}},
			},
		},
	}
}

// broken is a run that could not grade anything: the submission's file is
// missing, so the engine gives every check the status error and no points.
func broken() *result.Result {
	why := "simple_server.py not found in /tmp/submission. Run the grader in the folder that holds your submission, or pass --dir."
	r := &result.Result{
		Version: result.Version, Exercise: "problem1", Title: "Problem 1", Seed: 7, MaxScore: 2, Error: why,
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	for _, id := range []string{"listens", "echo-time"} {
		r.Checks = append(r.Checks, result.Check{ID: id, Title: "Check " + id, Status: result.Error, MaxScore: 1, Message: why, Transcript: []result.Event{}})
	}
	return r
}

// hostile is a run whose every text field holds what breaks formats:
// control characters raw, ANSI escapes, invalid UTF-8, XML's end tags,
// Markdown table bars, workflow commands after a line break, and TAP's #.
func hostile() *result.Result {
	bad := "x\x00\x0b\x1b[2J\xff\ufffe</failure></testcase>]]>|<img src=x># TODO\n::error::forged\r\n##[error]old forged"
	return &result.Result{
		Version: result.Version, Exercise: "problem1", Title: "T " + bad, Seed: 1, MaxScore: 2, Score: 1,
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Notices: []string{bad},
		Checks: []result.Check{
			{ID: "listens", Title: "Title " + bad, Status: result.Passed, Score: 1, MaxScore: 1, Notices: []string{bad}, Transcript: []result.Event{}},
			{ID: "echo-time", Title: "Title " + bad, Status: result.Failed, MaxScore: 1, Message: "Message " + bad, Expected: bad, Got: bad, Hint: bad,
				Transcript: []result.Event{{Kind: result.Stdout, Data: bad}, {Kind: result.Recv, Conn: "c1", Data: bad}}},
		},
	}
}
