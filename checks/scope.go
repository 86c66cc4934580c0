package checks

import (
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/types"
	"gopkg.in/yaml.v3"
)

// scope is what an expression may name at one place of an exercise file:
// the grader's functions, the exercise's named expressions (define), and
// the variables set before that place — by vars, let, a capture, a regex
// group, a file step, a repeat's loop variable. The decoder walks a check's
// steps in the order they run, defining names as it goes, so that a
// misspelt name, or one used before the step that sets it, is an error at
// load time rather than the text "<nil>" sent to a student's program.
//
// Variables are typed `any` for expr-lang's checker: a variable may hold a
// list in one round and text in the next, so only names, functions and
// their argument counts (and literal arguments' types) are checked.
type scope struct {
	vars  map[string]bool
	marks map[string]bool
	funcs map[string]any // name → a value of the function's type
}

func newScope() *scope {
	return &scope{vars: map[string]bool{}, marks: map[string]bool{"start": true}, funcs: functions(nil, time.Now)}
}

func (s *scope) clone() *scope {
	return &scope{vars: maps.Clone(s.vars), marks: maps.Clone(s.marks), funcs: maps.Clone(s.funcs)}
}

// define makes a variable known from here on.
func (d *decoder) define(name string) {
	if name != "" {
		d.sc.vars[name] = true
	}
}

// types is the scope as expr-lang's checker takes it, with extra names
// known only inside one expression (`reply` in an expect's that).
func (s *scope) types(extra []string) types.Map {
	env := types.Map{}
	for name, fn := range s.funcs {
		env[name] = types.TypeOf(fn)
	}
	for name := range s.vars {
		env[name] = types.Any
	}
	for _, name := range extra {
		env[name] = types.Any
	}
	return env
}

// names lists every name of the scope, for "did you mean".
func (s *scope) names(extra []string) []string {
	out := append([]string(nil), extra...)
	for n := range s.vars {
		out = append(out, n)
	}
	for n := range s.funcs {
		out = append(out, n)
	}
	return out
}

// varNames lists the variables, sorted, for messages.
func (s *scope) varNames(extra []string) []string {
	out := append([]string(nil), extra...)
	for n := range s.vars {
		out = append(out, n)
	}
	return sortedCopy(out)
}

// at is the place in the file of the byte offset into n's value, where the
// value is written on one line with nothing escaped; otherwise n's own place.
func at(n *yaml.Node, offset int) (line, col int) {
	line, col = n.Line, n.Column
	if offset < 0 || offset > len(n.Value) || strings.Contains(n.Value, "\n") {
		return line, col
	}
	switch n.Style {
	case 0:
	case yaml.DoubleQuotedStyle:
		if strings.ContainsAny(n.Value, "\\\"\t") {
			return line, col
		}
		col++
	case yaml.SingleQuotedStyle:
		if strings.Contains(n.Value, "'") {
			return line, col
		}
		col++
	default:
		return line, col
	}
	return line, col + utf8.RuneCountInString(n.Value[:offset])
}

func (d *decoder) errorAt(n *yaml.Node, offset int, format string, args ...any) {
	d.errorf(n, format, args...)
	e := &d.errs[len(d.errs)-1]
	if n != nil {
		e.Line, e.Col = at(n, offset)
	}
}
