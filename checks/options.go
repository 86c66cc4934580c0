package checks

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// opts is one mapping of an exercise file read against its declaration
// (format.go). Its accessors panic when a decoder reads a key that the
// declaration lacks, or reads it as another kind of value: that is a bug in
// the grader, and the format specs (which decode every step kind) find it
// before the schema or the reference could go without the key.
type opts struct {
	d    *decoder
	what string // for "unknown key in …": "send", "a check", "submission"
	path string // before a key's name in messages: "send." gives "send.eol"
	id   string // before a key's name in its declared place: "request.expect."
	n    *yaml.Node
	val  *Value
	f    map[string]*yaml.Node
}

// object reads n as the declared object. A scalar stands for v.Short, and
// nothing at all for an empty object when v.Empty; n may be nil (the key is
// absent), which reads as an object with no keys and checks no rule.
func (d *decoder) object(n *yaml.Node, what, path string, v Value) *opts {
	o := &opts{d: d, what: what, path: path, id: path, n: n, val: &v, f: map[string]*yaml.Node{}}
	if n == nil || v.Kind != KindObject {
		return o
	}
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag != "!!null" && v.Short != "":
		o.f[v.Short] = n
	case n.Tag == "!!null" && v.Empty:
	default:
		o.f = d.fields(n, what, v.FieldNames(), v.Refused, requiredOf(v)...)
		if n.Kind != yaml.MappingNode {
			return o
		}
	}
	d.rules(n, what, v.Rules, o.f)
	return o
}

func requiredOf(v Value) []string {
	var out []string
	for _, f := range v.Fields {
		if f.Required {
			out = append(out, f.Name)
		}
	}
	return out
}

// rules reports the rules between keys that the present keys break.
func (d *decoder) rules(n *yaml.Node, what string, rules []Rule, f map[string]*yaml.Node) {
	for _, r := range rules {
		var present []string
		for _, k := range r.Keys {
			if f[k] != nil {
				present = append(present, k)
			}
		}
		switch {
		case r.Kind == ExactlyOne && len(present) == 0:
			d.errorf(n, "%s needs one of %s", what, orList(r.Keys))
		case r.Kind == ExactlyOne && len(present) > 1:
			d.errorf(n, "%s takes only one of %s, not %s", what, orList(r.Keys), andList(present))
		case r.Kind == AtLeastOne && len(present) == 0:
			d.errorf(n, "%s needs at least one of %s", what, orList(r.Keys))
		case r.Kind == NotTogether && len(present) > 1:
			d.errorf(n, "%s takes %s, not both", what, orList(r.Keys))
		case r.Kind == Requires && f[r.Keys[0]] != nil && len(present) < len(r.Keys):
			d.errorf(n, "%s with %s needs %s", what, r.Keys[0], andList(r.Keys[1:]))
		case r.Kind == Apart:
			d.apart(n, what, r, f)
		}
	}
}

// apart reports keys of two groups of the rule that appear together,
// naming the first key of each of the first two groups present.
func (d *decoder) apart(n *yaml.Node, what string, r Rule, f map[string]*yaml.Node) {
	var found []string
	for _, g := range r.Groups {
		for _, k := range g {
			if f[k] != nil {
				found = append(found, k)
				break
			}
		}
	}
	if len(found) > 1 {
		d.errorf(n, "%s takes keys of one of %s, not %s together", what, orList(groupWords(r.Groups)), andList(found[:2]))
	}
}

// groupWords names each group: a key, or a group's keys in parentheses.
func groupWords(groups [][]string) []string {
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = g[0]
		if len(g) > 1 {
			out[i] = "(" + strings.Join(g, ", ") + ")"
		}
	}
	return out
}

func orList(xs []string) string  { return joinLast(xs, " or ") }
func andList(xs []string) string { return joinLast(xs, " and ") }

func joinLast(xs []string, last string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + last + xs[len(xs)-1]
}

// decl returns the node of a declared key (nil when absent), checking that
// the decoder reads it as the kind it is declared.
func (o *opts) decl(name string, kinds ...ValueKind) (*yaml.Node, Field) {
	f, ok := o.val.field(name)
	if !ok {
		panic(fmt.Sprintf("checks: the decoder of %s reads %q, which its declaration lacks", o.what, name))
	}
	if len(kinds) > 0 && !slices.Contains(kinds, f.Value.Kind) {
		panic(fmt.Sprintf("checks: the decoder of %s reads %q as %v, but it is declared %s", o.what, name, kinds, f.Value.Kind))
	}
	if o.d.read != nil {
		o.d.read[o.id+name] = true
	}
	return o.f[name], f
}

func (o *opts) key(name string) string { return o.path + name }

// has tells whether the key is present.
func (o *opts) has(name string) bool { n, _ := o.decl(name); return n != nil }

// node returns a key's node, for values decoded by hand.
func (o *opts) node(name string) *yaml.Node { n, _ := o.decl(name); return n }

// str reads text; absent, it is def.
func (o *opts) str(name, def string) string {
	n, f := o.decl(name, KindText)
	if n == nil {
		return def
	}
	s := o.d.str(n, o.key(name))
	if n.Kind == yaml.ScalarNode {
		o.form(n, o.key(name), f.Value, s)
	}
	return s
}

// form checks a text against its declared pattern.
func (o *opts) form(n *yaml.Node, key string, v Value, s string) {
	if v.Pattern != "" && !regexp.MustCompile(v.Pattern).MatchString(s) {
		o.d.errorf(n, "%s: %q must be %s", key, s, v.Form)
	}
}

// name reads a variable name.
func (o *opts) name(name string) string {
	n, _ := o.decl(name, KindName)
	if n == nil {
		return ""
	}
	s := o.d.str(n, o.key(name))
	o.d.varName(n, o.key(name), s)
	return s
}

// enum reads one of the declared values; absent, it is def.
func (o *opts) enum(name, def string) string {
	n, f := o.decl(name, KindEnum)
	if n == nil {
		return def
	}
	s := o.d.str(n, o.key(name))
	if !slices.Contains(f.Value.Enum, s) && n.Kind == yaml.ScalarNode {
		o.d.errorf(n, "%s must be %s, not %q", o.key(name), orList(f.Value.Enum), s)
	}
	return s
}

func (o *opts) boolean(name string) bool {
	n, _ := o.decl(name, KindBool)
	return n != nil && o.d.boolean(n, o.key(name))
}

// integer reads a whole number within the declared bounds; absent, def.
func (o *opts) integer(name string, def int) int {
	n, f := o.decl(name, KindInt)
	if n == nil {
		return def
	}
	return o.d.integer(n, o.key(name), f.Value.Min, f.Value.Max)
}

func (o *opts) duration(name string) time.Duration {
	n, _ := o.decl(name, KindDuration)
	if n == nil {
		return 0
	}
	return o.d.duration(n, o.key(name))
}

func (o *opts) template(name string) *Template {
	n, _ := o.decl(name, KindTemplate)
	return o.d.template(n, o.key(name))
}

func (o *opts) expr(name string) *Expr {
	n, _ := o.decl(name, KindExpr)
	return o.d.expr(n, o.key(name))
}

// texts reads a list of texts; a single one is a list of one.
func (o *opts) texts(name string) []string {
	n, f := o.decl(name, KindList)
	out := o.d.strs(n, o.key(name))
	for _, s := range out {
		o.form(n, o.key(name), *f.Value.Elem, s)
	}
	return out
}

// templates reads a list of templates; a single one is a list of one.
func (o *opts) templates(name string) []*Template {
	n, _ := o.decl(name, KindList)
	var out []*Template
	for _, s := range o.d.strs(n, o.key(name)) {
		if t := o.d.templateOf(n, s, o.key(name)); t != nil {
			out = append(out, t)
		}
	}
	return out
}

// hex reads pairs of hex digits.
func (o *opts) hex(name string) []byte {
	n, _ := o.decl(name, KindHex)
	if n == nil {
		return nil
	}
	raw, err := hex.DecodeString(strings.ReplaceAll(o.d.str(n, o.key(name)), " ", ""))
	if err != nil {
		o.d.errorf(n, "%s must be pairs of hex digits such as \"0d0a\": %v", o.key(name), err)
	}
	return raw
}

// sub reads a nested object.
func (o *opts) sub(name, what, path string) *opts {
	n, f := o.decl(name, KindObject)
	sub := o.d.object(n, what, path, f.Value)
	sub.id = o.id + name + "."
	return sub
}
