package checks

import (
	"fmt"

	"github.com/acme-lab/grader/checks/result"
)

// repeatStep runs its steps several times: a set number of times, once per
// item of a list, or until a condition holds (with a bound, always). The
// variable `iteration` counts from 1 (not `round`, which is a builtin
// function of expr-lang).
type repeatStep struct {
	times   int
	forVar  string
	in      *Expr
	until   *Expr
	max     int
	steps   []Step
	message *Template
}

var repeatKind = &StepKind{
	Doc: "runs its steps several times: a number of times, once for each item of a list, or until a condition holds; iteration counts the rounds from 1",
	Value: vObject(
		Field{Name: "times", Value: vInt(1, 1000), Doc: "how many rounds"},
		Field{Name: "for", Value: vName, Doc: "the variable that holds each item of in"},
		Field{Name: "in", Value: vExpr, Doc: "the list to go through"},
		Field{Name: "until", Value: vExpr, Doc: "a condition checked after each round; the repeat ends once it holds"},
		Field{Name: "max", Value: vInt(1, 1000), Doc: "with until, the most rounds; the check fails if the condition never held"},
		req(Field{Name: "steps", Value: vSteps, Doc: "the steps of one round"}),
		Field{Name: "message", Value: vTemplate, Doc: "with until, the failure when the condition never held"},
	).strict().
		rule(ExactlyOne, "times", "in", "until").
		rule(Requires, "for", "in").
		rule(Requires, "in", "for").
		rule(Requires, "until", "max"),
	Example: `- repeat: {times: 3, steps: [{send: "block {{ iteration }}"}, {expect: {contains: [block]}}]}
- repeat:
    for: move
    in: moves
    steps: [{restart: {}}, {connect: {}}, {send: "{{ move }}"}, {expect: {one_of: [you win, you lose, draw]}}]
- repeat:
    until: reply == "you win"
    max: 30
    message: The server never answered "you win" in 30 rounds.
    steps: [{connect: {reuse: true}}, {send: rock}, {expect: {one_of: [you win, you lose, draw], capture: reply}}]`,
	decode: decodeRepeat,
}

// decodeRepeat reads in before the rounds, and until and message after
// them: that is when they are evaluated, and what the rounds set is known
// to them.
func decodeRepeat(d *decoder, o *opts, ex *Exercise) Step {
	s := &repeatStep{times: o.integer("times", 0), forVar: o.name("for"), in: o.expr("in"), max: o.integer("max", 0)}
	d.define("iteration")
	d.define(s.forVar)
	s.steps = d.steps(o.node("steps"), ex)
	s.until = o.expr("until")
	s.message = o.template("message")
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
