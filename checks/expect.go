package checks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"
)

// expectStep reads from a connection until what arrived matches, cannot
// match any more, or the wait is over. TCP carries a byte stream, not
// messages: a reply split over several reads is put back together, and in
// line mode one line is judged at a time. Besides text it judges exact
// bytes (pack, hex; the first byte that differs is named), a count of bytes
// to keep (bytes), numbered replies such as SMTP's (code), and on a UDP
// socket datagrams in any order (datagrams).
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

// expectWays are the groups of keys of an expect: text, or one of the
// ways to judge bytes, a numbered reply or datagrams, never two.
var expectWays = [][]string{
	append(append([]string{}, matcherTests...), "fold_case", "trim", "line", "seek"),
	{"pack"}, {"hex"}, {"bytes"}, {"code"}, {"datagrams"},
}

var expectKind = &StepKind{
	Doc: "reads from a connection until the reply matches, cannot match any more, or the wait is over; a reply split over several reads is put back together; on a UDP socket it judges one whole datagram",
	Value: vObject(append(append([]Field{
		connField,
		{Name: "timeout", Value: vDuration, Doc: "how long to wait for a matching reply", Default: "timeouts.step"},
	}, matcherFields...),
		Field{Name: "seek", Value: vBool, Doc: "with line: the first line that matches among those that arrived, however many came before it; the others stay for later steps"},
		Field{Name: "pack", Value: packValue, Doc: "exactly these bytes, built as send's pack is; the first byte that differs is named by its offset"},
		Field{Name: "hex", Value: vHex, Doc: "exactly these bytes, as hex digits"},
		Field{Name: "bytes", Value: vExpr, Doc: "take this many bytes, whatever they are (keep them with capture)"},
		Field{Name: "code", Value: codeValue, Doc: "a numbered reply such as SMTP's (250, a class such as 2xx, a list, or any), read to its last line: 250-… lines continue it"},
		Field{Name: "datagrams", Value: vExpr, Doc: "on a UDP socket: a list of datagrams (texts or bytes) that must all come back, in any order"},
	)...).short("exact").
		rule(AtLeastOne, append(append([]string{}, matcherTests...), "pack", "hex", "bytes", "code", "datagrams")...).
		rule(NotTogether, "exact", "one_of").rule(Requires, "seek", "line").apart(expectWays...),
	Example: `- expect: {one_of: [you win, you lose, draw], fold_case: true, trim: " \t\r\n!.", capture: reply}
- expect: {contains: ["{{ token }}"], that: 'timeNear(reply, 2)', timeout: 3s}
- expect: {regex: '^PONG :?{{ token }}$', line: true, seek: true}
- expect: {pack: [{u64be: a + b}]}
- expect: {bytes: 8, capture: reply}
- expect: {code: 250}
- expect: {code: [500, 502]}`,
	decode: decodeExpect,
}

// codeValue is a reply code, a class of them, a list, or any.
var codeValue = vList(vOneOf(vInt(100, 999), vText.pattern(`^([1-9][0-9][0-9]|[1-9]xx|any)$`, "a reply code such as 250, a class such as 2xx, or any")))

func decodeExpect(d *decoder, o *opts, _ *Exercise) Step {
	s := &expectStep{conn: o.str("conn", "main"), timeout: o.duration("timeout"), m: d.matcher(o, "reply")}
	s.want = o.pack("pack")
	if o.has("hex") {
		s.want = &packSpec{items: []packItem{{kind: "hex", raw: o.hex("hex")}}}
	}
	s.count = o.expr("bytes")
	if o.has("code") {
		s.code, s.anyCode = d.replyCodes(o.node("code"), o.key("code"))
	}
	s.seek = o.boolean("seek")
	if s.seek && o.has("line") && !s.m.line {
		d.errorf(o.node("seek"), "expect.seek looks through the lines that arrived: it needs line: true")
	}
	s.many = o.expr("datagrams")
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
				return s.failure(j, c, text, c.ended, waitErr, wait)
			}
		}
		if waitErr = c.fill(deadline); waitErr != nil && !errors.Is(waitErr, os.ErrDeadlineExceeded) && c.ended == nil {
			return s.failure(j, c, text, waitErr, nil, wait)
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

func (s *expectStep) failure(j *judgement, c *conn, text string, ended, waitErr error, wait time.Duration) error {
	want := j.describe()
	// A client's bytes are what it sent; a server's, its reply.
	what := "The reply"
	if c.accepted {
		what = "What your program sent"
	}
	var f *Failure
	switch {
	case text == "" && ended != nil:
		f = failf("Expected %s, but %s without sending it.", want, endedWords(ended))
	case text == "" && waitErr != nil:
		f = failf("Expected %s, but nothing arrived within %s.", want, wait)
	case ended != nil:
		f = failf("%s does not match: expected %s; then %s.", what, want, endedWords(ended))
	case waitErr != nil:
		f = failf("%s does not match: expected %s; nothing more arrived within %s.", what, want, wait)
	default:
		f = failf("%s does not match: expected %s.", what, want)
	}
	f.Expected = want
	f.Got = text
	if text != "" {
		f.GotAt = j.offset(text)
	}
	return f
}
