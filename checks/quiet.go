package checks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// quietStep expects the program to send nothing more for a while: a reply
// must be exactly so many bytes, a client must wait for the server's word,
// a datagram must come back once.
// With line, only lines matching that regular expression count; other
// bytes are kept for the next expect. A connection that ends meanwhile
// sent nothing more, so it passes.
//
//	steps:
//	  - quiet: {for: 400ms}
//	  - quiet: {for: 1s, line: '(?i)^JOIN\b', expected: "no JOIN before the welcome (001)"}
type quietStep struct {
	conn string
	dur  time.Duration
	line *Template
	says *Template
}

func decodeQuiet(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "quiet", []string{"conn", "for", "line", "expected"}, "for")
	s := &quietStep{conn: connName(d, f), dur: 300 * time.Millisecond}
	if v := f["for"]; v != nil {
		s.dur = d.duration(v, "quiet.for")
	}
	s.line = d.template(f["line"], "quiet.line")
	if s.line != nil && !strings.Contains(s.line.Src, "{{") {
		if _, err := regexp.Compile(s.line.Src); err != nil {
			d.errorf(f["line"], "quiet.line %q is not a valid regular expression: %v", s.line.Src, err)
		}
	}
	s.says = d.template(f["expected"], "quiet.expected")
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
	for {
		if c.udp != nil {
			for i, d := range c.datagrams {
				if re == nil || re.Match(d) {
					f := s.failure(r, c, fmt.Sprintf("another datagram, %q,", d), 0).(*Failure)
					f.Got = string(d)
					c.datagrams = append(c.datagrams[:i:i], c.datagrams[i+1:]...)
					return f
				}
			}
			if err := c.fill(deadline); err != nil {
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
		err := c.fill(deadline)
		switch {
		case err == nil:
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
