package checks

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Binary protocols are judged on bytes, not text. In expressions a run of
// bytes is a string (templates then send it as it is, and == compares it
// byte for byte); these functions pack numbers into bytes and read them
// back, so that an exercise never spells a message in hex by hand:
//
//	u16be(3)             the bytes 00 03
//	u32be(7) + u32be(9)  eight bytes, two numbers
//	u64be(reply)         the number that eight received bytes hold
//	bytes([0, 255, 10])  bytes from a list of numbers
//	randBytes(1400)      random bytes, from the run's seed
//	hex(reply)           "00 00 00 0c", to name bytes in a message

// intCodec is a fixed-size integer: how many bytes, which byte first, and
// whether it is signed.
type intCodec struct {
	size   int
	little bool
	signed bool
}

// intCodecs are the integer kinds of pack items and the functions of the
// same names.
var intCodecs = map[string]intCodec{
	"u8": {1, false, false}, "i8": {1, false, true},
	"u16be": {2, false, false}, "u16le": {2, true, false}, "i16be": {2, false, true}, "i16le": {2, true, true},
	"u32be": {4, false, false}, "u32le": {4, true, false}, "i32be": {4, false, true}, "i32le": {4, true, true},
	"u64be": {8, false, false}, "u64le": {8, true, false}, "i64be": {8, false, true}, "i64le": {8, true, true},
}

func (c intCodec) order() binary.ByteOrder {
	if c.little {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

// pack writes n in c's bytes; a number that does not fit is an error
// rather than silently cut.
func (c intCodec) pack(name string, v any) ([]byte, error) {
	bits := uint(c.size * 8)
	b := make([]byte, 8)
	switch n := v.(type) {
	case uint64:
		if bits < 64 && n >= 1<<bits || c.signed && n > math.MaxInt64>>(64-bits) {
			return nil, fmt.Errorf("%s: %d does not fit in %d bytes", name, n, c.size)
		}
		c.put(b, n)
	default:
		i, ok := wholeNumber(v)
		if !ok {
			return nil, fmt.Errorf("%s: %v is not a whole number", name, v)
		}
		lo, hi := int64(0), int64(math.MaxInt64)
		if c.signed {
			lo, hi = math.MinInt64>>(64-bits), math.MaxInt64>>(64-bits)
		} else if bits < 64 {
			hi = 1<<bits - 1
		}
		if i < lo || i > hi {
			return nil, fmt.Errorf("%s: %d does not fit in %d bytes", name, i, c.size)
		}
		c.put(b, uint64(i))
	}
	return b[:c.size], nil
}

func (c intCodec) put(b []byte, n uint64) {
	switch c.size {
	case 1:
		b[0] = byte(n)
	case 2:
		c.order().PutUint16(b, uint16(n))
	case 4:
		c.order().PutUint32(b, uint32(n))
	default:
		c.order().PutUint64(b, n)
	}
}

// unpack reads exactly c.size bytes as a number: an int, or a uint64 for
// unsigned 64-bit values beyond what an int holds.
func (c intCodec) unpack(name string, s string) (any, error) {
	if len(s) != c.size {
		return nil, fmt.Errorf("%s reads exactly %d bytes, but was given %d", name, c.size, len(s))
	}
	b := []byte(s)
	var u uint64
	switch c.size {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(c.order().Uint16(b))
	case 4:
		u = uint64(c.order().Uint32(b))
	default:
		u = c.order().Uint64(b)
	}
	if c.signed {
		shift := 64 - uint(c.size*8)
		return int(int64(u<<shift) >> shift), nil
	}
	if u > math.MaxInt64 {
		return u, nil
	}
	return int(u), nil
}

// wholeNumber reads the numbers expressions produce (ints, and floats such
// as 2**24) when they hold a whole value.
func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case uint8:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<63 {
			return int64(n), true
		}
	}
	return 0, false
}

// toBytes reads a run of bytes: a string (as it is), or a list of numbers
// from 0 to 255.
func toBytes(what string, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return []byte(x), nil
	case []byte:
		return x, nil
	case []any:
		out := make([]byte, len(x))
		for i, e := range x {
			n, ok := wholeNumber(e)
			if !ok || n < 0 || n > 255 {
				return nil, fmt.Errorf("%s: item %d (%v) is not a byte (0 to 255)", what, i, e)
			}
			out[i] = byte(n)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: %v (%T) is not bytes: give a string or a list of numbers from 0 to 255", what, v, v)
}

// hexWords shows bytes as "00 ff 0c", cut after max bytes.
func hexWords(b []byte, max int) string {
	var s strings.Builder
	for i, c := range b {
		if i == max {
			fmt.Fprintf(&s, " … (%d bytes in all)", len(b))
			break
		}
		if i > 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}

// binaryFunctions are the expression functions above; random ones draw
// from the check's own source.
func binaryFunctions(rng *rand.Rand) map[string]any {
	fs := map[string]any{
		"bytes": func(v any) (string, error) {
			b, err := toBytes("bytes", v)
			return string(b), err
		},
		"randBytes": func(n int) string {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			return string(b)
		},
		"hex": func(v any) (string, error) {
			b, err := toBytes("hex", v)
			return hexWords(b, 64), err
		},
	}
	for name, c := range intCodecs {
		// One name both ways: a number packs into bytes, bytes unpack
		// into a number (u32be(7) is 00 00 00 07, u32be(reply) is 7).
		fs[name] = func(v any) (any, error) {
			if s, ok := v.(string); ok {
				return c.unpack(name, s)
			}
			b, err := c.pack(name, v)
			return string(b), err
		}
	}
	return fs
}

func sizeWords(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// binaryFunctionDocs describe the functions above, for the reference.
func binaryFunctionDocs() []Function {
	out := []Function{
		{"bytes", "bytes(list)", "the bytes of a list of numbers from 0 to 255 (a string is bytes already)"},
		{"randBytes", "randBytes(n)", "n random bytes, any of 0 to 255"},
		{"hex", "hex(bytes)", "the bytes in hex, \"00 00 00 0c\", to name bytes in a message"},
	}
	for _, name := range intCodecNames() {
		c := intCodecs[name]
		out = append(out, Function{name, name + "(x)", fmt.Sprintf("a number as %s; given %s, the number it holds", c.words(), sizeWords(c.size))})
	}
	return out
}
