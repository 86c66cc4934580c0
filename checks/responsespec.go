package checks

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// responseSpec is what a request step expects of the response.
//
//	expect:
//	  status: 200                 # or 2xx, or a list: [200, 404]
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

// bodyLines are the body's non-blank lines, trailing white space dropped.
func bodyLines(body string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if l = strings.TrimRight(l, " \t\r"); strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func checkLines(r *runner, e *Expr, what, body string) error {
	v, err := e.Eval(r.env)
	if err != nil {
		return err
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("expect.lines %q gave %T, not a list", e.Src, v)
	}
	want := map[string]int{}
	for _, x := range list {
		want[fmt.Sprint(x)]++
	}
	got := map[string]int{}
	for _, l := range bodyLines(body) {
		got[l]++
	}
	var missing, extra []string
	for l, n := range want {
		if got[l] < n {
			missing = append(missing, fmt.Sprintf("%q", l))
		}
	}
	for l, n := range got {
		if want[l] < n {
			extra = append(extra, fmt.Sprintf("%q", l))
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return nil
	}
	sort.Strings(missing)
	sort.Strings(extra)
	missing, extra = atMost(missing, 4), atMost(extra, 4)
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "it lacks "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		parts = append(parts, "it has lines that should not be there: "+strings.Join(extra, ", "))
	}
	f := failf("The body of the response to %s should list exactly %d line(s), in any order, but %s.", what, len(list), strings.Join(parts, "; "))
	f.Got = body
	return f
}

// atMost keeps n items of a list for a message, and says how many more.
func atMost(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(items[:n:n], fmt.Sprintf("and %d more", len(items)-n))
}

func checkJSON(r *runner, e *Expr, what, body string) error {
	want, err := e.Eval(r.env)
	if err != nil {
		return err
	}
	var got any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		f := failf("The body of the response to %s is not JSON: %v.", what, err)
		f.Got = body
		return f
	}
	if path, ok := jsonSubset(want, got, "$"); !ok {
		f := failf("The JSON in the response to %s differs at %s: expected %s.", what, path, jsonText(want))
		f.Got = body
		return f
	}
	return nil
}

// jsonSubset tells whether got holds everything in want (objects may have
// more keys; numbers compare by value).
func jsonSubset(want, got any, path string) (string, bool) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return path, false
		}
		for k, wv := range w {
			if p, ok := jsonSubset(wv, g[k], path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return path, false
		}
		for i := range w {
			if p, ok := jsonSubset(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return "", true
	}
	if a, ok := toNumber(want); ok {
		b, ok := toNumber(got)
		return path, ok && sameNumber(a, b)
	}
	return path, fmt.Sprint(want) == fmt.Sprint(got)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func checkNumber(r *runner, e *Expr, field, what, body string) error {
	v, err := e.Eval(r.env)
	if err != nil {
		return err
	}
	want, ok := toNumber(v)
	if !ok {
		return fmt.Errorf("expect.number %q gave %v, not a number", e.Src, v)
	}
	got, ok := toNumber(strings.TrimSpace(body))
	if !ok && field != "" {
		var obj map[string]any
		if json.Unmarshal([]byte(body), &obj) == nil {
			got, ok = toNumber(obj[field])
		}
	}
	if ok && sameNumber(want, got) {
		return nil
	}
	also := ""
	if field != "" {
		also = fmt.Sprintf(` (or a JSON object with it under %q)`, field)
	}
	f := failf("The body of the response to %s should be the number %s%s.", what, strconv.FormatFloat(want, 'f', -1, 64), also)
	f.Expected, f.Got = strconv.FormatFloat(want, 'f', -1, 64), body
	return f
}

// toNumber reads ints, floats and numeric strings alike: 8, 8.0 and "8".
func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

func sameNumber(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}
