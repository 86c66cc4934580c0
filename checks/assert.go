package checks

// assertStep fails the check unless a condition holds.
type assertStep struct {
	that    *Expr
	message *Template
}

var assertKind = &StepKind{
	Doc: "fails the check, with the message, unless a condition holds",
	Value: vObject(
		req(Field{Name: "that", Value: vExpr, Doc: "the condition"}),
		Field{Name: "message", Value: vTemplate, Doc: "the failure, in a sentence that says what to do", Default: "the condition, quoted"},
	).short("that"),
	Example: `- assert:
    that: 'reply == want'
    message: 'You played {{ move }}, so the answer is "{{ want }}", not "{{ reply }}".'`,
	decode: decodeAssert,
}

func decodeAssert(_ *decoder, o *opts, _ *Exercise) Step {
	return &assertStep{that: o.expr("that"), message: o.template("message")}
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
