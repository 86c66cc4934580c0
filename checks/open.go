package checks

import (
	"errors"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// openStep expects the connection to stay open for a while; bytes may
// arrive meanwhile and are kept for the next expect.
//
//	steps:
//	  - open: {for: 300ms}
type openStep struct {
	conn string
	dur  time.Duration
}

func decodeOpen(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "open", []string{"conn", "for"}, "")
	s := &openStep{conn: connName(d, f), dur: 300 * time.Millisecond}
	if v := f["for"]; v != nil {
		s.dur = d.duration(v, "open.for")
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
