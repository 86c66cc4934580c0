package checks

// letStep sets variables from expressions, in order.
type letStep struct{ vars []Var }

var letKind = &StepKind{
	Doc:     "sets variables from expressions, in order; each is known to the ones after it",
	Value:   varsValue,
	Example: "- let: {move: 'pick(moves)', seen: '[]'}\n- let: {seen: 'concat(seen, [move])'}",
	decode:  decodeLet,
}

func decodeLet(d *decoder, o *opts, _ *Exercise) Step {
	return &letStep{vars: d.vars(o.n, "let")}
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
