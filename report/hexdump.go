package report

import (
	"fmt"
	"strings"
)

// A packet view shows bytes as `tcpdump -X` does: the offset in hex, 16
// bytes as 8 groups of 4 hex digits, and the printable ASCII beside them
// (anything else, space too, is a dot), so a student can compare it with tcpdump's own
// output of the course text:
//
//	0x0000:  0003 0000 0003 0000 0004 0000 0005       ..............

const (
	hexPerRow  = 16
	hexWidth   = 39 // 8 groups of 4 digits, 7 spaces
	hexPrefix  = len("0x0000:  ")
	asciiStart = hexPrefix + hexWidth + 2
)

// hexRow formats one row of up to 16 bytes that starts at offset off.
func hexRow(b []byte, off int) string {
	var h strings.Builder
	for i, c := range b {
		if i > 0 && i%2 == 0 {
			h.WriteByte(' ')
		}
		fmt.Fprintf(&h, "%02x", c)
	}
	ascii := make([]byte, len(b))
	for i, c := range b {
		ascii[i] = '.'
		if c > 0x20 && c < 0x7f {
			ascii[i] = c
		}
	}
	return fmt.Sprintf("0x%04x:  %-*s  %s", off, hexWidth, h.String(), ascii)
}

// hexCols are the columns, in a row, of byte i's hex digits and its ASCII.
func hexCols(i int) (hexCol, asciiCol int) {
	i %= hexPerRow
	return hexPrefix + i/2*5 + i%2*2, asciiStart + i
}

// Hexdump shows b as a packet view, each row prefixed with pad. With at
// in range, a row of carets under that byte's hex and ASCII follows its
// row (caret is "^", or "^" painted). Long data shows at most maxRows rows: around at when there is one,
// else the first ones, and says how many bytes are left out.
func Hexdump(b []byte, at int, pad string, maxRows int, caret string) string {
	rows := (len(b) + hexPerRow - 1) / hexPerRow
	first, last := 0, min(rows, maxRows)
	if at >= 0 && at/hexPerRow >= last {
		first = max(0, at/hexPerRow-maxRows/2)
		last = min(rows, first+maxRows)
	}
	var out strings.Builder
	if first > 0 {
		fmt.Fprintf(&out, "%s… %d bytes before\n", pad, first*hexPerRow)
	}
	for r := first; r < last; r++ {
		row := b[r*hexPerRow : min(len(b), (r+1)*hexPerRow)]
		out.WriteString(pad + hexRow(row, r*hexPerRow) + "\n")
		if at >= r*hexPerRow && at < (r+1)*hexPerRow {
			out.WriteString(pad + caretRow(at, caret) + missing(at, b) + "\n")
		}
	}
	if at == len(b) && at%hexPerRow == 0 && last == rows {
		// The first missing byte starts a row of its own.
		out.WriteString(pad + fmt.Sprintf("0x%04x:  %s%s", at, caret, caret) + missing(at, b) + "\n")
	}
	if last < rows {
		fmt.Fprintf(&out, "%s… %d more bytes\n", pad, len(b)-last*hexPerRow)
	}
	return strings.TrimRight(out.String(), "\n")
}

func missing(at int, b []byte) string {
	if at == len(b) {
		return " (nothing from here on)"
	}
	return ""
}

func caretRow(at int, caret string) string {
	h, a := hexCols(at)
	return strings.Repeat(" ", h) + caret + caret + strings.Repeat(" ", a-h-2) + caret
}
