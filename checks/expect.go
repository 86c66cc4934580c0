package checks

import (
	"bytes"
	"errors"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// expectStep reads from a connection until what arrived matches, cannot
// match any more, or the wait is over. TCP carries a byte stream, not
// messages: a reply split over several reads is put back together, and in
// line mode one line is judged at a time.
//
//	steps:
//	  - expect: {one_of: [you win, you lose, draw], fold_case: true, trim: " \t\r\n!.", capture: reply}
//	  - expect: {contains: ["{{ token }}"], that: 'timeNear(reply, 2)', timeout: 3s}
type expectStep struct {
	conn    string
	m       matcher
	timeout time.Duration
}

func decodeExpect(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "expect", append([]string{"conn", "timeout"}, matcherKeys...), "exact")
	s := &expectStep{conn: connName(d, f), m: d.matcher(n, f, "expect")}
	if v := f["timeout"]; v != nil {
		s.timeout = d.duration(v, "expect.timeout")
	}
	if s.m.empty() {
		d.errorf(n, "expect needs at least one of exact, one_of, contains, regex or that")
	}
	return s
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
				return s.failure(j, c, text, c.ended, waitErr, wait)
			}
		}
		if waitErr = c.fill(deadline); waitErr != nil && !errors.Is(waitErr, os.ErrDeadlineExceeded) && c.ended == nil {
			return s.failure(j, c, text, waitErr, nil, wait)
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

func (s *expectStep) failure(j *judgement, c *conn, text string, ended, waitErr error, wait time.Duration) error {
	want := j.describe()
	// A client's bytes are what it sent; a server's, its reply.
	what := "The reply"
	if c.accepted {
		what = "What your program sent"
	}
	var f *Failure
	switch {
	case text == "" && ended != nil:
		f = failf("Expected %s, but %s without sending it.", want, endedWords(ended))
	case text == "" && waitErr != nil:
		f = failf("Expected %s, but nothing arrived within %s.", want, wait)
	case ended != nil:
		f = failf("%s does not match: expected %s; then %s.", what, want, endedWords(ended))
	case waitErr != nil:
		f = failf("%s does not match: expected %s; nothing more arrived within %s.", what, want, wait)
	default:
		f = failf("%s does not match: expected %s.", what, want)
	}
	f.Expected = want
	f.Got = text
	if text != "" {
		f.GotAt = j.offset(text)
	}
	return f
}
