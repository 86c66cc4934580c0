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
	c, err := r.streamConn(s.conn, "close")
	if err != nil {
		return err
	}
	r.event(result.Close, c.name, s.how)
	if s.how == "reset" {
		c.abort()
		return nil
	}
	_ = c.tcp.CloseWrite()
	return nil
}
