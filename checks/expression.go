package checks

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// Expr is an expression from the exercise file, compiled at load time
// against the names known at its place (scope.go), so that a syntax error, a
// misspelt variable or function and a wrong number of arguments are
// reported with their place before anything runs. Expressions use expr-lang
// (https://expr-lang.org): `reply == "draw"`,
// `beats[move] == smove ? "you win" : "you lose"`, `len(uniq(seen)) == 3`.
type Expr struct {
	Src  string
	prog *vm.Program
	uses []string // the variables it reads, each checked to have a value before it runs
	// calls says it calls a function of the grader or of define, whose
	// value may change from run to run.
	calls bool
}

func (d *decoder) expr(n *yaml.Node, what string, extra ...string) *Expr {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be an expression, not %s", what, kindName(n))
		return nil
	}
	return d.compile(n, n.Value, 0, what, extra)
}

// compile checks src, found at offset in n's value (-1: somewhere in it),
// against the scope and the extra names.
func (d *decoder) compile(n *yaml.Node, src string, offset int, what string, extra []string) *Expr {
	prog, err := expr.Compile(src, expr.Env(d.sc.types(extra)))
	if err != nil {
		d.exprError(n, src, offset, what, extra, err)
		return nil
	}
	e := &Expr{Src: src, prog: prog}
	vars := maps.Clone(d.sc.vars)
	for _, x := range extra {
		vars[x] = true
	}
	node := prog.Node()
	ast.Walk(&node, &usesOf{vars: vars, funcs: d.sc.funcs, e: e, local: map[string]bool{}})
	return e
}

// usesOf collects the scope's variables an expression reads (not the ones
// it declares itself with let).
type usesOf struct {
	vars  map[string]bool
	funcs map[string]any
	local map[string]bool
	e     *Expr
}

func (u *usesOf) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.VariableDeclaratorNode:
		u.local[x.Name] = true
	case *ast.IdentifierNode:
		if u.vars[x.Value] && !u.local[x.Value] && !slices.Contains(u.e.uses, x.Value) {
			u.e.uses = append(u.e.uses, x.Value)
		}
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && u.funcs[id.Value] != nil {
			u.e.calls = true
		}
	}
}

// constant is the expression's value when it reads no variable and calls
// none of the grader's functions: the same in every run.
func (e *Expr) constant() (any, bool) {
	if e == nil || len(e.uses) > 0 || e.calls {
		return nil, false
	}
	v, err := expr.Run(e.prog, map[string]any{})
	return v, err == nil
}

// alwaysFalse tells whether a condition can never hold.
func (e *Expr) alwaysFalse() bool {
	v, ok := e.constant()
	return ok && v == false
}

// exprError says what is wrong with an expression, at the place in the file
// where expr-lang found it.
func (d *decoder) exprError(n *yaml.Node, src string, offset int, what string, extra []string, err error) {
	msg, from := firstLine(err.Error()), -1
	var ferr *file.Error
	if errors.As(err, &ferr) {
		msg = ferr.Message
		from = len(string([]rune(src)[:min(ferr.From, utf8.RuneCountInString(src))]))
	}
	pos := -1
	if offset >= 0 && from >= 0 {
		pos = offset + from
	}
	if name, ok := strings.CutPrefix(msg, "unknown name "); ok {
		if from >= 0 && strings.HasPrefix(strings.TrimLeft(src[from+len(name):], " "), "(") {
			var defined []string
			for f := range d.sc.funcs {
				if !slices.Contains(FunctionNames(), f) {
					defined = append(defined, f)
				}
			}
			also := ""
			if len(defined) > 0 {
				also = ", and the exercise's define: " + strings.Join(sortedCopy(defined), ", ")
			}
			d.errorAt(n, pos, "%s: %s is not a function%s; the functions are expr-lang's own (len, filter, map, …) and the grader's: %s%s",
				what, name, didYouMean(name, d.sc.names(extra)), strings.Join(FunctionNames(), ", "), also)
			return
		}
		d.errorAt(n, pos, "%s: %s is not set here%s; known here: %s. A variable is set in vars, by let, or by a step above that captures it",
			what, name, didYouMean(name, d.sc.names(extra)), knownList(d.sc.varNames(extra)))
		return
	}
	if strings.HasPrefix(msg, "unexpected token") || strings.HasPrefix(msg, "unexpected ") {
		d.errorAt(n, pos, "%s: %q is not a valid expression: %s", what, src, msg)
		return
	}
	d.errorAt(n, pos, "%s: %q: %s", what, src, msg)
}

func knownList(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Eval runs the expression over env.
func (e *Expr) Eval(env map[string]any) (any, error) {
	for _, name := range e.uses {
		if _, ok := env[name]; !ok {
			return nil, fmt.Errorf("expression %q reads %s, which has no value here: the step that sets it did not run (a when: that was false?)", e.Src, name)
		}
	}
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

func (d *decoder) template(n *yaml.Node, what string, extra ...string) *Template {
	if n == nil {
		return nil
	}
	if !d.scalar(n, what) {
		return nil
	}
	return d.templateOf(n, n.Value, what, extra...)
}

// templateOf compiles src, which is n's value or a part of it (a word of a
// command).
func (d *decoder) templateOf(n *yaml.Node, src, what string, extra ...string) *Template {
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
		inner := rest[i+2 : i+j]
		off := -1
		if n != nil && src == n.Value {
			off = len(src) - len(rest) + i + 2 + len(inner) - len(strings.TrimLeft(inner, " \t"))
		}
		e := d.compile(n, strings.TrimSpace(inner), off, what, extra)
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
