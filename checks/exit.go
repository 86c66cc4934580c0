package checks

import (
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// exitStep expects the program to end by itself within a time, and, when
// code is given, with that exit status. A failure shows how it ended and
// the end of what it printed (a traceback, usually).
//
//	steps:
//	  - exit: {within: 5s, code: 0}
//	  - exit: {}                      # any status, within the step timeout
type exitStep struct {
	within time.Duration
	code   int
	anyway bool // no code was asked for
}

func decodeExit(d *decoder, n *yaml.Node, ex *Exercise) Step {
	f := d.opts(n, "exit", []string{"within", "code"}, "")
	s := &exitStep{anyway: f["code"] == nil}
	if v := f["within"]; v != nil {
		s.within = d.duration(v, "exit.within")
	}
	if v := f["code"]; v != nil {
		s.code = d.integer(v, "exit.code", 0, 255)
	}
	needsCommand(d, n, ex, "exit")
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
