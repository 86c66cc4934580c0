package checks

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/result"
)

// sendStep writes bytes to a connection.
//
//	steps:
//	  - send: "{{ move }}"                 # text, no line ending added
//	  - send: {text: "hello", eol: "\r\n"}  # with a line ending
//	  - send: {hex: "00ff"}                # raw bytes
type sendStep struct {
	conn string
	text *Template
	raw  []byte
	eol  string
}

func decodeSend(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.opts(n, "send", []string{"text", "hex", "eol", "conn"}, "text")
	s := &sendStep{conn: connName(d, f)}
	switch {
	case f["text"] != nil && f["hex"] != nil:
		d.errorf(n, "send takes text or hex, not both")
	case f["text"] != nil:
		s.text = d.template(f["text"], "send.text")
	case f["hex"] != nil:
		raw, err := hex.DecodeString(strings.ReplaceAll(d.str(f["hex"], "send.hex"), " ", ""))
		if err != nil {
			d.errorf(f["hex"], "send.hex must be pairs of hex digits such as \"0d0a\": %v", err)
		}
		s.raw = raw
	default:
		d.errorf(n, "send needs text or hex")
	}
	if v := f["eol"]; v != nil {
		s.eol = d.str(v, "send.eol")
	}
	return s
}

func connName(d *decoder, f map[string]*yaml.Node) string {
	if v := f["conn"]; v != nil {
		return d.str(v, "conn")
	}
	return "main"
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
	r.event(result.Send, c.name, string(data))
	n, err := c.tcp.Write(data)
	if err != nil {
		return r.sendFailure(c.name, data, n, err, fmt.Sprintf("%q", data))
	}
	_ = c.tcp.SetWriteDeadline(time.Time{})
	return nil
}

// sendFailure says that the grader could not send. What it sends is put in
// the transcript before it is written, so that what the program did in
// answer (a traceback, at once) is listed after it; a short write is noted.
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

type errNoConn string

func (e errNoConn) Error() string {
	return "no connection named " + string(e) + " is open here: add a connect step before it"
}
