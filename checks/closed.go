package checks

import (
	"errors"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// closedStep expects the program to close the connection (FIN or reset)
// within a time. Bytes arriving first are recorded, not judged. Once the
// program has closed, the grader resets its own side, so the program's
// socket does not wait in TIME_WAIT and its port can be bound again.
//
//	steps:
//	  - closed: {within: 2s}
type closedStep struct {
	conn   string
	within time.Duration
}

func decodeClosed(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "closed", []string{"conn", "within"}, "")
	s := &closedStep{conn: connName(d, f)}
	if v := f["within"]; v != nil {
		s.within = d.duration(v, "closed.within")
	}
	return s
}

func (s *closedStep) run(r *runner) error {
	c, err := r.streamConn(s.conn, "closed")
	if err != nil {
		return err
	}
	within := s.within
	if within == 0 {
		within = r.ex.Timeouts.Step
	}
	deadline := r.until(within)
	for {
		err := c.fill(deadline)
		if err == nil {
			c.consume(len(c.pending))
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return failf("Your program was expected to close the connection, but it was still open %s later.", within)
		}
		c.abort()
		return nil
	}
}
