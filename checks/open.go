package checks

import (
	"errors"
	"os"
	"time"
)

// openStep expects the connection to stay open for a while; bytes may
// arrive meanwhile and are kept for the next expect.
type openStep struct {
	conn string
	dur  time.Duration
}

var openKind = &StepKind{
	Doc: "expects the connection to stay open for a while; bytes that arrive meanwhile are kept for the next expect",
	Value: vObject(
		connField,
		Field{Name: "for", Value: vDuration, Doc: "how long", Default: "300ms"},
	),
	Example: "- open: {for: 300ms}",
	decode:  decodeOpen,
}

func decodeOpen(_ *decoder, o *opts, _ *Exercise) Step {
	s := &openStep{conn: o.str("conn", "main"), dur: 300 * time.Millisecond}
	if o.has("for") {
		s.dur = o.duration("for")
	}
	return s
}

func (s *openStep) run(r *runner) error {
	c, err := r.streamConn(s.conn, "open")
	if err != nil {
		return err
	}
	deadline := r.until(s.dur)
	for {
		err := c.fill(deadline)
		switch {
		case err == nil:
			continue
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil
		}
		return failf("The connection was expected to stay open, but %s.", endedWords(err))
	}
}
