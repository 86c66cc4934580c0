package checks

import (
	"strings"
	"time"
)

// outputStep expects what the program prints: on stdout or stderr, since the
// start of the check or a mark, within a time. Output is judged as a whole,
// so prints that arrive in pieces (or after the reply) are waited for.
type outputStep struct {
	stream string
	since  string
	within time.Duration
	absent []*Template
	m      matcher
}

var outputKind = &StepKind{
	Doc: "judges what the program printed, since the check began or a mark, waiting for prints that come in pieces",
	Value: vObject(append([]Field{
		{Name: "stream", Value: vEnum("stdout", "stderr"), Doc: "which output", Default: "stdout"},
		{Name: "since", Value: vText, Doc: "a mark set by an earlier step; start is the check's start", Default: "start"},
		{Name: "within", Value: vDuration, Doc: "how long to wait for the text", Default: "timeouts.step"},
		{Name: "for", Value: vDuration, Doc: "how long to watch that absent text stays absent; the watch ends sooner once the program settles (it ended, or every thread waits)"},
		{Name: "absent", Value: vTmpls, Doc: "texts that must not appear"},
	}, withoutField(matcherFields, "line")...)...).
		short("contains").
		rule(AtLeastOne, append(matcherTests, "absent")...).
		rule(NotTogether, "within", "for").
		rule(NotTogether, "exact", "one_of").
		refuse("line", "output judges everything printed since the mark; line does not apply"),
	Example: `- mark: round
- send: "{{ move }}"
- output: {since: round, that: 'len(findAll("rock|paper|scissors", output)) >= 2', capture: printed}
- output: {stream: stderr, absent: [Traceback], for: 300ms}`,
	decode: decodeOutput,
}

func withoutField(fields []Field, name string) []Field {
	var out []Field
	for _, f := range fields {
		if f.Name != name {
			out = append(out, f)
		}
	}
	return out
}

func decodeOutput(d *decoder, o *opts, _ *Exercise) Step {
	s := &outputStep{stream: o.enum("stream", "stdout"), since: o.str("since", "start")}
	if n := o.node("since"); n != nil && !d.sc.marks[s.since] {
		d.errorf(n, "output.since: no mark named %q is set above%s; add a mark step before it", s.since, didYouMean(s.since, keys(d.sc.marks)))
	}
	s.within = o.duration("within")
	if o.has("for") {
		s.within = o.duration("for")
	}
	s.absent = o.templates("absent")
	s.m = d.matcher(o, "output")
	return s
}

func (s *outputStep) run(r *runner) error {
	// A check may begin by watching what the program prints.
	if _, err := r.startedProgram(); err != nil {
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
	ends := r.until(wait)
	timer := time.NewTimer(time.Until(ends))
	defer timer.Stop()
	// A watch that only text stays absent ends once the program settles:
	// it will print nothing more until the grader acts.
	var look <-chan time.Time
	settle := settler{r: r}
	if s.m.empty() {
		t := time.NewTicker(lingerLook)
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
			final = settle.settled(ends)
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
