package checks

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// Expr is an expression from the exercise file, compiled at load time so a
// syntax error is reported with its place before anything runs. Expressions
// use expr-lang (https://expr-lang.org): `reply == "draw"`,
// `beats[move] == smove ? "you win" : "you lose"`, `len(uniq(seen)) == 3`.
type Expr struct {
	Src  string
	prog *vm.Program
}

func (d *decoder) expr(n *yaml.Node, what string) *Expr {
	if n == nil {
		return nil
	}
	src := n.Value
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be an expression, not %s", what, kindName(n))
		return nil
	}
	return d.compile(n, src, what)
}

func (d *decoder) compile(n *yaml.Node, src, what string) *Expr {
	prog, err := expr.Compile(src)
	if err != nil {
		d.errorf(n, "%s: %q is not a valid expression: %s", what, src, firstLine(err.Error()))
		return nil
	}
	return &Expr{Src: src, prog: prog}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Eval runs the expression over env.
func (e *Expr) Eval(env map[string]any) (any, error) {
	v, err := expr.Run(e.prog, env)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %s", e.Src, firstLine(err.Error()))
	}
	return v, nil
}

// True runs a condition; anything but a boolean is an exercise error.
func (e *Expr) True(env map[string]any) (bool, error) {
	v, err := e.Eval(env)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("expression %q gave %v, not true or false", e.Src, v)
	}
	return b, nil
}

// Template is text with {{ expression }} parts, such as "{{ move }}" or
// "hello {{ token }}". Parts are compiled at load time.
type Template struct {
	Src   string
	parts []templatePart
}

type templatePart struct {
	text string
	expr *Expr
}

func (d *decoder) template(n *yaml.Node, what string) *Template {
	if n == nil {
		return nil
	}
	if !d.scalar(n, what) {
		return nil
	}
	return d.templateOf(n, n.Value, what)
}

func (d *decoder) templateOf(n *yaml.Node, src, what string) *Template {
	t := &Template{Src: src}
	rest := src
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if rest != "" {
				t.parts = append(t.parts, templatePart{text: rest})
			}
			return t
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			d.errorf(n, "%s: %q opens {{ without closing }}", what, src)
			return nil
		}
		if i > 0 {
			t.parts = append(t.parts, templatePart{text: rest[:i]})
		}
		e := d.compile(n, strings.TrimSpace(rest[i+2:i+j]), what)
		if e == nil {
			return nil
		}
		t.parts = append(t.parts, templatePart{expr: e})
		rest = rest[i+j+2:]
	}
}

// Render fills the template from env; quote, when set, escapes each
// substituted value (regexp.QuoteMeta for patterns).
func (t *Template) Render(env map[string]any, quote func(string) string) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.expr == nil {
			b.WriteString(p.text)
			continue
		}
		v, err := p.expr.Eval(env)
		if err != nil {
			return "", err
		}
		s := fmt.Sprint(v)
		if quote != nil {
			s = quote(s)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}
