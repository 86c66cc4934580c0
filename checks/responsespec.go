package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/acme-lab/grader/checks/httpwire"
)

// responseSpec is what a request step expects of the response.
type responseSpec struct {
	status      []statusSpec
	headers     []headerExpect
	body        *matcher
	lines       *Expr
	json        *Expr
	jsonEqual   *Expr
	number      *Expr
	numberField string
	within      time.Duration
}

type headerExpect struct {
	name string
	m    matcher
}

var responseSpecValue = vObject(
	Field{Name: "status", Value: vList(vOneOf(vInt(100, 599), vText.pattern(`^([1-5]xx|any)$`, "a class such as 2xx, or any"))), Doc: "the status: a code (200), a class (2xx), a list of them, or any: any HTTP answer at all, for a probe that the server still serves"},
	Field{Name: "headers", Value: vMap(headerPattern, matcherValue), Doc: "header fields (names in any case), each a matcher; a text is exact"},
	Field{Name: "body", Value: matcherValue, Doc: "a matcher over the body; a text is exact"},
	Field{Name: "lines", Value: vExpr, Doc: "a list: the body's non-blank lines are exactly these, in any order"},
	Field{Name: "json", Value: vExpr, Doc: "the body is JSON holding at least this value (objects may have more keys)"},
	Field{Name: "json_equal", Value: vExpr, Doc: "the body is exactly this JSON value: the same keys, the same types (\"1\" is not 1)"},
	Field{Name: "number", Value: vExpr, Doc: "the body is this number: 8, 8.0 and \"8\" are equal"},
	Field{Name: "number_field", Value: vText, Doc: "with number: a JSON object's field may hold the number instead"},
	Field{Name: "within", Value: vDuration, Doc: "how soon the whole response must arrive"},
).rule(Requires, "number_field", "number")

func (d *decoder) responseSpec(o *opts) responseSpec {
	var s responseSpec
	s.status = d.statuses(o.node("status"))
	pairs := d.pairs(o.node("headers"), "expect.headers")
	for i := 0; i+1 < len(pairs); i += 2 {
		name := pairs[i].Value
		ho := d.object(pairs[i+1], "expect.headers."+name, "expect.headers."+name+".", matcherValue)
		s.headers = append(s.headers, headerExpect{name: name, m: d.matcher(ho, "header")})
	}
	if o.has("body") {
		m := d.matcher(o.sub("body", "expect.body", "expect.body."), "body")
		s.body = &m
	}
	s.lines = o.expr("lines")
	s.json = o.expr("json")
	s.jsonEqual = o.expr("json_equal")
	s.number = o.expr("number")
	s.numberField = o.str("number_field", "")
	s.within = o.duration("within")
	return s
}

// judgesContent tells whether the step expects anything of the response;
// a request with no expectations judges only that it is well-formed HTTP.
func (s *responseSpec) judgesContent() bool {
	return len(s.status) > 0 || len(s.headers) > 0 || s.body != nil || s.lines != nil || s.json != nil || s.jsonEqual != nil || s.number != nil || s.within > 0
}

// readable tells whether a client could read of resp what this step
// judges, despite its faults: the status line for a status, the whole
// header section for headers, the whole response for its body.
func (s *responseSpec) readable(resp *httpwire.Response) bool {
	switch {
	case !s.judgesContent():
		return false
	case s.body != nil || s.lines != nil || s.json != nil || s.jsonEqual != nil || s.number != nil:
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
	if s.jsonEqual != nil {
		if err := checkJSONEqual(r, s.jsonEqual, what, body); err != nil {
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
