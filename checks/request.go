package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/acme-lab/grader/checks/httpwire"
	"gopkg.in/yaml.v3"
)

// requestStep sends one HTTP request and judges the response with the
// grader's own parser, which names every deviation from HTTP/1.x. By default
// each request has a connection of its own, closed (reset) afterwards; conn
// reuses a connection opened by connect, for keep-alive.
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

var requestKind = &StepKind{
	Doc: "sends an HTTP request, on a fresh connection unless conn, and judges the response with the grader's own HTTP/1.x parser",
	Value: vObject(
		Field{Name: "conn", Value: vText, Doc: "a connection opened by connect, for keep-alive", Default: "a fresh connection, reset afterwards"},
		Field{Name: "method", Value: vText, Doc: "the request method", Default: "GET"},
		Field{Name: "path", Value: vTemplate, Doc: "the request target; the grader builds the request (Host, Content-Length, Connection: close)"},
		Field{Name: "headers", Value: vMap(headerPattern, vTemplate), Doc: "header fields to send"},
		Field{Name: "body", Value: vTmpls, Doc: "the request body: one text, sent with the headers; or a list of parts, sent one by one after the headers, gap apart, to prove that a server reads exactly Content-Length bytes however they arrive"},
		Field{Name: "gap", Value: vDuration, Doc: "the longest pause before each part of a body given as a list: it ends sooner once the program has read what came and waits for more", Default: "200ms"},
		Field{Name: "raw", Value: vTemplate, Doc: "the whole request, sent as it is"},
		Field{Name: "hex", Value: vHex, Doc: "the whole request as hex digits, sent as it is"},
		Field{Name: "timeout", Value: vDuration, Doc: "how long to wait for the response", Default: "timeouts.step"},
		Field{Name: "clients", Value: vInt(1, 100), Doc: "send the request on this many connections at once", Default: "1"},
		Field{Name: "capture", Value: vName, Doc: "keep the response in this variable: status, reason, proto, headers (names in lower case), body"},
		Field{Name: "tolerate", Value: vList(vEnum(deviationKinds()...)), Doc: "deviations from HTTP/1.x that are only notices here", Default: "http.tolerate"},
		Field{Name: "expect", Value: responseSpecValue, Doc: "what the response must be"},
	).short("path").rule(ExactlyOne, "path", "raw", "hex").rule(NotTogether, "clients", "conn").rule(Requires, "gap", "body"),
	Example: `- request:
    method: PUT
    path: "/?firstname={{ urlquery(first) }}&lastname={{ urlquery(last) }}"
    expect: {status: 2xx}
- request:
    method: POST
    path: /calc
    headers: {Content-Type: application/json}
    body: '{"op": "mult", "arg1": {{ a }}, "arg2": {{ b }}}'
    expect: {status: 200, number: a * b, number_field: result}
- request: {raw: "GET /add/1 HTTP/1.1\r\n\r\n", expect: {status: 4xx}}
- request: {path: "/add/2/3", clients: 20, expect: {number: "5", within: 1s}}
- request: {method: POST, path: /form, body: ["title=wh", "atever"], gap: 200ms}`,
	decode: decodeRequest,
}

func decodeRequest(d *decoder, o *opts, ex *Exercise) Step {
	// The request is written once the program is seen listening: its
	// templates may name where ({{ address }}, as a Host header does).
	d.define("address")
	s := &requestStep{conn: o.str("conn", ""), method: o.str("method", "GET"), clients: o.integer("clients", 1), tolerate: ex.HTTP.Tolerate}
	s.path = o.template("path")
	pairs := d.pairs(o.node("headers"), "request.headers")
	for i := 0; i+1 < len(pairs); i += 2 {
		s.headers = append(s.headers, headerTemplate{pairs[i].Value, d.template(pairs[i+1], "request.headers."+pairs[i].Value)})
	}
	s.body, s.gap = d.bodyParts(o)
	s.raw = o.template("raw")
	s.rawHex = o.hex("hex")
	s.timeout = o.duration("timeout")
	s.capture = o.name("capture")
	if o.has("tolerate") {
		s.tolerate = d.kinds(o.node("tolerate"), "request.tolerate")
	}
	// The response is captured before expect judges it.
	d.define(s.capture)
	if o.has("expect") {
		s.expect = d.responseSpec(o.sub("expect", "request.expect", "expect."))
	}
	return s
}

// bodyParts reads a body: one text, or a list of parts that are sent one
// by one after the headers, gap apart (200ms unless given).
func (d *decoder) bodyParts(o *opts) ([]*Template, time.Duration) {
	parts, gap := o.templates("body"), o.duration("gap")
	n := o.node("body")
	if n == nil {
		return nil, 0
	}
	if n.Kind != yaml.SequenceNode {
		if gap != 0 {
			d.errorf(o.node("gap"), "request.gap is the pause between the parts of a body: give body as a list of parts")
		}
		return parts, 0
	}
	if len(n.Content) == 0 {
		d.errorf(n, "request.body as a list needs at least one part")
	}
	if gap == 0 {
		gap = 200 * time.Millisecond
	}
	return parts, gap
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
	conns := make([]*conn, s.clients)
	defer func() {
		for _, c := range conns {
			if c != nil {
				r.dropConn(c)
			}
		}
	}()
	for i := range conns {
		var err error
		if conns[i], err = r.openConn(fmt.Sprintf("client%d", i+1), 0); err != nil {
			return err
		}
	}
	// Rendered once the program is seen listening: it may name {{ address }}.
	req, what, err := s.bytes(r)
	if err != nil {
		return err
	}
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
