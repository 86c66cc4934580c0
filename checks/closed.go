package checks

import (
	"errors"
	"os"
	"time"
)

// closedStep expects the program to close the connection (FIN or reset)
// within a time. Bytes arriving first are recorded, not judged. Once the
// program has closed, the grader resets its own side, so the program's
// socket does not wait in TIME_WAIT and its port can be bound again.
type closedStep struct {
	conn   string
	within time.Duration
}

var closedKind = &StepKind{
	Doc: "expects the program to close the connection (FIN or reset) in time; bytes that arrive first are recorded, not judged",
	Value: vObject(
		connField,
		Field{Name: "within", Value: vDuration, Doc: "how soon", Default: "timeouts.step"},
	),
	Example: "- closed: {within: 2s}",
	decode:  decodeClosed,
}

func decodeClosed(_ *decoder, o *opts, _ *Exercise) Step {
	return &closedStep{conn: o.str("conn", "main"), within: o.duration("within")}
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
