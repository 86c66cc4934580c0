package checks

import (
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// sendStep writes bytes to a connection: text, bytes spelt in hex, or a
// binary message packed field by field. split sends it in pieces of that
// many bytes, gap apart (20ms unless given), to prove that the program puts
// a message back together.
//
//	steps:
//	  - send: "{{ move }}"                 # text, no line ending added
//	  - send: {text: "hello", eol: "\r\n"}  # with a line ending
//	  - send: {hex: "00ff"}                # raw bytes
//	  - send: {pack: [{u16be: len(nums)}, {u32be: nums}], split: 1, gap: 20ms}
type sendStep struct {
	conn  string
	text  *Template
	raw   []byte
	pack  *packSpec
	eol   string
	split int
	gap   time.Duration
}

// defaultGap is the pause between the pieces of a split message.
const defaultGap = 20 * time.Millisecond

func decodeSend(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "send", []string{"text", "hex", "pack", "eol", "conn", "split", "gap"}, "text")
	s := &sendStep{conn: connName(d, f), gap: defaultGap}
	switch boolCount(f["text"] != nil, f["hex"] != nil, f["pack"] != nil) {
	case 0:
		d.errorf(n, "send needs text, hex or pack")
	case 1:
	default:
		d.errorf(n, "send takes one of text, hex and pack")
	}
	s.text = d.template(f["text"], "send.text")
	if v := f["hex"]; v != nil {
		s.raw = d.hexBytes(v, "send.hex")
	}
	s.pack = d.pack(f["pack"], "send.pack")
	if v := f["eol"]; v != nil {
		s.eol = d.str(v, "send.eol")
	}
	if v := f["split"]; v != nil {
		s.split = d.integer(v, "send.split", 1, 1<<20)
	}
	if v := f["gap"]; v != nil {
		s.gap = d.duration(v, "send.gap")
		if f["split"] == nil {
			d.errorf(v, "send.gap is the pause between pieces: it needs split, the size of a piece")
		}
	}
	return s
}

func connName(d *decoder, f map[string]*yaml.Node) string {
	if v := f["conn"]; v != nil {
		return d.str(v, "conn")
	}
	return "main"
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
