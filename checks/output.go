package checks

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// outputStep expects what the program prints: on stdout or stderr, since the
// start of the check or a mark, within a time. Output is judged as a whole,
// so prints that arrive in pieces (or after the reply) are waited for.
//
//	steps:
//	  - output: {since: round, that: 'len(findAll("rock|paper|scissors", output)) >= 2', capture: printed}
//	  - output: {stream: stderr, absent: [Traceback], for: 300ms}  # or until the program settles
type outputStep struct {
	stream string
	since  string
	within time.Duration
	absent []*Template
	m      matcher
}

func decodeOutput(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "output", append([]string{"stream", "since", "within", "for", "absent"}, matcherKeys...), "contains")
	s := &outputStep{stream: "stdout", since: "start", m: d.matcher(n, f, "output")}
	if v := f["stream"]; v != nil {
		s.stream = d.str(v, "output.stream")
		if s.stream != "stdout" && s.stream != "stderr" {
			d.errorf(v, "output.stream must be stdout or stderr, not %q", s.stream)
		}
	}
	if v := f["since"]; v != nil {
		s.since = d.str(v, "output.since")
	}
	if f["within"] != nil && f["for"] != nil {
		d.errorf(n, "output takes within (wait for text) or for (watch that text stays absent), not both")
	}
	for _, k := range []string{"within", "for"} {
		if v := f[k]; v != nil {
			s.within = d.duration(v, "output."+k)
		}
	}
	for _, a := range d.strs(f["absent"], "output.absent") {
		s.absent = append(s.absent, d.templateOf(f["absent"], a, "output.absent"))
	}
	if f["line"] != nil {
		d.errorf(f["line"], "output judges everything printed since the mark; line does not apply")
	}
	if s.m.empty() && len(s.absent) == 0 {
		d.errorf(n, "output needs at least one of contains, regex, that, exact, one_of or absent")
	}
	return s
}

func (s *outputStep) run(r *runner) error {
	// A check may begin by watching what the program prints.
	if _, err := r.program(); err != nil {
		return err
	}
	out := r.stdout
	if s.stream == "stderr" {
		out = r.stderr
	}
	from := 0
	if s.since != "start" {
		m, ok := r.marks[s.since]
		if !ok {
			return &ExerciseError{Err: errNoMark(s.since)}
		}
		from = m.stdout
		if s.stream == "stderr" {
			from = m.stderr
		}
	}
	j, err := s.m.prepare(r.env)
	if err != nil {
		return err
	}
	j.subject = "output"
	var absent []string
	for _, t := range s.absent {
		a, err := t.Render(r.env, nil)
		if err != nil {
			return err
		}
		absent = append(absent, a)
	}
	wait := s.within
	if wait == 0 {
		wait = r.ex.Timeouts.Step
	}
	timer := time.NewTimer(time.Until(r.until(wait)))
	defer timer.Stop()
	// A watch that only text stays absent ends once the program settles:
	// it will print nothing more until the grader acts.
	var look <-chan time.Time
	settle := settler{r: r}
	if s.m.empty() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		look = t.C
	}
	var done <-chan struct{}
	if r.proc != nil {
		done = r.proc.Done()
	}
	final := false
	for {
		text, truncated, changed := out.Snapshot(from)
		for _, a := range absent {
			if strings.Contains(string(text), a) {
				f := failf("Your program printed %q on %s, which it should not.", a, s.stream)
				f.Got, f.GotAt = string(text), strings.Index(string(text), a)
				return f
			}
		}
		if s.m.empty() {
			if final {
				return nil
			}
		} else if v, err := j.judge(string(text), final); err != nil {
			return err
		} else if v == matched {
			j.keep(string(text))
			return nil
		} else if final {
			return s.failure(j, string(text), truncated, wait)
		}
		select {
		case <-changed:
		case <-done:
			done, final = nil, true
		case <-timer.C:
			final = true
		case <-look:
			final = settle.settled()
		}
	}
}

func (s *outputStep) failure(j *judgement, text string, truncated bool, wait time.Duration) error {
	want := j.describe()
	f := failf("Your program's %s did not show %s within %s.", s.stream, want, wait)
	switch {
	case text == "" && s.since != "start":
		f = failf("Your program printed nothing more on %s, but was expected to show %s.", s.stream, want)
	case text == "":
		f = failf("Your program printed nothing on %s, but was expected to show %s.", s.stream, want)
	}
	if truncated {
		f.Msg += " (Its output was cut at 64 KiB.)"
	}
	f.Expected, f.Got = want, text
	return f
}

type errNoMark string

func (e errNoMark) Error() string {
	return "no mark named " + string(e) + " was set before this output step"
}
