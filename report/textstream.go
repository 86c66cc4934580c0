package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// TextStream writes the text report while the run goes on, so that a run
// whose checks take seconds shows each verdict as soon as it is known
// instead of everything at the end. What it writes in the end is exactly
// what Text writes of the whole result. Live, on a terminal, it also shows
// the check that is running on a line of its own, overwritten by the
// verdict; elsewhere (CI logs) it only appends lines.
//
// Hidden checks are treated as Render treats them: unless ShowHidden is
// set, a check hidden by its details loses them, and checks hidden whole
// are folded into one entry written at the end, and never named while they
// run.
type TextStream struct {
	w      io.Writer
	t      Text
	o      Options
	live   bool
	width  int
	titles int
	shown  map[string]bool
	folded []result.Check // checks hidden whole, until the end
	begun  bool
	ended  bool
	status bool // a running line is on the screen
}

// NewTextStream begins the report of a run of the exercise whose checks
// plan lists (their ids, titles and hiding; no verdicts yet). live asks
// for the running line, which needs a terminal.
func NewTextStream(w io.Writer, plan *result.Result, o Options, live bool) *TextStream {
	s := &TextStream{w: w, t: Text{Color: o.Color, Dir: o.Dir, Hexdump: o.Hexdump || plan.Hexdump}, o: o, live: live, shown: map[string]bool{}}
	s.width, s.titles = columns(s.view(plan))
	return s
}

func (s *TextStream) view(r *result.Result) *result.Result {
	if s.o.ShowHidden {
		return r
	}
	return ForStudents(r)
}

func (s *TextStream) hides(c result.Check) bool {
	return !s.o.ShowHidden && c.Hidden == result.HiddenAll
}

// Begin writes the header. Nothing is written before it, so a run that
// could not start (a missing file) is reported whole by Finish instead.
func (s *TextStream) Begin(r *result.Result) error {
	s.begun = true
	var b strings.Builder
	s.t.header(&b, r)
	return s.write(b.String())
}

// Running shows, live, that a check is running.
func (s *TextStream) Running(id, title string, hidden result.Hiding) error {
	if !s.live || !s.begun {
		return nil
	}
	if !s.o.ShowHidden && hidden == result.HiddenAll {
		id, title = HiddenID, "Hidden checks"
	}
	s.status = true
	return s.write(fmt.Sprintf("\r\x1b[K%s %-*s  %s  %s", s.t.paint(dim, "…"), s.width, id, clean(title), s.t.paint(dim, "running")))
}

// Check writes one verdict.
func (s *TextStream) Check(c result.Check) error {
	if !s.begun {
		return nil
	}
	if s.hides(c) {
		s.folded = append(s.folded, c)
		return s.clearStatus()
	}
	one := s.view(&result.Result{Checks: []result.Check{c}}).Checks[0]
	var b strings.Builder
	s.t.check(&b, freshNotices(one, s.shown), s.width, s.titles)
	return s.write(s.clear() + b.String())
}

// Finish writes what is left: the folded entry of the checks hidden whole,
// and the score. Before Begin, it writes the whole report.
func (s *TextStream) Finish(r *result.Result) error {
	if s.ended {
		return nil
	}
	s.ended = true
	if !s.begun {
		return s.t.Write(s.w, s.view(r))
	}
	var b strings.Builder
	if len(s.folded) > 0 {
		for _, c := range s.view(&result.Result{Checks: s.folded}).Checks {
			s.t.check(&b, freshNotices(c, s.shown), s.width, s.titles)
		}
	}
	s.t.footer(&b, s.view(r))
	return s.write(s.clear() + b.String())
}

func (s *TextStream) clearStatus() error { return s.write(s.clear()) }

// clear is what erases the running line, if one is shown.
func (s *TextStream) clear() string {
	if !s.status {
		return ""
	}
	s.status = false
	return "\r\x1b[K"
}

func (s *TextStream) write(text string) error {
	if text == "" {
		return nil
	}
	_, err := io.WriteString(s.w, text)
	return err
}
