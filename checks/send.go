package checks

import (
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/acme-lab/grader/checks/result"
)

// sendStep writes bytes to a connection: text, bytes spelt in hex, or a
// binary message packed field by field. split sends it in pieces of that
// many bytes, gap apart, to prove that the program puts a message back
// together.
type sendStep struct {
	conn  string
	text  *Template
	raw   []byte
	pack  *packSpec
	eol   string
	split int
	gap   time.Duration
}

var sendKind = &StepKind{
	Doc: "writes bytes to a connection (one datagram on a UDP socket), with no line ending unless eol adds one",
	Value: vObject(
		Field{Name: "text", Value: vTemplate, Doc: "the text to send"},
		Field{Name: "hex", Value: vHex, Doc: "raw bytes to send, as hex digits (\"0d0a\")"},
		Field{Name: "pack", Value: packValue, Doc: "a binary message built field by field, such as [{u16be: len(nums)}, {u32be: nums}]"},
		Field{Name: "eol", Value: vText, Doc: "a line ending added after the text, such as \"\\n\" or \"\\r\\n\""},
		Field{Name: "split", Value: vInt(1, 1<<20), Doc: "send the message this many bytes at a time, gap apart, to prove the program puts it back together"},
		Field{Name: "gap", Value: vDuration, Doc: "the longest pause between the pieces of a split message: it ends sooner once the program has read what came and waits for more", Default: "20ms"},
		connField,
	).short("text").rule(ExactlyOne, "text", "hex", "pack").rule(Requires, "gap", "split"),
	Example: "- send: \"{{ move }}\"\n- send: {text: hello, eol: \"\\r\\n\"}\n- send: {hex: \"00ff\"}\n- send: {pack: [{u16be: 2}, {u32be: '[a, b]'}], split: 1, gap: 20ms}",
	decode:  decodeSend,
}

// defaultGap is the pause between the pieces of a split message.
const defaultGap = 20 * time.Millisecond

func decodeSend(_ *decoder, o *opts, _ *Exercise) Step {
	s := &sendStep{conn: o.str("conn", "main"), text: o.template("text"), raw: o.hex("hex"), pack: o.pack("pack"),
		eol: o.str("eol", ""), split: o.integer("split", 0), gap: o.duration("gap")}
	if s.gap == 0 {
		s.gap = defaultGap
	}
	return s
}

// message renders what the step sends.
func (s *sendStep) message(r *runner) ([]byte, error) {
	data := s.raw
	switch {
	case s.text != nil:
		text, err := s.text.Render(r.env, nil)
		if err != nil {
			return nil, err
		}
		data = []byte(text)
	case s.pack != nil:
		var err error
		if data, err = s.pack.render(r.env); err != nil {
			return nil, err
		}
	}
	return append(append([]byte(nil), data...), s.eol...), nil
}

func (s *sendStep) run(r *runner) error {
	c, err := r.conn(s.conn)
	if err != nil {
		return err
	}
	data, err := s.message(r)
	if err != nil {
		return err
	}
	pieces := [][]byte{data}
	if s.split > 0 {
		pieces = splitBytes(data, s.split)
	}
	at := 0
	for i, p := range pieces {
		if i > 0 && !c.await(s.gap) {
			return failf("The grader could not send the rest of %s, from offset %s: %s.", bytesWords(data), offsetHex(at), endedWords(c.endErr()))
		}
		if err := r.checkDeadline(); err != nil {
			return err
		}
		if err := c.send(p, r.until(0)); err != nil {
			what := bytesWords(data)
			if len(pieces) > 1 {
				what = fmt.Sprintf("the piece at offset %s of %s", offsetHex(at), what)
			}
			return failf("The grader could not send %s: %s.", what, endedWords(err))
		}
		at += len(p)
	}
	return nil
}

// bytesWords names what was sent: quoted text, or bytes in hex.
func bytesWords(b []byte) string {
	if len(b) <= 80 && utf8.Valid(b) && !slices.ContainsFunc(b, func(c byte) bool { return c < 0x20 && c != '\r' && c != '\n' && c != '\t' }) {
		return strconv.Quote(string(b))
	}
	return fmt.Sprintf("%d bytes (%s)", len(b), hexWords(b, 16))
}

// splitBytes cuts b into pieces of at most n bytes.
func splitBytes(b []byte, n int) [][]byte {
	var out [][]byte
	for len(b) > n {
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, b)
}

// sendFailure says that the grader could not send. What it sends is in
// the transcript from before it was written (conn.send); a short write is
// noted.
func (r *runner) sendFailure(conn string, data []byte, n int, err error, what string) error {
	if n < len(data) {
		r.event(result.Note, conn, fmt.Sprintf("only %d of those %d bytes were sent", n, len(data)))
	}
	return failf("The grader could not send %s: %s.", what, endedWords(err))
}

// conn returns a named connection that the check opened.
func (r *runner) conn(name string) (*conn, error) {
	c := r.conns[name]
	if c == nil {
		return nil, &ExerciseError{Err: errNoConn(name)}
	}
	return c, nil
}

// streamConn is conn for the steps that only make sense on a TCP stream
// (a UDP socket has no connection to close, nor lines to read).
func (r *runner) streamConn(name, step string) (*conn, error) {
	c, err := r.conn(name)
	if err == nil && c.udp != nil {
		return nil, &ExerciseError{Err: fmt.Errorf("%s is for a TCP connection, and %s is a UDP socket", step, name)}
	}
	return c, err
}

type errNoConn string

func (e errNoConn) Error() string {
	return "no connection named " + string(e) + " is open here: add a connect step before it"
}
