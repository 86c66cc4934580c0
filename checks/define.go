package checks

import (
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Define is a named expression of the exercise: a function that every
// expression may call, so that a long chain written once reads as its
// name wherever it is used.
//
//	define:
//	  # The moves a round's output names, leaving out lines that name all
//	  # three (a menu is nobody's move).
//	  movesIn(text): 'map(findAll(movePattern, join(filter(lines(text), len(uniq(map(findAll(movePattern, #), lower(#)))) < 3), "\n")), lower(#))'
//	checks:
//	  - ...
//	      - output: {since: round, that: 'move in movesIn(output)'}
//
// A body sees its parameters, the exercise's vars, the grader's functions
// and the definitions above it (so none can call itself).
type Define struct {
	Name   string
	Params []string
	Expr   *Expr
}

var defineKey = regexp.MustCompile(definePattern)

// defines reads the define section. vars, decoded after it, may call the
// definitions, and the bodies may read vars: both are known to both.
func (d *decoder) defines(n, vars *yaml.Node) []Define {
	var out []Define
	pairs := d.pairs(n, "define")
	var varNames []string
	for i, p := 0, d.pairs(vars, "vars"); i+1 < len(p); i += 2 {
		varNames = append(varNames, p[i].Value)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		key := pairs[i]
		if !defineKey.MatchString(key.Value) {
			d.errorf(key, "define: %q must be a name and its parameters, such as movesIn(text) or total()", key.Value)
			continue
		}
		name, rest, _ := strings.Cut(key.Value, "(")
		name = strings.TrimSpace(name)
		var params []string
		for _, p := range strings.Split(strings.TrimSuffix(strings.TrimSpace(rest), ")"), ",") {
			if p = strings.TrimSpace(p); p != "" {
				params = append(params, p)
			}
		}
		if !d.varName(key, "define", name) {
			continue
		}
		body := d.expr(pairs[i+1], "define."+name, append(params, varNames...)...)
		if body == nil {
			continue
		}
		// The parameters are not read from the caller's variables.
		body.uses = without(body.uses, params)
		out = append(out, Define{Name: name, Params: params, Expr: body})
		d.sc.funcs[name] = reflect.Zero(defineType(len(params))).Interface()
	}
	return out
}

func without(xs, drop []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}

var (
	anyType   = reflect.TypeFor[any]()
	errorType = reflect.TypeFor[error]()
)

// defineType is func(any, …) (any, error) with n parameters, so that
// expr-lang checks the number of arguments at load time.
func defineType(n int) reflect.Type {
	in := make([]reflect.Type, n)
	for i := range in {
		in[i] = anyType
	}
	return reflect.FuncOf(in, []reflect.Type{anyType, errorType}, false)
}

// bind returns the definition as a function over the running check's
// variables.
func (def Define) bind(env map[string]any) any {
	fn := func(args []reflect.Value) []reflect.Value {
		scope := maps.Clone(env)
		for i, p := range def.Params {
			scope[p] = args[i].Interface()
		}
		v, err := def.Expr.Eval(scope)
		if err != nil {
			err = fmt.Errorf("%s: %w", def.Name, err)
		}
		out := reflect.New(anyType).Elem()
		if v != nil {
			out.Set(reflect.ValueOf(v))
		}
		e := reflect.New(errorType).Elem()
		if err != nil {
			e.Set(reflect.ValueOf(err))
		}
		return []reflect.Value{out, e}
	}
	return reflect.MakeFunc(defineType(len(def.Params)), fn).Interface()
}
