package checks

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

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

// packKinds are the keys a pack item may have besides the integer kinds.
var packKinds = []string{"text", "hex", "bytes"}

func packKeys() []string {
	out := append([]string(nil), packKinds...)
	for k := range intCodecs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (d *decoder) pack(n *yaml.Node, what string) *packSpec {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.errorf(n, "%s must be a list of fields such as [{u16be: 3}, {u32be: n}], not %s", what, kindName(n))
		return nil
	}
	p := &packSpec{}
	for _, item := range n.Content {
		f := d.fields(item, what+" item", packKeys())
		if len(f) != 1 {
			if item.Kind == yaml.MappingNode && len(item.Content) != 2 {
				d.errorf(item, "%s: each field has one kind, such as {u32be: n}", what)
			}
			continue
		}
		for k, v := range f {
			p.items = append(p.items, d.packItem(k, v, what+"."+k))
		}
	}
	return p
}

func (d *decoder) packItem(kind string, v *yaml.Node, what string) packItem {
	it := packItem{kind: kind}
	switch kind {
	case "text":
		it.text = d.template(v, what)
	case "hex":
		it.raw = d.hexBytes(v, what)
	default:
		it.codec = intCodecs[kind]
		it.expr = d.expr(v, what)
	}
	return it
}

// hexBytes reads bytes spelt as pairs of hex digits; spaces are ignored.
func (d *decoder) hexBytes(n *yaml.Node, what string) []byte {
	raw, err := hex.DecodeString(strings.Join(strings.Fields(d.str(n, what)), ""))
	if err != nil {
		d.errorf(n, "%s must be pairs of hex digits such as \"0d0a\": %v", what, err)
	}
	return raw
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
