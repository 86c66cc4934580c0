package checks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Line protocols (SMTP, IRC, FTP…) are read a line at a time. Two ways of
// expect are for them: seek, which finds a line among those that arrived
// and leaves the others for later (an IRC client sends NICK and USER in
// either order, and PONG whenever it likes), and code, which reads one
// numbered reply to its last line:
//
//	220-mail.example ESMTP ready      "220-" says more lines follow
//	220 mail.example ready            "220 " (or "220" alone) ends the reply
//
// CRLF and LF both end a line here; a check about line endings says so.

// runSeek judges each complete line in turn and consumes only the first
// that matches.
func (s *expectStep) runSeek(r *runner, c *conn, wait time.Duration) error {
	j, err := s.m.prepare(r.env)
	if err != nil {
		return err
	}
	deadline := r.until(wait)
	pos, seen := 0, 0 // lines before pos were judged and did not match
	for {
		final := c.ended != nil
		for pos < len(c.pending) {
			i := bytes.IndexByte(c.pending[pos:], '\n')
			end := pos + i + 1
			if i < 0 {
				if !final {
					break
				}
				end = len(c.pending)
			}
			line := string(bytes.TrimRight(bytes.TrimSuffix(c.pending[pos:end], []byte("\n")), "\r"))
			v, err := j.judge(line, true)
			if err != nil {
				return err
			}
			if v == matched {
				j.keep(line)
				c.cut(pos, end)
				return nil
			}
			pos, seen = end, seen+1
		}
		var waitErr error
		if !final {
			waitErr = c.fill(deadline)
			if waitErr == nil || (c.ended != nil && !errors.Is(waitErr, os.ErrDeadlineExceeded)) {
				continue
			}
		}
		return s.seekFailure(j, c, seen, wait)
	}
}

func (s *expectStep) seekFailure(j *judgement, c *conn, seen int, wait time.Duration) error {
	want := j.describe()
	var f *Failure
	switch {
	case seen == 0 && c.ended != nil:
		f = failf("Expected a line with %s, but %s without sending one.", want, endedWords(c.ended))
	case seen == 0:
		f = failf("Expected a line with %s, but no line arrived within %s.", want, wait)
	default:
		f = failf("Expected a line with %s, but none of the %d line(s) that arrived within %s was one.", want, seen, wait)
		if c.ended != nil {
			f.Msg = strings.TrimSuffix(f.Msg, ".") + "; then " + endedWords(c.ended) + "."
		}
	}
	f.Expected, f.Got = want, string(c.pending)
	return f
}

// replyCodes reads code: 250, code: 2xx, code: [500, 502] or code: any.
func (d *decoder) replyCodes(n *yaml.Node, what string) ([]statusSpec, bool) {
	var out []statusSpec
	for _, s := range d.strs(n, what) {
		switch {
		case s == "any":
			return nil, true
		case len(s) == 3 && strings.HasSuffix(s, "xx") && s[0] >= '1' && s[0] <= '9':
			out = append(out, statusSpec{class: int(s[0] - '0')})
		default:
			code, err := strconv.Atoi(s)
			if err != nil || code < 100 || code > 999 || len(s) != 3 {
				d.errorf(n, "%s: %q must be a reply code such as 250, a class such as 2xx, or any", what, s)
			}
			out = append(out, statusSpec{code: code})
		}
	}
	return out, false
}

// replyLine splits a line of a numbered reply: its code, and whether more
// lines of the same reply follow ("250-"). ok is false for a line that does
// not begin with three digits.
func replyLine(line string) (code int, more, ok bool) {
	if len(line) < 3 || !isDigits(line[:3]) {
		return 0, false, false
	}
	code, _ = strconv.Atoi(line[:3])
	switch {
	case len(line) == 3 || line[3] == ' ' || line[3] == '\t':
		return code, false, true
	case line[3] == '-':
		return code, true, true
	}
	return 0, false, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// runCode reads one whole numbered reply and judges its code.
func (s *expectStep) runCode(r *runner, c *conn, wait time.Duration) error {
	want, err := s.codeWords(r)
	if err != nil {
		return err
	}
	deadline := r.until(wait)
	used, last := 0, 0 // bytes of the reply so far; where its last line starts
	for {
		for {
			i := bytes.IndexByte(c.pending[used:], '\n')
			end := used + i + 1
			if i < 0 {
				if c.ended == nil || used == len(c.pending) {
					break
				}
				end = len(c.pending)
			}
			line := string(bytes.TrimRight(bytes.TrimSuffix(c.pending[used:end], []byte("\n")), "\r"))
			last, used = used, end
			code, more, ok := replyLine(line)
			switch {
			case !ok:
				return s.codeFailure(c, want, used, last, fmt.Sprintf("got %q, which does not begin with a three-digit reply code", line))
			case more:
				continue
			case !s.codeOK(code):
				return s.codeFailure(c, want, used, last, fmt.Sprintf("got %q", line))
			}
			if s.m.capture != "" {
				r.env[s.m.capture] = strings.TrimRight(string(c.pending[:used]), "\r\n")
			}
			c.consume(used)
			return nil
		}
		if c.ended != nil {
			return s.codeFailure(c, want, used, last, s.cutShort(c, used))
		}
		if err := c.fill(deadline); err != nil && c.ended == nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return s.codeFailure(c, want, used, last, s.cutShort(c, used)+" within "+wait.String())
			}
			return s.codeFailure(c, want, used, last, endedWords(err))
		}
	}
}

func (s *expectStep) cutShort(c *conn, used int) string {
	switch {
	case len(c.pending) == 0 && c.ended != nil:
		return endedWords(c.ended) + " without sending it"
	case len(c.pending) == 0:
		return "nothing arrived"
	case used == 0:
		return fmt.Sprintf("only %q arrived, with no line ending", c.pending)
	}
	return "the reply's last line (one with a space after the code) never arrived"
}

func (s *expectStep) codeOK(code int) bool {
	if s.anyCode {
		return true
	}
	for _, st := range s.code {
		if st.match(code) {
			return true
		}
	}
	return false
}

// codeWords says which reply is expected: the exercise's own words, or
// "a 250 reply".
func (s *expectStep) codeWords(r *runner) (string, error) {
	if s.m.says != nil {
		return s.m.says.Render(r.env, nil)
	}
	if s.anyCode {
		return "a complete reply (any code)", nil
	}
	words := make([]string, len(s.code))
	for i, st := range s.code {
		words[i] = st.String()
	}
	return "a " + strings.Join(words, " or ") + " reply", nil
}

func (s *expectStep) codeFailure(c *conn, want string, used, last int, what string) error {
	to := " as soon as the connection opened"
	if c.lastSent != "" {
		to = fmt.Sprintf(" to %q", c.lastSent)
	}
	f := failf("Expected %s%s, but %s.", want, to, what)
	f.Expected = want
	f.Got = string(c.pending[:max(used, min(len(c.pending), 2000))])
	if used > 0 {
		f.GotAt = last
	}
	c.consume(used)
	return f
}
