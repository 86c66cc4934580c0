package checks

import "github.com/acme-lab/grader/checks/result"

// closeStep is the grader closing its side: shutdown(SHUT_WR), so that the
// program reads end-of-file while the grader still reads, or a reset.
type closeStep struct {
	conn string
	how  string
}

var closeKind = &StepKind{
	Doc: "closes the grader's side of a connection",
	Value: vObject(
		connField,
		Field{Name: "how", Value: vEnum("write", "reset"), Doc: "write: a half-close, the program reads end-of-file and the grader still reads; reset: abort with RST", Default: "write"},
	),
	Example: "- close: {}\n- close: {how: reset}",
	decode:  decodeClose,
}

func decodeClose(_ *decoder, o *opts, _ *Exercise) Step {
	return &closeStep{conn: o.str("conn", "main"), how: o.enum("how", "write")}
}

func (s *closeStep) run(r *runner) error {
	c, err := r.streamConn(s.conn, "close")
	if err != nil {
		return err
	}
	r.event(result.Close, c.name, s.how)
	// A program that already closed its side reads nothing more: a FIN
	// now would only leave its port in TIME_WAIT, which the next start
	// could not bind. A reset ends it at once.
	if s.how == "reset" || c.peekEnded() {
		c.abort()
		return nil
	}
	_ = c.tcp.CloseWrite()
	return nil
}
