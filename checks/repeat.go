package checks

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/result"
)

// repeatStep runs its steps several times: a set number of times, once per
// item of a list, or until a condition holds (with a bound, always). The
// variable `iteration` counts from 1 (not `round`, which is a builtin
// function of expr-lang).
//
//	steps:
//	  - repeat: {times: 10, steps: [...]}
//	  - repeat: {for: move, in: moves, steps: [...]}
//	  - repeat: {until: 'reply == "you win"', max: 30, steps: [...], message: "The server never answered you win in 30 rounds."}
type repeatStep struct {
	times   int
	forVar  string
	in      *Expr
	until   *Expr
	max     int
	steps   []Step
	message *Template
}

func decodeRepeat(d *decoder, n *yaml.Node, ex *Exercise) Step {
	f := d.fields(n, "repeat", []string{"times", "for", "in", "until", "max", "steps", "message"}, "steps")
	s := &repeatStep{}
	s.times = d.integer(f["times"], "repeat.times", 1, 1000)
	if v := f["for"]; v != nil {
		s.forVar = d.str(v, "repeat.for")
	}
	s.in = d.expr(f["in"], "repeat.in")
	s.until = d.expr(f["until"], "repeat.until")
	s.max = d.integer(f["max"], "repeat.max", 1, 1000)
	s.message = d.template(f["message"], "repeat.message")
	ways := 0
	for _, k := range []string{"times", "in", "until"} {
		if f[k] != nil {
			ways++
		}
	}
	switch {
	case ways != 1:
		d.errorf(n, "repeat needs exactly one of times, in (with for) or until (with max)")
	case (f["for"] == nil) != (f["in"] == nil):
		d.errorf(n, "repeat takes for and in together: for: move, in: moves")
	case f["until"] != nil && f["max"] == nil:
		d.errorf(n, "repeat with until needs max, the most rounds to play")
	}
	s.steps = d.steps(f["steps"], ex)
	return s
}

func (s *repeatStep) run(r *runner) error {
	var items []any
	rounds := s.times
	if s.in != nil {
		v, err := s.in.Eval(r.env)
		if err != nil {
			return err
		}
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf("repeat.in %q gave %T, not a list", s.in.Src, v)
		}
		items, rounds = list, len(list)
	}
	if s.until != nil {
		rounds = s.max
	}
	for i := 0; i < rounds; i++ {
		r.env["iteration"] = i + 1
		if s.forVar != "" {
			r.env[s.forVar] = items[i]
		}
		r.event(result.Note, "", fmt.Sprintf("round %d", i+1))
		for _, st := range s.steps {
			if err := st.run(r); err != nil {
				return err
			}
		}
		if s.until != nil {
			done, err := s.until.True(r.env)
			if err != nil || done {
				return err
			}
		}
	}
	if s.until == nil {
		return nil
	}
	if s.message != nil {
		msg, err := s.message.Render(r.env, nil)
		if err != nil {
			return err
		}
		return failf("%s", msg)
	}
	return failf("The condition %s never held in %d rounds.", s.until.Src, s.max)
}
