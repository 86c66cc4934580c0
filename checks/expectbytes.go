package checks

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// runBytes waits for as many bytes as expected (the packed message, or
// bytes: N), then compares them exactly. Bytes beyond that stay for the
// next step. A wrong byte is named by its offset, in hex as a packet view
// numbers it.
func (s *expectStep) runBytes(r *runner, c *conn, wait time.Duration) error {
	var want []byte
	var n int
	if s.want != nil {
		var err error
		if want, err = s.want.render(r.env); err != nil {
			return err
		}
		n = len(want)
	} else {
		v, err := s.count.Eval(r.env)
		if err != nil {
			return err
		}
		k, ok := wholeNumber(v)
		if !ok || k < 0 || k > maxPending {
			return fmt.Errorf("expect.bytes %q gave %v, not a number of bytes", s.count.Src, v)
		}
		n = int(k)
	}
	deadline := r.until(wait)
	for len(c.pending) < n && c.ended == nil {
		if err := c.fill(deadline); err != nil && c.ended == nil {
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				return s.bytesFailure(r, c, want, n, endedWords(err))
			}
			break
		}
	}
	got := c.pending[:min(n, len(c.pending))]
	at := firstDiff(got, want)
	differs := ""
	if want != nil && at < len(got) {
		differs = fmt.Sprintf("differs at offset %s: it is 0x%02x where 0x%02x was expected", offsetHex(at), got[at], want[at])
		if len(got) == n {
			return s.bytesFailure(r, c, want, n, "the reply "+differs, at)
		}
	}
	if len(got) < n {
		switch {
		case len(got) == 0 && c.ended != nil:
			return s.bytesFailure(r, c, want, n, endedWords(c.ended)+" without sending them")
		case len(got) == 0:
			return s.bytesFailure(r, c, want, n, "nothing arrived within "+wait.String())
		}
		more := "no more arrived within " + wait.String()
		if c.ended != nil {
			more = "then " + endedWords(c.ended)
		}
		if differs != "" {
			return s.bytesFailure(r, c, want, n, fmt.Sprintf("only %d arrived (%s), and the reply %s", len(got), more, differs), at)
		}
		return s.bytesFailure(r, c, want, n, fmt.Sprintf("only %d arrived; %s", len(got), more), len(got))
	}
	if s.m.capture != "" {
		r.env[s.m.capture] = string(got)
	}
	c.consume(n)
	return nil
}

// firstDiff is the offset of the first byte where got departs from want,
// or len(got) when got is the start of want (or nothing is wanted).
func firstDiff(got, want []byte) int {
	if want == nil {
		return len(got)
	}
	for i := range got {
		if i >= len(want) || got[i] != want[i] {
			return i
		}
	}
	return len(got)
}

// offsetHex writes an offset the way a packet view numbers its lines.
func offsetHex(at int) string { return fmt.Sprintf("0x%04x", at) }

func (s *expectStep) bytesFailure(r *runner, c *conn, want []byte, n int, what string, at ...int) error {
	words := fmt.Sprintf("%d bytes", n)
	if s.m.says != nil {
		if says, err := s.m.says.Render(r.env, nil); err == nil {
			words = says
		}
	}
	if want != nil {
		words = fmt.Sprintf("%s (%s)", words, hexWords(want, 64))
	}
	f := failf("Expected %s, but %s.", words, what)
	f.Expected, f.ExpectedBytes = words, want
	f.Got = string(c.pending[:min(len(c.pending), max(n, 64))])
	if len(at) > 0 {
		f.GotAt = at[0]
	}
	return f
}
