package checks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

// quietStep expects the program to send nothing more for a while: a reply
// must be exactly so many bytes, a client must wait for the server's word,
// a datagram must come back once.
// With line, only lines matching that regular expression count; other
// bytes are kept for the next expect. A connection that ends meanwhile
// sent nothing more, so it passes. The watch ends sooner once the program
// settles (it ended, or every thread waits): it then sends nothing until
// the grader acts, and a last look takes what had arrived.
type quietStep struct {
	conn string
	dur  time.Duration
	line *Template
	says *Template
}

var quietKind = &StepKind{
	Doc: "nothing more arrives for a while (a reply is exactly so many bytes; a datagram comes back once); with line, no line that matches it, other bytes staying for the next expect",
	Value: vObject(
		Field{Name: "for", Value: vDuration, Doc: "how long nothing may arrive; the watch ends sooner once the program settles (it ended, or every thread waits)", Default: "300ms"},
		Field{Name: "line", Value: vTemplate, Doc: "a regular expression: only a line that matches it breaks the quiet; values put in with {{ }} match literally"},
		Field{Name: "expected", Value: vTemplate, Doc: "what was expected, in words, for the report"},
		connField,
	).short("for"),
	Example: "- quiet: {for: 400ms}\n- quiet: {for: 1s, line: '(?i)^JOIN\\b', expected: \"no JOIN before the welcome (001)\"}",
	decode:  decodeQuiet,
}

func decodeQuiet(d *decoder, o *opts, _ *Exercise) Step {
	s := &quietStep{conn: o.str("conn", "main"), dur: o.duration("for"), line: o.template("line"), says: o.template("expected")}
	if s.dur == 0 {
		s.dur = 300 * time.Millisecond
	}
	if s.line != nil && !strings.Contains(s.line.Src, "{{") {
		if _, err := regexp.Compile(s.line.Src); err != nil {
			d.errorf(o.node("line"), "quiet.line %q is not a valid regular expression: %v", s.line.Src, err)
		}
	}
	return s
}

func (s *quietStep) run(r *runner) error {
	c, err := r.conn(s.conn)
	if err != nil {
		return err
	}
	var re *regexp.Regexp
	if s.line != nil {
		src, err := s.line.Render(r.env, regexp.QuoteMeta)
		if err != nil {
			return err
		}
		if re, err = regexp.Compile(src); err != nil {
			return fmt.Errorf("quiet.line %q: %w", src, err)
		}
	}
	deadline := r.until(s.dur)
	settle := settler{r: r}
	// wait is the next read's deadline: a look every lingerLook, until the
	// program settles or the time is up.
	wait := func() (time.Time, bool) {
		if settle.settled(deadline) {
			// The last look, without waiting: what the program sent
			// before it settled has arrived by now.
			deadline = time.Now()
		}
		next := time.Now().Add(lingerLook)
		if next.After(deadline) {
			return deadline, true
		}
		return next, false
	}
	for {
		until, last := wait()
		if c.udp != nil {
			for i, d := range c.datagrams {
				if re == nil || re.Match(d) {
					f := s.failure(r, c, fmt.Sprintf("another datagram, %q,", d), 0).(*Failure)
					f.Got = string(d)
					c.datagrams = append(c.datagrams[:i:i], c.datagrams[i+1:]...)
					return f
				}
			}
			if err := c.fill(until); err != nil && (last || !errors.Is(err, os.ErrDeadlineExceeded)) {
				return nil
			}
			continue
		}
		if re == nil && len(c.pending) > 0 {
			return s.failure(r, c, fmt.Sprintf("%d more byte(s)", len(c.pending)), 0)
		}
		if re != nil {
			if at, line := matchingLine(c.pending, re); at >= 0 {
				return s.failure(r, c, fmt.Sprintf("%q", line), at)
			}
		}
		err := c.fill(until)
		switch {
		case err == nil:
		case errors.Is(err, os.ErrDeadlineExceeded) && !last:
		case errors.Is(err, os.ErrDeadlineExceeded), c.ended != nil:
			return nil
		default:
			return failf("The connection failed while the grader waited: %s.", endedWords(err))
		}
	}
}

// matchingLine finds the first complete line that matches re: its offset
// and text, or -1.
func matchingLine(pending []byte, re *regexp.Regexp) (int, string) {
	pos := 0
	for {
		i := bytes.IndexByte(pending[pos:], '\n')
		if i < 0 {
			return -1, ""
		}
		line := string(bytes.TrimRight(pending[pos:pos+i], "\r"))
		if re.MatchString(line) {
			return pos, line
		}
		pos += i + 1
	}
}

func (s *quietStep) failure(r *runner, c *conn, what string, at int) error {
	want := fmt.Sprintf("nothing more for %s", s.dur)
	if s.line != nil {
		want = fmt.Sprintf("no line matching /%s/ for %s", s.line.Src, s.dur)
	}
	if s.says != nil {
		if says, err := s.says.Render(r.env, nil); err == nil {
			want = says
		}
	}
	f := failf("Your program sent %s, but the grader expected %s.", what, want)
	f.Expected, f.Got, f.GotAt = want, string(c.pending), at
	return f
}
