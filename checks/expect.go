package checks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// expectStep reads from a connection until what arrived matches, cannot
// match any more, or the wait is over. TCP carries a byte stream, not
// messages: a reply split over several reads is put back together, and in
// line mode one line is judged at a time. Besides text it judges exact
// bytes (pack, hex; the first byte that differs is named), a count of bytes
// to keep (bytes), and numbered replies such as SMTP's (code).
//
//	steps:
//	  - expect: {one_of: [you win, you lose, draw], fold_case: true, trim: " \t\r\n!.", capture: reply}
//	  - expect: {contains: ["{{ token }}"], that: 'timeNear(reply, 2)', timeout: 3s}
//	  - expect: {regex: '^PONG :?{{ token }}$', line: true, seek: true}   # any line that has arrived
//	  - expect: {pack: [{u64be: sum(nums)}]}                            # exactly these 8 bytes
//	  - expect: {bytes: 8, capture: reply}                              # any 8 bytes, kept
//	  - expect: {code: 250}                                             # a reply 250 ..., to its last line
//	  - expect: {datagrams: tokens}                                     # UDP: these datagrams, in any order
type expectStep struct {
	conn    string
	m       matcher
	seek    bool
	want    *packSpec // exact bytes (pack, or hex as one field)
	count   *Expr     // bytes: how many to take
	code    []statusSpec
	anyCode bool
	many    *Expr // datagrams: several, in any order (UDP)
	timeout time.Duration
}

var expectKeys = append([]string{"conn", "timeout", "seek", "pack", "hex", "bytes", "code", "datagrams"}, matcherKeys...)

func decodeExpect(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "expect", expectKeys, "exact")
	s := &expectStep{conn: connName(d, f), m: d.matcher(n, f, "expect")}
	if v := f["timeout"]; v != nil {
		s.timeout = d.duration(v, "expect.timeout")
	}
	s.want = d.pack(f["pack"], "expect.pack")
	if v := f["hex"]; v != nil {
		s.want = &packSpec{items: []packItem{{kind: "hex", raw: d.hexBytes(v, "expect.hex")}}}
	}
	s.count = d.expr(f["bytes"], "expect.bytes")
	if v := f["code"]; v != nil {
		s.code, s.anyCode = d.replyCodes(v)
	}
	s.seek = f["seek"] != nil && d.boolean(f["seek"], "expect.seek")
	s.many = d.expr(f["datagrams"], "expect.datagrams")
	ways := boolCount(!s.m.empty(), f["pack"] != nil, f["hex"] != nil, f["bytes"] != nil, f["code"] != nil, f["datagrams"] != nil)
	switch {
	case ways == 0:
		d.errorf(n, "expect needs one of exact, one_of, contains, regex or that (for text), pack, hex or bytes (for bytes), code (for a numbered reply) or datagrams")
	case ways > 1:
		d.errorf(n, "expect judges text (exact, one_of, contains, regex, that), bytes (pack, hex, bytes), a numbered reply (code) or datagrams: one of them")
	case s.seek && !s.m.line:
		d.errorf(f["seek"], "expect.seek looks through the lines that arrived: it needs line: true")
	}
	if (s.want != nil || s.count != nil || s.code != nil || s.anyCode) && (f["fold_case"] != nil || f["trim"] != nil || f["line"] != nil) {
		d.errorf(n, "fold_case, trim and line are for text; expect compares bytes and reply codes as they are")
	}
	return s
}

func (s *expectStep) run(r *runner) error {
	c, err := r.conn(s.conn)
	if err != nil {
		return err
	}
	wait := s.timeout
	if wait == 0 {
		wait = r.ex.Timeouts.Step
	}
	if c.udp != nil {
		return s.runDatagram(r, c, wait)
	}
	switch {
	case s.many != nil:
		return &ExerciseError{Err: fmt.Errorf("expect.datagrams is for a UDP socket, and conn %s is a TCP connection", c.name)}
	case s.want != nil || s.count != nil:
		return s.runBytes(r, c, wait)
	case s.code != nil || s.anyCode:
		return s.runCode(r, c, wait)
	case s.seek:
		return s.runSeek(r, c, wait)
	}
	j, err := s.m.prepare(r.env)
	if err != nil {
		return err
	}
	deadline := r.until(wait)
	var waitErr error
	for {
		text, n := s.take(c.pending, c.ended != nil || waitErr != nil)
		final := c.ended != nil || waitErr != nil
		if n > 0 || final {
			v, err := j.judge(text, final)
			if err != nil {
				return err
			}
			switch v {
			case matched:
				j.keep(text)
				c.consume(n)
				return nil
			case mismatch:
				return s.failure(j, text, c.ended, waitErr, wait)
			}
		}
		if waitErr = c.fill(deadline); waitErr != nil && !errors.Is(waitErr, os.ErrDeadlineExceeded) && c.ended == nil {
			return s.failure(j, text, waitErr, nil, wait)
		}
	}
}

// take returns the text to judge and how many pending bytes it spans: in
// line mode the first complete line (or what is left once the stream ended),
// otherwise everything.
func (s *expectStep) take(pending []byte, final bool) (string, int) {
	if !s.m.line {
		return string(pending), len(pending)
	}
	if i := bytes.IndexByte(pending, '\n'); i >= 0 {
		return string(bytes.TrimRight(pending[:i], "\r")), i + 1
	}
	if final {
		return string(pending), len(pending)
	}
	return "", 0
}

func (s *expectStep) failure(j *judgement, text string, ended, waitErr error, wait time.Duration) error {
	want := j.describe()
	var f *Failure
	switch {
	case text == "" && ended != nil:
		f = failf("Expected %s, but %s without sending it.", want, endedWords(ended))
	case text == "" && waitErr != nil:
		f = failf("Expected %s, but nothing arrived within %s.", want, wait)
	case ended != nil:
		f = failf("The reply does not match: expected %s; then %s.", want, endedWords(ended))
	case waitErr != nil:
		f = failf("The reply does not match: expected %s; nothing more arrived within %s.", want, wait)
	default:
		f = failf("The reply does not match: expected %s.", want)
	}
	f.Expected = want
	f.Got = text
	if text != "" {
		f.GotAt = j.offset(text)
	}
	return f
}
