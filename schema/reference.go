package schema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/acme-lab/grader/checks"
)

// The format reference, docs/exercise-format.md, is prose with generated
// parts between markers:
//
//	<!-- generated: steps -->
//	…
//	<!-- end generated -->
//
// Reference makes each part from the declared format, so the reference
// lists every key the decoders read, and a spec holds the document to it.

// Sections are the generated parts of the reference, by marker name.
func Sections() map[string]string {
	f := checks.Declared()
	check, _ := fieldOf(f.Exercise, "checks")
	return map[string]string{
		"exercise":   table(f.Exercise.Fields, nil),
		"submission": subTable(f.Exercise, "submission"),
		"port":       subTable(f.Exercise, "port"),
		"timeouts":   subTable(f.Exercise, "timeouts"),
		"limits":     subTable(f.Exercise, "limits"),
		"http":       subTable(f.Exercise, "http"),
		"check":      table(check.Value.Elem.Fields, nil),
		"step-index": stepIndex(f),
		"steps":      steps(f),
		"matcher":    table(f.Matcher, nil),
		"functions":  functions(f),
		"names":      names(f),
	}
}

func subTable(v checks.Value, name string) string {
	field, _ := fieldOf(v, name)
	return table(field.Value.Fields, nil)
}

// words says what kind of value a key takes.
func words(v checks.Value) string {
	switch v.Kind {
	case checks.KindText:
		if v.Form != "" {
			return "text: " + v.Form
		}
		return "text"
	case checks.KindTemplate:
		return "text with `{{ }}`"
	case checks.KindExpr:
		return "expression"
	case checks.KindBool:
		return "`true` or `false`"
	case checks.KindInt:
		return fmt.Sprintf("integer, %d to %d", v.Min, v.Max)
	case checks.KindDuration:
		return "duration (`500ms`, `2s`)"
	case checks.KindEnum:
		return code(v.Enum, " | ")
	case checks.KindName:
		return "variable name"
	case checks.KindHex:
		return "hex digits (`0d0a`)"
	case checks.KindList:
		if v.Elem.Kind == checks.KindObject {
			return "list of mappings"
		}
		return "list of " + words(*v.Elem) + " (one alone is a list of one)"
	case checks.KindMap:
		return "mapping of names to " + words(*v.Elem)
	case checks.KindObject:
		if len(v.Fields) == len(matcherNames()) && v.Short == "exact" {
			return "[matcher](#matchers) (text alone: `exact`)"
		}
		return "mapping (below)"
	case checks.KindSteps:
		return "list of [steps](#steps)"
	case checks.KindOneOf:
		var alts []string
		for _, a := range v.Alts {
			alts = append(alts, words(a))
		}
		return strings.Join(alts, ", or ")
	}
	return string(v.Kind)
}

func code(xs []string, sep string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "`" + x + "`"
	}
	return strings.Join(q, sep)
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// table lists fields; those named in collapse are left out (the matcher
// keys of expect and output, which have a table of their own).
func table(fields []checks.Field, collapse map[string]bool) string {
	var b strings.Builder
	b.WriteString("| key | value | default | what it is |\n|---|---|---|---|\n")
	for _, f := range fields {
		if collapse[f.Name] {
			continue
		}
		name := "`" + f.Name + "`"
		if f.Required {
			name += " (required)"
		}
		def := f.Default
		if def != "" && !strings.Contains(def, " ") {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, cell(words(f.Value)), cell(def), cell(f.Doc))
	}
	return b.String()
}

func matcherNames() map[string]bool {
	out := map[string]bool{}
	for _, f := range checks.Declared().Matcher {
		out[f.Name] = true
	}
	return out
}

func stepIndex(f checks.Format) string {
	var b strings.Builder
	b.WriteString("| step | does |\n|---|---|\n")
	for _, k := range f.Steps {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", k.Name, k.Name, cell(k.Doc))
	}
	return b.String()
}

func steps(f checks.Format) string {
	var b strings.Builder
	matcher := matcherNames()
	listed := map[string]string{} // a list's items, by key: the step whose table has them
	for i, k := range f.Steps {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "### %s\n\n%s.\n\n", k.Name, sentence(k.Doc))
		v := k.Value
		switch v.Kind {
		case checks.KindObject:
			if v.Short != "" {
				fmt.Fprintf(&b, "`%s: VALUE` is short for `%s: {%s: VALUE}`.\n\n", k.Name, k.Name, v.Short)
			}
			if len(v.Fields) == 0 {
				fmt.Fprintf(&b, "It takes no keys: `%s: {}`.\n\n", k.Name)
				break
			}
			collapse := map[string]bool{}
			n := 0
			for _, fl := range v.Fields {
				if matcher[fl.Name] {
					n++
				}
			}
			if n >= len(matcher)-1 {
				collapse = matcher
			}
			b.WriteString(table(v.Fields, collapse))
			if len(collapse) > 0 {
				fmt.Fprintf(&b, "\nand every key of a [matcher](#matchers)%s.\n", refusedWords(v))
			}
			for _, fl := range v.Fields {
				if fl.Value.Kind == checks.KindObject && !(len(fl.Value.Fields) == len(matcher) && fl.Value.Short == "exact") {
					fmt.Fprintf(&b, "\n`%s` keys:\n\n%s", fl.Name, table(fl.Value.Fields, nil))
					if r := rules(fl.Value); r != "" {
						fmt.Fprintf(&b, "\n%s\n", r)
					}
				}
				// A list of mappings (pack) has its items' keys listed too.
				// A list of mappings (pack) has its items' keys listed too,
				// once: another step with the same list points there.
				if fl.Value.Kind == checks.KindList && fl.Value.Elem.Kind == checks.KindObject {
					if at, ok := listed[fl.Name]; ok {
						fmt.Fprintf(&b, "\n`%s` items are those of [%s](#%s).\n", fl.Name, at, at)
						continue
					}
					listed[fl.Name] = k.Name
					fmt.Fprintf(&b, "\n`%s` items, each a mapping of one key:\n\n%s", fl.Name, table(fl.Value.Elem.Fields, nil))
					if r := rules(*fl.Value.Elem); r != "" {
						fmt.Fprintf(&b, "\n%s\n", r)
					}
				}
			}
			if r := rules(v); r != "" {
				fmt.Fprintf(&b, "\n%s\n", r)
			}
			b.WriteString("\n")
		default:
			fmt.Fprintf(&b, "Its value is %s.\n\n", words(v))
		}
		fmt.Fprintf(&b, "```yaml\n%s\n```\n", strings.TrimRight(k.Example, "\n"))
	}
	return b.String()
}

func refusedWords(v checks.Value) string {
	var keys []string
	for k := range v.Refused {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return " but " + code(keys, ", ")
}

// rules says in words which keys go together.
func rules(v checks.Value) string {
	var out []string
	for _, r := range v.Rules {
		switch r.Kind {
		case checks.ExactlyOne:
			out = append(out, "Exactly one of "+orCode(r.Keys)+".")
		case checks.AtLeastOne:
			out = append(out, "At least one of "+orCode(r.Keys)+".")
		case checks.NotTogether:
			out = append(out, "Not both "+strings.Join(quoted(r.Keys), " and ")+".")
		case checks.Requires:
			out = append(out, fmt.Sprintf("`%s` needs %s.", r.Keys[0], strings.Join(quoted(r.Keys[1:]), " and ")))
		case checks.Apart:
			var groups []string
			for _, g := range r.Groups {
				if len(g) == 1 {
					groups = append(groups, "`"+g[0]+"`")
				} else {
					groups = append(groups, "("+strings.Join(quoted(g), ", ")+")")
				}
			}
			out = append(out, "Keys of only one of "+joinOr(groups)+".")
		}
	}
	return strings.Join(out, " ")
}

func quoted(xs []string) []string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "`" + x + "`"
	}
	return q
}

func orCode(xs []string) string { return joinOr(quoted(xs)) }

func joinOr(q []string) string {
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func functions(f checks.Format) string {
	var b strings.Builder
	b.WriteString("| function | gives |\n|---|---|\n")
	for _, fn := range f.Functions {
		fmt.Fprintf(&b, "| `%s` | %s |\n", fn.Signature, cell(fn.Doc))
	}
	return b.String()
}

func names(f checks.Format) string {
	var b strings.Builder
	b.WriteString("| name | holds |\n|---|---|\n")
	for _, n := range f.Names {
		fmt.Fprintf(&b, "| `%s` | %s |\n", n.Name, cell(n.Doc))
	}
	return b.String()
}

// StepKeys lists every step kind and every key of every step, for the
// reference's spec.
func StepKeys() []string {
	var out []string
	for _, k := range checks.Declared().Steps {
		out = append(out, k.Name)
		for _, f := range k.Value.Fields {
			out = append(out, f.Name)
		}
	}
	return out
}
