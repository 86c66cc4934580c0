package checks

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// The body expectations of a request step beyond a matcher: lines in any
// order, a JSON subset, a number.

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

// jsonPair is what a JSON expectation compares: the value e gives, and
// the body read as JSON (a failure when it is not JSON).
func jsonPair(r *runner, e *Expr, what, body string) (want, got any, err error) {
	if want, err = e.Eval(r.env); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		f := failf("The body of the response to %s is not JSON: %v.", what, err)
		f.Got = body
		return nil, nil, f
	}
	return want, got, nil
}

func checkJSON(r *runner, e *Expr, what, body string) error {
	want, got, err := jsonPair(r, e, what, body)
	if err != nil {
		return err
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

// checkJSONEqual wants exactly the expected JSON: no key more or less, and
// each value of the same type ("1" is not 1; numbers compare by value).
func checkJSONEqual(r *runner, e *Expr, what, body string) error {
	want, got, err := jsonPair(r, e, what, body)
	if err != nil {
		return err
	}
	if diff := jsonDiff(want, got, "$"); diff != "" {
		f := failf("The JSON in the response to %s is not the one expected: %s.", what, diff)
		f.Expected, f.Got = jsonText(want), body
		return f
	}
	return nil
}

// jsonDiff says where got first departs from want, in words, or "".
func jsonDiff(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s is %s, but an object was expected", path, jsonWords(got))
		}
		for _, k := range sortedKeys(w) {
			if _, ok := g[k]; !ok {
				return fmt.Sprintf("it lacks the key %q (%s.%s)", k, path, k)
			}
			if d := jsonDiff(w[k], g[k], path+"."+k); d != "" {
				return d
			}
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				return fmt.Sprintf("it has the key %q (%s.%s), which should not be there", k, path, k)
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s is %s, but a list of %d was expected", path, jsonWords(got), len(w))
		}
		for i := range w {
			if d := jsonDiff(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case string:
		if g, ok := got.(string); ok && g == w {
			return ""
		}
	case nil, bool:
		if got == want {
			return ""
		}
	default:
		a, _ := toNumber(want)
		if b, ok := got.(float64); ok && sameNumber(a, b) {
			return ""
		}
	}
	return fmt.Sprintf("%s is %s, but %s was expected", path, jsonWords(got), jsonWords(want))
}

// jsonWords names a JSON value with its type: the string "1", the number 1.
func jsonWords(v any) string {
	switch v.(type) {
	case string:
		return "the string " + jsonText(v)
	case float64, int, int64:
		return "the number " + jsonText(v)
	case bool:
		return jsonText(v)
	case nil:
		return "null"
	case []any:
		return "the list " + jsonText(v)
	}
	return "the object " + jsonText(v)
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func jsonText(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "a&b", not "a\u0026b": messages are read, not embedded
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
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
