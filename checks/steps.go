package checks

import (
	"sort"

	"gopkg.in/yaml.v3"
)

// Step is one action or expectation of a check. Each kind lives in the file
// named after its YAML key and holds its spec, its validation and its run.
type Step interface {
	run(r *runner) error
}

// stepKinds is the registry: a new kind is one file, which declares its
// StepKind, and one line here. It is filled in init because repeat decodes
// steps of its own.
var stepKinds map[string]*StepKind

func init() {
	stepKinds = map[string]*StepKind{
		"connect": connectKind,
		"send":    sendKind,
		"expect":  expectKind,
		"closed":  closedKind,
		"open":    openKind,
		"close":   closeKind,
		"output":  outputKind,
		"mark":    markKind,
		"let":     letKind,
		"assert":  assertKind,
		"restart": restartKind,
		"repeat":  repeatKind,
		"listen":  listenKind,
		"accept":  acceptKind,
		"start":   startKind,
		"stdin":   stdinKind,
		"exit":    exitKind,
		"file":    fileKind,
		"notice":  noticeKind,
		"request": requestKind,
		"quiet":   quietKind,
	}
	for name, k := range stepKinds {
		k.Name = name
	}
}

// StepKinds lists the registered kinds, for documentation and schemas.
func StepKinds() []string {
	out := make([]string, 0, len(stepKinds))
	for k := range stepKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// guarded is a step with the keys every kind shares: `when` skips the step
// unless the condition holds.
type guarded struct {
	kind      string
	line, col int
	when      *Expr
	step      Step
}

func (g *guarded) run(r *runner) error {
	if g.when != nil {
		ok, err := g.when.True(r.env)
		if err != nil {
			return exerciseError(g.line, err)
		}
		if !ok {
			return nil
		}
	}
	if err := r.checkDeadline(); err != nil {
		return err
	}
	if err := g.step.run(r); err != nil {
		return exerciseError(g.line, err)
	}
	return nil
}

func (d *decoder) steps(n *yaml.Node, ex *Exercise) []Step {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.errorf(n, "steps must be a list of at least one step")
		return nil
	}
	var out []Step
	for _, sn := range n.Content {
		if s := d.step(sn, ex); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) step(n *yaml.Node, ex *Exercise) Step {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "a step must be a mapping such as {send: hello}, not %s", kindName(n))
		return nil
	}
	known := append(StepKinds(), whenField.Name)
	f := d.fields(n, "a step", known, nil)
	g := &guarded{line: n.Line, col: n.Column}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if _, ok := stepKinds[k]; !ok {
			continue
		}
		if g.kind != "" {
			d.errorf(n.Content[i], "a step does one thing: it has both %q and %q; split it in two", g.kind, k)
			continue
		}
		g.kind = k
	}
	if g.kind == "" {
		if len(d.errs) == 0 || f != nil {
			d.errorf(n, "a step needs one of: %v", StepKinds())
		}
		return nil
	}
	// The condition comes first: what the step sets is not set yet when
	// it is evaluated.
	g.when = d.expr(f[whenField.Name], whenField.Name)
	k := stepKinds[g.kind]
	g.step = k.decode(d, d.object(f[g.kind], g.kind, g.kind+".", k.Value), ex)
	if g.step == nil {
		return nil
	}
	return g
}
