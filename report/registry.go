package report

import (
	"io"
	"sort"

	"github.com/acme-lab/grader/checks/result"
)

// Format is one kind of report. A new format is one file holding its
// writer and one line in formats below.
type Format struct {
	// Write formats r for the format's consumer.
	Write func(w io.Writer, r *result.Result, o Options) error
	// Instructor formats are read by course staff and keep hidden checks
	// from students themselves (Gradescope's per-test visibility), so they
	// get every detail. Every other format gets ForStudents(r) unless
	// Options.ShowHidden is set.
	Instructor bool
	// Actions, when set, also hands the report (or an extra made from it) to
	// GitHub Actions through the files its environment variables name. It
	// reports whether that delivered the report itself, in which case a
	// report given no path needs no copy on stdout.
	Actions func(r *result.Result, o Options) (delivered bool, err error)
	// File is the name grader batch gives each student's report of this
	// format (OUT/students/NAME/File).
	File string
}

// Options are what writers need beyond the result. The zero value writes
// students' reports and touches no file of GitHub Actions.
type Options struct {
	ShowHidden bool   // hidden checks' details in every format (instructors' runs)
	Color      bool   // text: ANSI colours
	Dir        string // text: the submission folder, as the user typed it
	Hexdump    bool   // text: bytes as a packet view (tcpdump -X), whatever the exercise says
	// Getenv reads GITHUB_STEP_SUMMARY and GITHUB_OUTPUT. It is injected so
	// tests choose those files; nil reads nothing.
	Getenv func(string) string
	// Token fences the student's text in the github format; empty draws a
	// random one, which is what keeps a program from closing the fence.
	Token string
}

func (o Options) env(name string) string {
	if o.Getenv == nil {
		return ""
	}
	return o.Getenv(name)
}

// formats maps each --format / --report name to its writer.
var formats = map[string]Format{
	"text":             {Write: writeText, File: "report.txt"},
	"json":             {Write: func(w io.Writer, r *result.Result, _ Options) error { return JSON(w, r) }, File: "result.json"},
	"junit":            {Write: JUnit, File: "junit.xml"},
	"gradescope":       {Write: Gradescope, Instructor: true, File: "results.json"},
	"github-classroom": {Write: Classroom, Actions: classroomOutput, File: "classroom.txt"},
	"ctrf":             {Write: CTRF, File: "ctrf.json"},
	"tap":              {Write: TAP, File: "report.tap"},
	"github":           {Write: GitHub, Actions: githubSummary, File: "github.log"},
}

// Lookup returns the format called name.
func Lookup(name string) (Format, bool) {
	f, ok := formats[name]
	return f, ok
}

// Names lists the formats, sorted.
func Names() []string {
	out := make([]string, 0, len(formats))
	for n := range formats {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render writes r in format f, with hidden checks' details removed unless
// the format is for instructors or o.ShowHidden is set.
func (f Format) Render(w io.Writer, r *result.Result, o Options) error {
	return f.Write(w, f.view(r, o), o)
}

// Deliver runs f's Actions hand-over, if it has one, on the same view of r
// that Render writes.
func (f Format) Deliver(r *result.Result, o Options) (delivered bool, err error) {
	if f.Actions == nil {
		return false, nil
	}
	return f.Actions(f.view(r, o), o)
}

func (f Format) view(r *result.Result, o Options) *result.Result {
	if f.Instructor || o.ShowHidden {
		return r
	}
	return ForStudents(r)
}

func writeText(w io.Writer, r *result.Result, o Options) error {
	return Text{Color: o.Color, Dir: o.Dir, Hexdump: o.Hexdump || r.Hexdump}.Write(w, r)
}
