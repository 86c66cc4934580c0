package httpwire

import (
	"fmt"
	"strings"
)

// caretContext is how many bytes Caret shows on each side of the offset.
const caretContext = 32

// Caret shows the bytes of raw around off, escaped as in a Go string, with
// a caret under the byte at off, for a report:
//
//	"HTTP/1.1 OK\r\nContent-Length: 5\r\n"
//	          ^
//
// Bytes are escaped one by one ("\r", "\n", "\t", "\x00"; anything outside
// printable ASCII as "\xNN"), so that the caret column is exact. An excerpt
// cut short is marked with "..." outside the quotes. An offset equal to
// len(raw), where something is missing at the end, puts the caret on the
// closing quote.
func Caret(raw []byte, off int) string {
	off = max(0, min(off, len(raw)))
	from, to := max(0, off-caretContext), min(len(raw), off+caretContext)
	var b strings.Builder
	if from > 0 {
		b.WriteString("...")
	}
	b.WriteByte('"')
	col := 0
	for i := from; i < to; i++ {
		if i == off {
			col = b.Len()
		}
		b.WriteString(escapeByte(raw[i]))
	}
	if off == to {
		col = b.Len()
	}
	b.WriteByte('"')
	if to < len(raw) {
		b.WriteString("...")
	}
	return b.String() + "\n" + strings.Repeat(" ", col) + "^"
}

// escapeByte escapes one byte as it would appear in a Go string literal.
func escapeByte(c byte) string {
	switch c {
	case '\r':
		return `\r`
	case '\n':
		return `\n`
	case '\t':
		return `\t`
	case '"':
		return `\"`
	case '\\':
		return `\\`
	}
	if c < ' ' || c >= 0x7f {
		return fmt.Sprintf(`\x%02x`, c)
	}
	return string(rune(c))
}
