package checks

import (
	"slices"
	"sort"
)

// The exercise format is declared here and in each step's file as values:
// every key, the kind of value it takes, a sentence about it, and the rules
// between keys. The decoders read an exercise file through these
// declarations (options.go), and the JSON Schema and the format reference
// are made from them (package schema), so none of the three can know a key
// the others do not.

// ValueKind is the kind of value a key takes.
type ValueKind string

// The kinds of value.
const (
	KindText     ValueKind = "text"       // a single value, taken as text
	KindTemplate ValueKind = "template"   // text with {{ expression }} parts
	KindExpr     ValueKind = "expression" // an expr-lang expression
	KindBool     ValueKind = "boolean"
	KindInt      ValueKind = "integer" // between Min and Max
	KindDuration ValueKind = "duration"
	KindEnum     ValueKind = "enum" // one of Enum
	KindName     ValueKind = "name" // a variable name
	KindHex      ValueKind = "hex"  // pairs of hex digits, spaces allowed
	KindList     ValueKind = "list" // of Elem; a single value stands for a list of one when Elem is a scalar
	KindMap      ValueKind = "map"  // names (NamePattern) to Elem
	KindObject   ValueKind = "object"
	KindSteps    ValueKind = "steps" // a list of steps, at least one
	KindOneOf    ValueKind = "one-of"
)

// Value describes what a key holds.
type Value struct {
	Kind     ValueKind
	Enum     []string
	Min, Max int    // an integer's bounds; a list's least length (Min)
	Pattern  string // what a text must look like, as a regular expression (RE2 and ECMA-262 alike)
	Form     string // the pattern in words, for messages: "a file name inside the submission folder"
	Elem     *Value // of a list or a map
	Names    string // a map's names: a regular expression
	Reserved []string
	Fields   []Field // of an object
	// Short is the field that a single scalar stands for: `send: hi` is
	// `send: {text: hi}`.
	Short string
	// Empty: nothing at all (`restart:`) stands for an empty object.
	Empty bool
	Rules []Rule
	// Refused are keys that read as if they belonged here, with the reason
	// they do not: a key an author will try gets an answer, not a list.
	Refused map[string]string
	Alts    []Value // of a one-of: any one of these
}

// Field is one key of an object.
type Field struct {
	Name     string
	Value    Value
	Doc      string // one sentence, for the reference and the editor's hover
	Required bool
	Default  string // what leaving it out means, when it is not nothing
}

// RuleKind says how the keys of a rule go together.
type RuleKind string

// The rules between keys of an object.
const (
	ExactlyOne  RuleKind = "exactly one of"
	AtLeastOne  RuleKind = "at least one of"
	NotTogether RuleKind = "not together"
	// Requires: the first key needs every other one.
	Requires RuleKind = "requires"
	// Apart: the keys come in groups (Groups), and keys of two groups never
	// appear together: an expect judges text, or bytes, or a reply code.
	Apart RuleKind = "apart"
)

// Rule constrains which keys of an object appear together.
type Rule struct {
	Kind RuleKind
	Keys []string
	// Groups are the groups of an Apart rule (Keys holds them all); a
	// group of more than one key is named by its first.
	Groups [][]string
}

// StepKind is one kind of step: its key, what it does, its value, an
// example, and its decoder.
type StepKind struct {
	Name    string
	Doc     string
	Value   Value
	Example string // one or more steps in YAML, as a list
	decode  func(d *decoder, o *opts, ex *Exercise) Step
}

// Function is one of the grader's own expression functions.
type Function struct {
	Name      string
	Signature string
	Doc       string
}

// Format is the whole exercise format, for the schema and the reference.
type Format struct {
	Exercise  Value
	Check     Value
	Steps     []*StepKind // sorted by name
	When      Field       // the key every step takes besides its kind
	Matcher   []Field
	Functions []Function
	// Names are the variables the engine sets itself.
	Names []Field
}

// Declared returns the format as the decoders read it.
func Declared() Format {
	steps := make([]*StepKind, 0, len(stepKinds))
	for _, k := range StepKinds() {
		steps = append(steps, stepKinds[k])
	}
	return Format{Exercise: exerciseValue, Check: checkValue, Steps: steps, When: whenField,
		Matcher: matcherFields, Functions: slices.Clone(functionDocs), Names: slices.Clone(engineNames)}
}

// Value constructors, so that declarations read as a table.
var (
	vText     = Value{Kind: KindText}
	vTemplate = Value{Kind: KindTemplate}
	vExpr     = Value{Kind: KindExpr}
	vBool     = Value{Kind: KindBool}
	vDuration = Value{Kind: KindDuration}
	vName     = Value{Kind: KindName}
	vHex      = Value{Kind: KindHex}
	vSteps    = Value{Kind: KindSteps}
	vTexts    = vList(vText)
	vTmpls    = vList(vTemplate)
)

func vInt(lo, hi int) Value        { return Value{Kind: KindInt, Min: lo, Max: hi} }
func vEnum(values ...string) Value { return Value{Kind: KindEnum, Enum: values} }
func vList(elem Value) Value       { return Value{Kind: KindList, Elem: &elem} }
func vOneOf(alts ...Value) Value   { return Value{Kind: KindOneOf, Alts: alts} }

// vObject is a mapping of the fields; empty: `key:` alone means {}.
func vObject(fields ...Field) Value { return Value{Kind: KindObject, Fields: fields, Empty: true} }

// vMap is a mapping of names of the given form to values.
func vMap(names string, elem Value) Value {
	return Value{Kind: KindMap, Names: names, Elem: &elem}
}

// short makes a lone scalar stand for the named field.
func (v Value) short(field string) Value { v.Short = field; return v }

// strict: an object that may not be left empty.
func (v Value) strict() Value { v.Empty = false; return v }

func (v Value) rule(kind RuleKind, keys ...string) Value {
	v.Rules = append(slices.Clone(v.Rules), Rule{Kind: kind, Keys: keys})
	return v
}

// apart declares groups of keys that never appear together.
func (v Value) apart(groups ...[]string) Value {
	var keys []string
	for _, g := range groups {
		keys = append(keys, g...)
	}
	v.Rules = append(slices.Clone(v.Rules), Rule{Kind: Apart, Keys: keys, Groups: groups})
	return v
}

func (v Value) refuse(key, why string) Value {
	m := map[string]string{key: why}
	for k, w := range v.Refused {
		m[k] = w
	}
	v.Refused = m
	return v
}

func (v Value) pattern(p, form string) Value { v.Pattern, v.Form = p, form; return v }

func (v Value) minLen(n int) Value { v.Min = n; return v }

func (v Value) reserve(names []string) Value { v.Reserved = names; return v }

// with returns the object with more fields.
func (v Value) with(fields ...Field) Value {
	v.Fields = append(slices.Clone(v.Fields), fields...)
	return v
}

// field returns the declared field of an object, if it has it.
func (v *Value) field(name string) (Field, bool) {
	for _, f := range v.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// FieldNames lists an object's keys, in declaration order.
func (v *Value) FieldNames() []string {
	out := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		out[i] = f.Name
	}
	return out
}

func req(f Field) Field { f.Required = true; return f }

func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return out
}
