// Package schema makes the JSON Schema of exercise files from the format
// the decoders read (checks.Declared), for editors: with the modeline
// `# yaml-language-server: $schema=exercise.schema.json` an editor checks
// keys and types as the author types, and completes step kinds and options.
//
// A schema describes shape: keys, kinds of value, the rules between keys.
// What only the loader knows (that a variable is set above, that a check
// needs one above it, that an expression parses) is grader lint's.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/acme-lab/grader/checks"
)

// FileName is the schema's file name, beside the exercises it describes.
const FileName = "exercise.schema.json"

// Modeline is the first line of an exercise file that points
// yaml-language-server (VS Code's YAML extension, and other editors) at
// the schema beside it.
const Modeline = "# yaml-language-server: $schema=" + FileName

// ID names the schema: where it is published, in the grader's repository.
const ID = "https://raw.githubusercontent.com/acme-lab/grader/main/exercises/" + FileName

// Patterns only the schema needs.
const (
	// templatePattern: every {{ is closed by }}.
	templatePattern = `^([^{]|\{[^{]|\{$|\{\{([^}]|\}[^}])*\}\})*$`
	durationPattern = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`
	namePattern     = `^[A-Za-z_][A-Za-z0-9_]*$`
	hexPattern      = `^([0-9a-fA-F]{2}| )*$`
)

type obj = map[string]any

// JSON returns the schema (JSON Schema draft-07), indented, with a final
// newline: the content of exercises/exercise.schema.json.
func JSON() []byte {
	f := checks.Declared()
	s := value(f.Exercise)
	s["$schema"] = "http://json-schema.org/draft-07/schema#"
	s["$id"] = ID
	s["title"] = "grader exercise"
	s["description"] = "An exercise of grader: what a student hands in, how it starts, and the checks that grade it. The reference is docs/exercise-format.md."
	s["definitions"] = obj{
		"steps": obj{"type": "array", "minItems": 1, "items": obj{"$ref": "#/definitions/step"}, "description": "steps, run in order"},
		"step":  step(f),
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		panic(fmt.Sprintf("schema: %v", err))
	}
	return b.Bytes()
}

// step is one step: exactly one kind, and when.
func step(f checks.Format) obj {
	props := obj{f.When.Name: field(f.When)}
	var one []any
	for _, k := range f.Steps {
		s := value(k.Value)
		s["description"] = k.Doc
		props[k.Name] = s
		one = append(one, obj{"required": []string{k.Name}})
	}
	return obj{"type": "object", "properties": props, "additionalProperties": false, "oneOf": one,
		"description": "one step: exactly one kind, and when if it runs only sometimes"}
}

func field(f checks.Field) obj {
	s := value(f.Value)
	d := f.Doc
	if f.Default != "" {
		d += " (default: " + f.Default + ")"
	}
	s["description"] = d
	return s
}

var scalar = []string{"string", "number", "boolean"}

func value(v checks.Value) obj {
	switch v.Kind {
	case checks.KindText:
		if v.Pattern != "" {
			return obj{"type": "string", "pattern": v.Pattern}
		}
		return obj{"type": "string"}
	case checks.KindTemplate:
		return obj{"type": scalar, "pattern": templatePattern}
	case checks.KindExpr:
		return obj{"type": scalar}
	case checks.KindBool:
		return obj{"type": "boolean"}
	case checks.KindInt:
		return obj{"type": "integer", "minimum": v.Min, "maximum": v.Max}
	case checks.KindDuration:
		return obj{"type": "string", "pattern": durationPattern}
	case checks.KindEnum:
		return obj{"enum": v.Enum}
	case checks.KindName:
		return obj{"type": "string", "pattern": namePattern}
	case checks.KindHex:
		return obj{"type": "string", "pattern": hexPattern}
	case checks.KindList:
		elem := value(*v.Elem)
		list := obj{"type": "array", "items": elem}
		if v.Min > 0 {
			list["minItems"] = v.Min
		}
		if v.Elem.Kind == checks.KindObject {
			return list
		}
		return obj{"anyOf": []any{value(*v.Elem), list}}
	case checks.KindMap:
		names := obj{"pattern": v.Names}
		if len(v.Reserved) > 0 {
			names["not"] = obj{"enum": v.Reserved}
		}
		return obj{"type": []string{"object", "null"}, "propertyNames": names, "additionalProperties": value(*v.Elem)}
	case checks.KindObject:
		return object(v)
	case checks.KindSteps:
		return obj{"$ref": "#/definitions/steps"}
	case checks.KindOneOf:
		var alts []any
		for _, a := range v.Alts {
			alts = append(alts, value(a))
		}
		return obj{"anyOf": alts}
	}
	panic("schema: no schema for a value of kind " + string(v.Kind))
}

// object is an object with its fields and rules, or, where the format
// allows them, the single value that stands for its short field, or
// nothing at all.
func object(v checks.Value) obj {
	props := obj{}
	var required []string
	for _, f := range v.Fields {
		props[f.Name] = field(f)
		if f.Required {
			required = append(required, f.Name)
		}
	}
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	var all []any
	deps := obj{}
	empty := v.Empty // nothing at all is an empty object, unless a key is needed
	for _, r := range v.Rules {
		switch r.Kind {
		case checks.ExactlyOne:
			all = append(all, obj{"oneOf": requireEach(r.Keys)})
			empty = false
		case checks.AtLeastOne:
			all = append(all, obj{"anyOf": requireEach(r.Keys)})
			empty = false
		case checks.NotTogether:
			all = append(all, obj{"not": obj{"required": r.Keys}})
		case checks.Requires:
			deps[r.Keys[0]] = r.Keys[1:]
		case checks.Apart:
			// A key of one group means no key of a later one.
			for i, g := range r.Groups[:len(r.Groups)-1] {
				var later []string
				for _, h := range r.Groups[i+1:] {
					later = append(later, h...)
				}
				all = append(all, obj{"if": obj{"anyOf": requireEach(g)}, "then": obj{"not": obj{"anyOf": requireEach(later)}}})
			}
		}
	}
	if empty {
		o["type"] = []string{"object", "null"}
	}
	if len(all) > 0 {
		// The rules are of a mapping's keys: "required" of null would hold
		// vacuously.
		o["if"] = obj{"type": "object"}
		o["then"] = obj{"allOf": all}
	}
	if len(deps) > 0 {
		o["dependencies"] = deps
	}
	if v.Short == "" {
		return o
	}
	short, _ := fieldOf(v, v.Short)
	return obj{"anyOf": []any{value(short.Value), o}}
}

func requireEach(keys []string) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = obj{"required": []string{k}}
	}
	return out
}

func fieldOf(v checks.Value, name string) (checks.Field, bool) {
	for _, f := range v.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return checks.Field{}, false
}
