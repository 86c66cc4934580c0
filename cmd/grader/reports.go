package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/acme-lab/grader/batch"
	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
)

// reportSpec is one --report NAME[=PATH]. With no path the report goes to
// stdout, after the terminal report, unless the format delivered it to
// GitHub Actions itself (github-classroom's step output).
type reportSpec struct {
	name, path string
	format     report.Format
	delivered  bool // the format handed it to GitHub Actions itself
}

// parseReport reads one --report value.
func parseReport(v string) (reportSpec, error) {
	name, path, _ := strings.Cut(v, "=")
	f, ok := report.Lookup(name)
	if !ok {
		return reportSpec{}, usagef("no format %q%s; the formats are %s", name, nearestFormat(name), strings.Join(report.Names(), ", "))
	}
	if path == "-" {
		path = ""
	}
	return reportSpec{name: name, path: path, format: f}, nil
}

func nearestFormat(name string) string {
	if n := checks.Nearest(name, report.Names()); n != "" {
		return fmt.Sprintf(" (did you mean %s?)", n)
	}
	return ""
}

// outputs writes every report of one run. It also collects each check's
// verdict as the engine gives it, so that if the grader itself panics once
// grading has begun, the file reports are still written with what is known
// (Gradescope shows nothing at all without its results.json).
type outputs struct {
	terminal reportSpec // --format: always on stdout
	reports  []reportSpec
	opts     report.Options
	stdout   io.Writer
	ex       *checks.Exercise
	partial  result.Result
	written  bool // the file reports are out
	begun    bool // the streamed report has begun
	// stream writes the text report check by check, when it is the
	// terminal's: a long run shows its verdicts as they are known.
	stream  *report.TextStream
	streams bool // the terminal report is text
}

func newOutputs(o *checkOptions, ex *checks.Exercise, stdout io.Writer) *outputs {
	terminal, _ := report.Lookup(o.format)
	w := &outputs{
		terminal: reportSpec{name: o.format, format: terminal},
		reports:  o.reports,
		opts:     report.Options{ShowHidden: o.showHidden, Color: colorWanted(stdout), Dir: o.dir, Hexdump: o.hexdump, Getenv: os.Getenv},
		stdout:   stdout,
		ex:       ex,
		partial:  result.Result{Version: result.Version, Tool: tool(), Exercise: ex.Name, Title: ex.Title, Seed: o.seed, Hexdump: ex.Hexdump, Started: time.Now()},
	}
	w.streams = o.format == "text"
	return w
}

// textStream is the streamed text report, begun on first use.
func (w *outputs) textStream() *report.TextStream {
	if w.stream == nil && w.streams {
		plan := &result.Result{Hexdump: w.ex.Hexdump}
		for _, c := range w.ex.Checks {
			plan.Checks = append(plan.Checks, result.Check{ID: c.ID, Title: c.Title, Hidden: c.Hidden})
		}
		w.stream = report.NewTextStream(w.stdout, plan, w.opts, isTerminal(w.stdout))
	}
	return w.stream
}

// starting is the engine's Options.Starting: the first check to run begins
// the streamed report, and on a terminal each one shows while it runs.
func (w *outputs) starting(id, title string) {
	s := w.textStream()
	if s == nil {
		return
	}
	if !w.begun {
		w.begun = true
		_ = s.Begin(&w.partial)
		for _, c := range w.partial.Checks {
			_ = s.Check(c)
		}
	}
	_ = s.Running(id, title, w.hiding(id))
}

func (w *outputs) hiding(id string) result.Hiding {
	for _, c := range w.ex.Checks {
		if c.ID == id {
			return c.Hidden
		}
	}
	return result.NotHidden
}

// progress is the engine's Options.Progress.
func (w *outputs) progress(c result.Check) {
	w.partial.Checks = append(w.partial.Checks, c)
	w.partial.Score += c.Score
	if w.begun {
		_ = w.textStream().Check(c)
	}
}

// rescue, deferred, writes the file reports from the verdicts known so far
// when the grader panics before they are written, then lets the panic go on:
// the crash is still a crash, with its stack and exit status 2.
func (w *outputs) rescue() {
	p := recover()
	if p == nil {
		return
	}
	if !w.written {
		_ = w.writeFiles(crashed(&w.partial, w.ex, p))
	}
	panic(p)
}

// write writes the file reports first (what CI and grading platforms
// keep), then the terminal report and the reports meant for stdout.
func (w *outputs) write(r *result.Result) error {
	errFiles := w.writeFiles(r)
	if s := w.textStream(); s != nil {
		if err := s.Finish(r); err != nil {
			return err
		}
	} else if err := w.terminal.format.Render(w.stdout, r, w.opts); err != nil {
		return err
	}
	for _, s := range w.reports {
		if s.path != "" || s.delivered {
			continue
		}
		if err := s.format.Render(w.stdout, r, w.opts); err != nil {
			return err
		}
	}
	return errFiles
}

// writeFiles hands each format's report to GitHub Actions, once, when the
// format does so (the terminal's too: --format github writes the job
// summary), and writes the reports that have a path, each atomically. One
// that fails does not stop the others; the first error is returned.
func (w *outputs) writeFiles(r *result.Result) error {
	w.written = true
	var first error
	handed := map[string]bool{} // format name → whether Actions got the report itself
	specs := []*reportSpec{&w.terminal}
	for i := range w.reports {
		specs = append(specs, &w.reports[i])
	}
	for _, s := range specs {
		err := guard(func() (err error) {
			if d, ok := handed[s.name]; ok {
				s.delivered = d // handed over once per format, however often it is named
			} else {
				s.delivered, err = s.format.Deliver(r, w.opts)
				handed[s.name] = s.delivered
			}
			if err != nil || s.path == "" {
				return err
			}
			return batch.WriteAtomic(s.path, func(f io.Writer) error { return s.format.Render(f, r, w.opts) })
		})
		if err != nil && first == nil {
			first = fmt.Errorf("the %s report: %w", s.name, err)
		}
	}
	return first
}

// guard turns a panic in one report's writer into an error, so the other
// reports are still written.
func guard(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	return f()
}

// crashed completes the verdicts known when the grader panicked: the checks
// not reached could not be run, and the run says why.
func crashed(known *result.Result, ex *checks.Exercise, p any) *result.Result {
	r := *known
	r.Checks = append([]result.Check(nil), known.Checks...)
	r.Duration = result.MillisOf(time.Since(r.Started))
	r.Error = fmt.Sprintf("The grader itself failed (internal error: %v), so your submission was not fully graded. Tell your instructor.", p)
	for _, c := range ex.Checks {
		r.MaxScore += c.Points
	}
	for _, c := range ex.Checks[min(len(known.Checks), len(ex.Checks)):] {
		r.Checks = append(r.Checks, result.Check{
			ID: c.ID, Title: c.Title, Status: result.Error, MaxScore: c.Points, Hidden: c.Hidden,
			Message: "The grader failed before this check could run.", Transcript: []result.Event{},
		})
	}
	return &r
}
