package checks

import "gopkg.in/yaml.v3"

// letStep sets variables from expressions, in order.
//
//	steps:
//	  - let: {move: 'pick(moves)', seen: 'concat(seen, [smove])'}
type letStep struct{ vars []Var }

func decodeLet(d *decoder, n *yaml.Node, _ *Exercise) Step {
	return &letStep{vars: d.vars(n, "let")}
}

func (s *letStep) run(r *runner) error {
	return r.setVars(s.vars)
}

func (r *runner) setVars(vars []Var) error {
	for _, v := range vars {
		val, err := v.Expr.Eval(r.env)
		if err != nil {
			return err
		}
		r.env[v.Name] = val
	}
	return nil
}
