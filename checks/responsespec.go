package checks

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/httpwire"
)

// responseSpec is what a request step expects of the response.
//
//	expect:
//	  status: 200                 # or 2xx, or a list: [200, 404], or any (an HTTP answer)
//	  headers: {Content-Type: {contains: [json]}}   # names in any case
//	  body: {contains: [Grace]}   # a matcher over the body (a string: exact)
//	  lines: '["Babbage, Charles", "Boole, George"]'  # the body's lines, in any order
//	  json: '{"result": 8}'       # the body is JSON holding at least this
//	  number: a + b               # the body is this number (8 == 8.0 == "8")
//	  number_field: result        # …or a JSON object with the number under this key
//	  within: 1s                  # the whole response arrived this soon
type responseSpec struct {
	status      []statusSpec
	headers     []headerExpect
	body        *matcher
	lines       *Expr
	json        *Expr
	number      *Expr
	numberField string
	within      time.Duration
}

type headerExpect struct {
	name string
	m    matcher
}

func (d *decoder) responseSpec(n *yaml.Node) responseSpec {
	f := d.fields(n, "request.expect", []string{"status", "headers", "body", "lines", "json", "number", "number_field", "within"})
	var s responseSpec
	s.status = d.statuses(f["status"])
	pairs := d.pairs(f["headers"], "expect.headers")
	for i := 0; i+1 < len(pairs); i += 2 {
		hf := d.opts(pairs[i+1], "expect.headers."+pairs[i].Value, matcherKeys, "exact")
		s.headers = append(s.headers, headerExpect{name: pairs[i].Value, m: d.matcher(pairs[i+1], hf, "expect.headers."+pairs[i].Value)})
	}
	if v := f["body"]; v != nil {
		bf := d.opts(v, "expect.body", matcherKeys, "exact")
		m := d.matcher(v, bf, "expect.body")
		s.body = &m
	}
	s.lines = d.expr(f["lines"], "expect.lines")
	s.json = d.expr(f["json"], "expect.json")
	s.number = d.expr(f["number"], "expect.number")
	if v := f["number_field"]; v != nil {
		s.numberField = d.str(v, "expect.number_field")
	}
	if v := f["within"]; v != nil {
		s.within = d.duration(v, "expect.within")
	}
	return s
}

// judgesContent tells whether the step expects anything of the response;
// a request with no expectations judges only that it is well-formed HTTP.
func (s *responseSpec) judgesContent() bool {
	return len(s.status) > 0 || len(s.headers) > 0 || s.body != nil || s.lines != nil || s.json != nil || s.number != nil || s.within > 0
}

// readable tells whether a client could read of resp what this step
// judges, despite its faults: the status line for a status, the whole
// header section for headers, the whole response for its body.
func (s *responseSpec) readable(resp *httpwire.Response) bool {
	switch {
	case !s.judgesContent():
		return false
	case s.body != nil || s.lines != nil || s.json != nil || s.number != nil:
		return resp.Complete
	case len(s.headers) > 0:
		return !resp.Has(httpwire.NoBlankLine)
	}
	return true
}

func (s *responseSpec) check(r *runner, what string, ex *exchange) error {
	resp := ex.resp
	if s.within > 0 && ex.took > s.within {
		return failf("The response to %s took %s; it should come within %s.", what, ex.took.Round(time.Millisecond), s.within)
	}
	if len(s.status) > 0 && !s.statusOK(resp.Status) {
		f := failf("%s was answered with status %d %s, but %s was expected.", what, resp.Status, resp.Reason, s.statusWords())
		f.Got = string(ex.raw[:min(len(ex.raw), resp.HeaderEnd)])
		return f
	}
	for _, h := range s.headers {
		v, ok := resp.Get(h.name)
		if !ok {
			return failf("The response to %s has no %s header.", what, h.name)
		}
		if err := judgeWhole(r, &h.m, v, "header"); err != nil {
			return addContext(err, fmt.Sprintf("The %s header of the response to %s does not match", h.name, what))
		}
	}
	body := string(resp.Body)
	if s.body != nil {
		if err := judgeWhole(r, s.body, body, "body"); err != nil {
			return addContext(err, fmt.Sprintf("The body of the response to %s does not match", what))
		}
	}
	if s.lines != nil {
		if err := checkLines(r, s.lines, what, body); err != nil {
			return err
		}
	}
	if s.json != nil {
		if err := checkJSON(r, s.json, what, body); err != nil {
			return err
		}
	}
	if s.number != nil {
		return checkNumber(r, s.number, s.numberField, what, body)
	}
	return nil
}

func (s *responseSpec) statusOK(code int) bool {
	for _, st := range s.status {
		if st.match(code) {
			return true
		}
	}
	return false
}

func (s *responseSpec) statusWords() string {
	words := make([]string, len(s.status))
	for i, st := range s.status {
		words[i] = st.String()
	}
	return strings.Join(words, " or ")
}

// judgeWhole applies a matcher to a complete text.
func judgeWhole(r *runner, m *matcher, text, subject string) error {
	j, err := m.prepare(r.env)
	if err != nil {
		return err
	}
	j.subject = subject
	v, err := j.judge(text, true)
	if err != nil || v == matched {
		if err == nil {
			j.keep(text)
		}
		return err
	}
	f := failf("expected %s", j.describe())
	f.Expected, f.Got, f.GotAt = j.describe(), text, j.offset(text)
	return f
}

func addContext(err error, context string) error {
	if f, ok := err.(*Failure); ok {
		f.Msg = context + ": " + f.Msg + "."
		return f
	}
	return err
}
