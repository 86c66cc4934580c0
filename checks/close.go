package checks

import (
	"gopkg.in/yaml.v3"
	"slices"

	"github.com/acme-lab/grader/checks/result"
)

// closeStep is the grader closing its side.
//
//	steps:
//	  - close: {}              # shutdown(SHUT_WR): the program reads end-of-file, the grader still reads
//	  - close: {how: reset}    # abort with RST
type closeStep struct {
	conn string
	how  string
}

var closeHows = []string{"write", "reset"}

func decodeClose(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "close", []string{"conn", "how"}, "")
	s := &closeStep{conn: connName(d, f), how: "write"}
	if v := f["how"]; v != nil {
		s.how = d.str(v, "close.how")
		if !slices.Contains(closeHows, s.how) {
			d.errorf(v, "close.how must be write or reset, not %q", s.how)
		}
	}
	return s
}

func (s *closeStep) run(r *runner) error {
	c, err := r.conn(s.conn)
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
