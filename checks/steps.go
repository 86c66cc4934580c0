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

type stepDecoder func(d *decoder, n *yaml.Node, ex *Exercise) Step

// stepKinds is the registry: a new kind is one file and one line here. It is
// filled in init because repeat decodes steps of its own.
var stepKinds map[string]stepDecoder

func init() {
	stepKinds = map[string]stepDecoder{
		"connect": decodeConnect,
		"send":    decodeSend,
		"expect":  decodeExpect,
		"closed":  decodeClosed,
		"open":    decodeOpen,
		"close":   decodeClose,
		"output":  decodeOutput,
		"mark":    decodeMark,
		"let":     decodeLet,
		"assert":  decodeAssert,
		"restart": decodeRestart,
		"repeat":  decodeRepeat,
		"listen":  decodeListen,
		"accept":  decodeAccept,
		"start":   decodeStart,
		"stdin":   decodeStdin,
		"exit":    decodeExit,
		"file":    decodeFile,
		"notice":  decodeNotice,
		"request": decodeRequest,
		"quiet":   decodeQuiet,
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
	kind string
	line int
	when *Expr
	step Step
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
	known := append(StepKinds(), "when")
	f := d.fields(n, "a step", known)
	g := &guarded{line: n.Line}
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
		g.step = stepKinds[k](d, n.Content[i+1], ex)
	}
	if g.kind == "" {
		if len(d.errs) == 0 || f != nil {
			d.errorf(n, "a step needs one of: %v", StepKinds())
		}
		return nil
	}
	g.when = d.expr(f["when"], "when")
	if g.step == nil {
		return nil
	}
	return g
}

// opts reads a step's value: a mapping of its options, or, for kinds that
// allow it, a single value standing for the main option (`send: hello`).
func (d *decoder) opts(n *yaml.Node, kind string, known []string, short string) map[string]*yaml.Node {
	if n.Kind == yaml.ScalarNode && short != "" && n.Tag != "!!null" {
		return map[string]*yaml.Node{short: n}
	}
	if n.Tag == "!!null" {
		return map[string]*yaml.Node{}
	}
	return d.fields(n, kind, known)
}
