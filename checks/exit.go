package checks

import (
	"strconv"
	"time"
)

// exitStep expects the program to end by itself within a time, and, when
// code is given, with that exit status. A failure shows how it ended and
// the end of what it printed (a traceback, usually).
type exitStep struct {
	within time.Duration
	code   int
	anyway bool // no code was asked for
}

var exitKind = &StepKind{
	Doc: "expects the program to end by itself in time, with that exit status if code is given",
	Value: vObject(
		Field{Name: "within", Value: vDuration, Doc: "how soon", Default: "timeouts.step"},
		Field{Name: "code", Value: vInt(0, 255), Doc: "the exit status", Default: "any"},
	),
	Example: "- exit: {within: 5s, code: 0}\n- exit: {}",
	decode:  decodeExit,
}

func decodeExit(d *decoder, o *opts, ex *Exercise) Step {
	s := &exitStep{anyway: !o.has("code"), within: o.duration("within"), code: o.integer("code", 0)}
	needsCommand(d, o.n, ex, "exit")
	return s
}

func (s *exitStep) run(r *runner) error {
	if r.proc == nil {
		return errNotStarted
	}
	within := s.within
	if within == 0 {
		within = r.ex.Timeouts.Step
	}
	select {
	case <-r.proc.Done():
	case <-time.After(time.Until(r.until(within))):
		f := failf("Your program was expected to end within %s, but it was still running.", within)
		f.Got = r.outputTail()
		return f
	}
	if s.anyway || r.proc.ExitCode() == s.code {
		return nil
	}
	f := failf("Your program ended (%s), but it should end with exit status %d.", r.proc.ExitDescription(), s.code)
	f.Expected = "exit status " + strconv.Itoa(s.code)
	f.Got = r.outputTail()
	return f
}
