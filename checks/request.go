package checks

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/httpwire"
)

// requestStep sends one HTTP request and judges the response with the
// grader's own parser, which names every deviation from HTTP/1.x. By default
// each request has a connection of its own, closed (reset) afterwards; conn
// reuses a connection opened by connect, for keep-alive.
//
//	steps:
//	  - request:
//	      method: PUT
//	      path: "/?firstname={{ urlquery(first) }}&lastname={{ urlquery(last) }}"
//	      expect: {status: 2xx}
//	  - request:
//	      method: POST
//	      path: /calc
//	      headers: {Content-Type: application/json}
//	      body: '{"op": "mult", "arg1": {{ a }}, "arg2": {{ b }}}'
//	      expect: {status: 200, number: a * b, number_field: result}
//	  - request: {raw: "GET /add/1 HTTP/1.1\r\n\r\n", expect: {status: 4xx}}
//	  - request: {path: "/add/2/3", clients: 20, expect: {number: "5", within: 1s}}
//	  - request: {method: POST, path: /form, body: ["title=wh", "atever"], gap: 200ms}  # headers, then each part
type requestStep struct {
	conn     string
	method   string
	path     *Template
	headers  []headerTemplate
	body     []*Template // one part, sent with the headers; or parts sent after them, gap apart
	gap      time.Duration
	raw      *Template
	rawHex   []byte
	timeout  time.Duration
	clients  int
	capture  string
	tolerate []httpwire.Kind
	expect   responseSpec
}

type headerTemplate struct {
	name  string
	value *Template
}

var requestKeys = []string{"conn", "method", "path", "headers", "body", "gap", "raw", "hex", "timeout", "clients", "capture", "tolerate", "expect"}

func decodeRequest(d *decoder, n *yaml.Node, ex *Exercise) Step {
	f := d.opts(n, "request", requestKeys, "path")
	s := &requestStep{method: "GET", clients: 1, tolerate: ex.HTTP.Tolerate}
	if v := f["conn"]; v != nil {
		s.conn = d.str(v, "request.conn")
	}
	if v := f["method"]; v != nil {
		s.method = d.str(v, "request.method")
	}
	s.path = d.template(f["path"], "request.path")
	pairs := d.pairs(f["headers"], "request.headers")
	for i := 0; i+1 < len(pairs); i += 2 {
		s.headers = append(s.headers, headerTemplate{pairs[i].Value, d.template(pairs[i+1], "request.headers."+pairs[i].Value)})
	}
	s.body, s.gap = d.bodyParts(f["body"], f["gap"])
	s.raw = d.template(f["raw"], "request.raw")
	if v := f["hex"]; v != nil {
		raw, err := hex.DecodeString(strings.ReplaceAll(d.str(v, "request.hex"), " ", ""))
		if err != nil {
			d.errorf(v, "request.hex must be pairs of hex digits such as \"0d0a\": %v", err)
		}
		s.rawHex = raw
	}
	built := f["path"] != nil
	if k := boolCount(built, f["raw"] != nil, f["hex"] != nil); k != 1 {
		d.errorf(n, "request needs exactly one of path (a request the grader builds), raw or hex (bytes sent as they are)")
	}
	if v := f["timeout"]; v != nil {
		s.timeout = d.duration(v, "request.timeout")
	}
	if v := f["clients"]; v != nil {
		s.clients = d.integer(v, "request.clients", 1, 100)
		if s.conn != "" {
			d.errorf(v, "request.clients opens connections of its own; it cannot be used with conn")
		}
	}
	if v := f["capture"]; v != nil {
		s.capture = d.str(v, "request.capture")
	}
	if v := f["tolerate"]; v != nil {
		s.tolerate = d.kinds(v, "request.tolerate")
	}
	if v := f["expect"]; v != nil {
		s.expect = d.responseSpec(v)
	}
	return s
}

func boolCount(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// bodyParts reads a body: one text, or a list of parts that are sent one
// by one after the headers, gap apart (200ms unless given), to prove that
// a server reads exactly Content-Length bytes, however they arrive.
func (d *decoder) bodyParts(n, gap *yaml.Node) ([]*Template, time.Duration) {
	if n == nil {
		if gap != nil {
			d.errorf(gap, "request.gap is the pause between the parts of a body: give body as a list of parts")
		}
		return nil, 0
	}
	if n.Kind != yaml.SequenceNode {
		if gap != nil {
			d.errorf(gap, "request.gap is the pause between the parts of a body: give body as a list of parts")
		}
		return []*Template{d.template(n, "request.body")}, 0
	}
	var parts []*Template
	for _, p := range n.Content {
		parts = append(parts, d.template(p, "request.body part"))
	}
	if len(parts) == 0 {
		d.errorf(n, "request.body as a list needs at least one part")
	}
	wait := 200 * time.Millisecond
	if gap != nil {
		wait = d.duration(gap, "request.gap")
	}
	return parts, wait
}

// bytes renders the request as it goes on the wire, in the pieces it is
// written in: one, unless the body comes in parts.
func (s *requestStep) bytes(r *runner) ([][]byte, string, error) {
	if s.rawHex != nil {
		return [][]byte{s.rawHex}, fmt.Sprintf("%d raw bytes", len(s.rawHex)), nil
	}
	if s.raw != nil {
		raw, err := s.raw.Render(r.env, nil)
		return [][]byte{[]byte(raw)}, firstRequestLine(raw), err
	}
	path, err := s.path.Render(r.env, nil)
	if err != nil {
		return nil, "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", s.method, path)
	have := map[string]bool{}
	for _, h := range s.headers {
		v, err := h.value.Render(r.env, nil)
		if err != nil {
			return nil, "", err
		}
		have[strings.ToLower(h.name)] = true
		fmt.Fprintf(&b, "%s: %s\r\n", h.name, v)
	}
	if !have["host"] {
		fmt.Fprintf(&b, "Host: %s\r\n", r.hostHeader())
	}
	if !have["connection"] && s.conn == "" {
		b.WriteString("Connection: close\r\n")
	}
	var parts []string
	body := ""
	for _, t := range s.body {
		part, err := t.Render(r.env, nil)
		if err != nil {
			return nil, "", err
		}
		parts, body = append(parts, part), body+part
	}
	if !have["content-length"] && (body != "" || s.method == "POST" || s.method == "PUT") {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	what := s.method + " " + path
	if s.gap == 0 {
		return [][]byte{[]byte(b.String() + body)}, what, nil
	}
	pieces := [][]byte{[]byte(b.String())}
	for _, p := range parts {
		pieces = append(pieces, []byte(p))
	}
	return pieces, what, nil
}

func firstRequestLine(raw string) string {
	line, _, _ := strings.Cut(raw, "\n")
	return strings.TrimRight(line, "\r")
}

func (r *runner) hostHeader() string {
	if r.target != nil {
		return r.target.DialAddr().String()
	}
	return "localhost"
}

func (s *requestStep) run(r *runner) error {
	if s.clients > 1 {
		return s.runParallel(r)
	}
	c, fresh, err := s.connection(r, "http")
	if err != nil {
		return err
	}
	if fresh {
		defer r.dropConn(c)
	}
	req, what, err := s.bytes(r)
	if err != nil {
		return err
	}
	ex, err := r.exchange(c, req, s.gap, s.method, s.wait(r), fresh)
	if err != nil {
		return err
	}
	return s.judge(r, what, ex)
}

func (s *requestStep) wait(r *runner) time.Duration {
	if s.timeout > 0 {
		return s.timeout
	}
	return r.ex.Timeouts.Step
}

// connection returns the named connection, or opens a fresh one.
func (s *requestStep) connection(r *runner, name string) (*conn, bool, error) {
	if s.conn != "" {
		c, err := r.streamConn(s.conn, "request")
		return c, false, err
	}
	c, err := r.openConn(name, 0)
	return c, true, err
}

func (r *runner) dropConn(c *conn) {
	c.abort()
	if r.conns[c.name] == c {
		delete(r.conns, c.name)
	}
}

// runParallel opens every connection first, then sends every request, then
// reads every response concurrently: a server that serves one client at a
// time cannot answer them all in time.
func (s *requestStep) runParallel(r *runner) error {
	req, what, err := s.bytes(r)
	if err != nil {
		return err
	}
	conns := make([]*conn, s.clients)
	for i := range conns {
		if conns[i], err = r.openConn(fmt.Sprintf("client%d", i+1), 0); err != nil {
			return err
		}
	}
	defer func() {
		for _, c := range conns {
			r.dropConn(c)
		}
	}()
	exs := make([]*exchange, len(conns))
	errs := make([]error, len(conns))
	done := make(chan int)
	for i, c := range conns {
		go func() {
			exs[i], errs[i] = r.exchange(c, req, s.gap, s.method, s.wait(r), false)
			done <- i
		}()
	}
	for range conns {
		<-done
	}
	for i := range conns {
		if errs[i] != nil {
			return errs[i]
		}
		if err := s.judge(r, fmt.Sprintf("%s (client %d of %d)", what, i+1, s.clients), exs[i]); err != nil {
			return err
		}
	}
	return nil
}
