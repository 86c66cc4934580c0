package checks

import (
	"bytes"
	"errors"
	"os"
	"time"
)

// expectStep reads from a connection until what arrived matches, cannot
// match any more, or the wait is over. TCP carries a byte stream, not
// messages: a reply split over several reads is put back together, and in
// line mode one line is judged at a time.
type expectStep struct {
	conn    string
	m       matcher
	timeout time.Duration
}

var expectKind = &StepKind{
	Doc: "reads from a connection until the reply matches, cannot match any more, or the wait is over; a reply split over several reads is put back together",
	Value: vObject(append([]Field{
		connField,
		{Name: "timeout", Value: vDuration, Doc: "how long to wait for a matching reply", Default: "timeouts.step"},
	}, matcherFields...)...).short("exact").rule(AtLeastOne, matcherTests...).rule(NotTogether, "exact", "one_of"),
	Example: `- expect: {one_of: [you win, you lose, draw], fold_case: true, trim: " \t\r\n!.", capture: reply}
- expect: {contains: ["{{ token }}"], that: 'timeNear(reply, 2)', timeout: 3s}`,
	decode: decodeExpect,
}

func decodeExpect(d *decoder, o *opts, _ *Exercise) Step {
	return &expectStep{conn: o.str("conn", "main"), timeout: o.duration("timeout"), m: d.matcher(o, "reply")}
}

func (s *expectStep) run(r *runner) error {
	c, err := r.conn(s.conn)
	if err != nil {
		return err
	}
	j, err := s.m.prepare(r.env)
	if err != nil {
		return err
	}
	wait := s.timeout
	if wait == 0 {
		wait = r.ex.Timeouts.Step
	}
	deadline := r.until(wait)
	var waitErr error
	for {
		text, n := s.take(c.pending, c.ended != nil || waitErr != nil)
		final := c.ended != nil || waitErr != nil
		if n > 0 || final {
			v, err := j.judge(text, final)
			if err != nil {
				return err
			}
			switch v {
			case matched:
				j.keep(text)
				c.consume(n)
				return nil
			case mismatch:
				return s.failure(j, text, c.ended, waitErr, wait)
			}
		}
		if waitErr = c.fill(deadline); waitErr != nil && !errors.Is(waitErr, os.ErrDeadlineExceeded) && c.ended == nil {
			return s.failure(j, text, waitErr, nil, wait)
		}
	}
}

// take returns the text to judge and how many pending bytes it spans: in
// line mode the first complete line (or what is left once the stream ended),
// otherwise everything.
func (s *expectStep) take(pending []byte, final bool) (string, int) {
	if !s.m.line {
		return string(pending), len(pending)
	}
	if i := bytes.IndexByte(pending, '\n'); i >= 0 {
		return string(bytes.TrimRight(pending[:i], "\r")), i + 1
	}
	if final {
		return string(pending), len(pending)
	}
	return "", 0
}

func (s *expectStep) failure(j *judgement, text string, ended, waitErr error, wait time.Duration) error {
	want := j.describe()
	var f *Failure
	switch {
	case text == "" && ended != nil:
		f = failf("Expected %s, but %s without sending it.", want, endedWords(ended))
	case text == "" && waitErr != nil:
		f = failf("Expected %s, but nothing arrived within %s.", want, wait)
	case ended != nil:
		f = failf("The reply does not match: expected %s; then %s.", want, endedWords(ended))
	case waitErr != nil:
		f = failf("The reply does not match: expected %s; nothing more arrived within %s.", want, wait)
	default:
		f = failf("The reply does not match: expected %s.", want)
	}
	f.Expected = want
	f.Got = text
	if text != "" {
		f.GotAt = j.offset(text)
	}
	return f
}
