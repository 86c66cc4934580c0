package checks

import "fmt"

// StepFact is what the loader can tell of a step without running it, for
// grader lint: that it never runs, or that it always fails.
type StepFact struct {
	Kind      string
	Line, Col int
	Never     bool   // its when is always false
	Fails     string // why it always fails; "" when it may pass
}

// failer is a step kind that can tell it always fails.
type failer interface{ alwaysFails() string }

// Facts describes the check's steps, in order.
func (c *Check) Facts() []StepFact {
	var out []StepFact
	for _, s := range c.Steps {
		if g, ok := s.(*guarded); ok {
			out = append(out, g.fact())
		}
	}
	return out
}

func (g *guarded) fact() StepFact {
	f := StepFact{Kind: g.kind, Line: g.line, Col: g.col, Never: g.when.alwaysFalse()}
	if fl, ok := g.step.(failer); ok && !f.Never {
		if g.when == nil {
			f.Fails = fl.alwaysFails()
		} else if v, ok := g.when.constant(); ok && v == true {
			f.Fails = fl.alwaysFails()
		}
	}
	return f
}

func (s *assertStep) alwaysFails() string {
	if s.that.alwaysFalse() {
		return fmt.Sprintf("its condition %q is always false", s.that.Src)
	}
	return ""
}

func (m *matcher) alwaysFails() string {
	if m.that.alwaysFalse() {
		return fmt.Sprintf("its that: %q is always false", m.that.Src)
	}
	return ""
}

func (s *expectStep) alwaysFails() string { return s.m.alwaysFails() }
func (s *outputStep) alwaysFails() string { return s.m.alwaysFails() }

func (s *repeatStep) alwaysFails() string {
	if s.until.alwaysFalse() {
		return fmt.Sprintf("its until: %q never holds", s.until.Src)
	}
	for _, st := range s.steps {
		if g, ok := st.(*guarded); ok {
			if f := g.fact(); f.Fails != "" {
				return fmt.Sprintf("its %s step (line %d) always fails: %s", f.Kind, f.Line, f.Fails)
			}
		}
	}
	return ""
}
