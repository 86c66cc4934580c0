package checks

import (
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"
)

// packSpec is a binary message written field by field, for send and
// expect: integers of a fixed size and byte order, text, and bytes.
//
//	pack:
//	  - u16be: len(nums)     # a 2-byte big-endian count
//	  - u32be: nums          # a list packs every item: 4 bytes each
//	  - text: "OK {{ n }}"   # text as it is
//	  - hex: "0d0a"          # bytes spelt in hex
//	  - bytes: blob          # an expression giving bytes (a string, or a list of 0..255)
type packSpec struct{ items []packItem }

type packItem struct {
	kind  string
	codec intCodec
	expr  *Expr
	text  *Template
	raw   []byte
}

// packValue declares a pack: a list of items, each of one kind. The
// integer kinds are the functions of the same names (binary.go).
var packValue = vList(packItemValue()).minLen(1)

func packItemValue() Value {
	fields := []Field{
		{Name: "text", Value: vTemplate, Doc: "text, as it is"},
		{Name: "hex", Value: vHex, Doc: "bytes spelt in hex"},
		{Name: "bytes", Value: vExpr, Doc: "an expression giving bytes: a string, or a list of numbers from 0 to 255"},
	}
	for _, name := range intCodecNames() {
		c := intCodecs[name]
		fields = append(fields, Field{Name: name, Value: vExpr, Doc: c.words() + "; a list packs every item"})
	}
	var keys []string
	for _, f := range fields {
		keys = append(keys, f.Name)
	}
	return vObject(fields...).strict().rule(ExactlyOne, keys...)
}

// intCodecNames lists the integer kinds by size, unsigned before signed,
// big-endian before little-endian.
func intCodecNames() []string {
	out := make([]string, 0, len(intCodecs))
	for k := range intCodecs {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := intCodecs[out[i]], intCodecs[out[j]]
		rank := func(c intCodec) int {
			r := c.size * 4
			if c.signed {
				r += 2
			}
			if c.little {
				r++
			}
			return r
		}
		return rank(a) < rank(b)
	})
	return out
}

// words says what the integer kind is: "a 4-byte big-endian unsigned integer".
func (c intCodec) words() string {
	sign, order := "unsigned", "big-endian "
	if c.signed {
		sign = "signed"
	}
	if c.little {
		order = "little-endian "
	}
	if c.size == 1 {
		return fmt.Sprintf("a 1-byte %s integer", sign)
	}
	article := "a"
	if c.size == 8 {
		article = "an"
	}
	return fmt.Sprintf("%s %d-byte %s%s integer", article, c.size, order, sign)
}

// pack reads a declared pack.
func (o *opts) pack(name string) *packSpec {
	n, f := o.decl(name, KindList)
	if n == nil {
		return nil
	}
	what := o.key(name)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		o.d.errorf(n, "%s must be a list of fields such as [{u16be: 3}, {u32be: n}], not %s", what, kindName(n))
		return nil
	}
	p := &packSpec{}
	for _, item := range n.Content {
		io := o.d.object(item, what+" item", what+".", *f.Value.Elem)
		for _, k := range f.Value.Elem.FieldNames() {
			if !io.has(k) {
				continue
			}
			it := packItem{kind: k}
			switch k {
			case "text":
				it.text = io.template(k)
			case "hex":
				it.raw = io.hex(k)
			default:
				it.codec = intCodecs[k]
				it.expr = io.expr(k)
			}
			p.items = append(p.items, it)
		}
	}
	return p
}

// render packs the message with the check's variables.
func (p *packSpec) render(env map[string]any) ([]byte, error) {
	var out []byte
	for _, it := range p.items {
		switch it.kind {
		case "text":
			s, err := it.text.Render(env, nil)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		case "hex":
			out = append(out, it.raw...)
		case "bytes":
			v, err := it.expr.Eval(env)
			if err != nil {
				return nil, err
			}
			b, err := toBytes("pack.bytes "+it.expr.Src, v)
			if err != nil {
				return nil, err
			}
			out = append(out, b...)
		default:
			v, err := it.expr.Eval(env)
			if err != nil {
				return nil, err
			}
			values := []any{v}
			if list, ok := v.([]any); ok {
				values = list
			}
			for _, x := range values {
				b, err := it.codec.pack(it.kind, x)
				if err != nil {
					return nil, fmt.Errorf("pack %q: %w", it.expr.Src, err)
				}
				out = append(out, b...)
			}
		}
	}
	return out, nil
}
