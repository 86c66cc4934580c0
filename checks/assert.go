package checks

import "gopkg.in/yaml.v3"

// assertStep fails the check unless a condition holds.
//
//	steps:
//	  - assert:
//	      that: 'reply == want'
//	      message: 'You played {{ move }} and the server printed {{ smove }}, so the answer is "{{ want }}", not "{{ reply }}".'
type assertStep struct {
	that    *Expr
	message *Template
}

func decodeAssert(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "assert", []string{"that", "message"}, "that")
	s := &assertStep{that: d.expr(f["that"], "assert.that"), message: d.template(f["message"], "assert.message")}
	if f["that"] == nil {
		d.errorf(n, "assert needs that: a condition")
	}
	return s
}

func (s *assertStep) run(r *runner) error {
	ok, err := s.that.True(r.env)
	if err != nil || ok {
		return err
	}
	if s.message == nil {
		return failf("The condition %s does not hold.", s.that.Src)
	}
	msg, err := s.message.Render(r.env, nil)
	if err != nil {
		return err
	}
	return failf("%s", msg)
}
