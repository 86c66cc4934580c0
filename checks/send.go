package checks

import (
	"time"

	"github.com/acme-lab/grader/checks/result"
)

// sendStep writes bytes to a connection.
type sendStep struct {
	conn string
	text *Template
	raw  []byte
	eol  string
}

var sendKind = &StepKind{
	Doc: "writes bytes to a connection, with no line ending unless eol adds one",
	Value: vObject(
		Field{Name: "text", Value: vTemplate, Doc: "the text to send"},
		Field{Name: "hex", Value: vHex, Doc: "raw bytes to send, as hex digits (\"0d0a\")"},
		Field{Name: "eol", Value: vText, Doc: "a line ending added after the text, such as \"\\n\" or \"\\r\\n\""},
		connField,
	).short("text").rule(ExactlyOne, "text", "hex"),
	Example: "- send: \"{{ move }}\"\n- send: {text: hello, eol: \"\\r\\n\"}\n- send: {hex: \"00ff\"}",
	decode:  decodeSend,
}

func decodeSend(_ *decoder, o *opts, _ *Exercise) Step {
	return &sendStep{conn: o.str("conn", "main"), text: o.template("text"), raw: o.hex("hex"), eol: o.str("eol", "")}
}

func (s *sendStep) run(r *runner) error {
	c, err := r.conn(s.conn)
	if err != nil {
		return err
	}
	data := s.raw
	if s.text != nil {
		text, err := s.text.Render(r.env, nil)
		if err != nil {
			return err
		}
		data = []byte(text)
	}
	data = append(data, s.eol...)
	_ = c.tcp.SetWriteDeadline(r.until(0))
	n, err := c.tcp.Write(data)
	r.event(result.Send, c.name, string(data[:n]))
	if err != nil {
		return failf("The grader could not send %q: %s.", data, endedWords(err))
	}
	_ = c.tcp.SetWriteDeadline(time.Time{})
	return nil
}

// conn returns a named connection that the check opened.
func (r *runner) conn(name string) (*conn, error) {
	c := r.conns[name]
	if c == nil {
		return nil, &ExerciseError{Err: errNoConn(name)}
	}
	return c, nil
}

type errNoConn string

func (e errNoConn) Error() string {
	return "no connection named " + string(e) + " is open here: add a connect step before it"
}
