package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// matcher is what expect and output share: what text must look like, and
// how forgiving to be about case and the characters around it.
//
//	one_of: [you win, you lose, draw]   # the whole reply is one of these
//	exact: "{{ token }}"                # the whole reply is this
//	contains: ["{{ token }}"]           # every one of these appears in it
//	regex: '(?P<smove>rock|paper)'      # named groups become variables
//	that: 'timeNear(reply, 2)'          # a condition over reply and variables
//	fold_case: true                     # compare in lower case
//	trim: " \t\r\n!."                   # ignore these characters at either end (default: white space)
//	line: true                          # judge one line at a time
//	capture: reply                      # keep the (trimmed) text in a variable
//	expected: "a line with the time"    # say what was expected, in words
type matcher struct {
	exact    []*Template // one_of, or exact as a list of one
	contains []*Template
	regex    *Template
	that     *Expr
	foldCase bool
	trim     string
	line     bool
	capture  string
	says     *Template
}

var matcherKeys = []string{"exact", "one_of", "contains", "regex", "that", "fold_case", "trim", "line", "capture", "expected"}

func (d *decoder) matcher(n *yaml.Node, f map[string]*yaml.Node, what string) matcher {
	m := matcher{trim: " \t\r\n"}
	if v := f["exact"]; v != nil {
		m.exact = append(m.exact, d.template(v, what+".exact"))
	}
	if v := f["one_of"]; v != nil {
		if f["exact"] != nil {
			d.errorf(v, "%s takes exact or one_of, not both", what)
		}
		for _, s := range d.strs(v, what+".one_of") {
			m.exact = append(m.exact, d.templateOf(v, s, what+".one_of"))
		}
	}
	for _, s := range d.strs(f["contains"], what+".contains") {
		m.contains = append(m.contains, d.templateOf(f["contains"], s, what+".contains"))
	}
	if v := f["regex"]; v != nil {
		m.regex = d.template(v, what+".regex")
		if m.regex != nil && !strings.Contains(m.regex.Src, "{{") {
			if _, err := regexp.Compile(m.regex.Src); err != nil {
				d.errorf(v, "%s.regex %q is not a valid regular expression: %v", what, m.regex.Src, err)
			}
		}
	}
	m.that = d.expr(f["that"], what+".that")
	m.foldCase = f["fold_case"] != nil && d.boolean(f["fold_case"], what+".fold_case")
	if v := f["trim"]; v != nil {
		m.trim = d.str(v, what+".trim")
	}
	m.line = f["line"] != nil && d.boolean(f["line"], what+".line")
	if v := f["capture"]; v != nil {
		m.capture = d.str(v, what+".capture")
	}
	m.says = d.template(f["expected"], what+".expected")
	return m
}

func (m *matcher) empty() bool {
	return len(m.exact) == 0 && len(m.contains) == 0 && m.regex == nil && m.that == nil
}

// judgement is a matcher with its templates filled for one use.
type judgement struct {
	m        *matcher
	exact    []string
	contains []string
	re       *regexp.Regexp
	says     string
	env      map[string]any
	subject  string // the variable that holds the text in `that`: reply or output
}

func (m *matcher) prepare(env map[string]any) (*judgement, error) {
	j := &judgement{m: m, env: env, subject: "reply"}
	for _, t := range m.exact {
		s, err := t.Render(env, nil)
		if err != nil {
			return nil, err
		}
		j.exact = append(j.exact, m.normalize(s))
	}
	for _, t := range m.contains {
		s, err := t.Render(env, nil)
		if err != nil {
			return nil, err
		}
		j.contains = append(j.contains, m.fold(s))
	}
	if m.regex != nil {
		src, err := m.regex.Render(env, regexp.QuoteMeta)
		if err != nil {
			return nil, err
		}
		if m.foldCase {
			src = "(?i)" + src
		}
		if j.re, err = regexp.Compile(src); err != nil {
			return nil, fmt.Errorf("regex %q: %w", src, err)
		}
	}
	if m.says != nil {
		s, err := m.says.Render(env, nil)
		if err != nil {
			return nil, err
		}
		j.says = s
	}
	return j, nil
}

func (m *matcher) fold(s string) string {
	if m.foldCase {
		return strings.ToLower(s)
	}
	return s
}

func (m *matcher) normalize(s string) string { return m.fold(strings.Trim(s, m.trim)) }

// verdict of judging the text seen so far.
type verdict int

const (
	needMore verdict = iota // could still match with more bytes
	matched
	mismatch // cannot match whatever follows
)

// judge looks at text; final says no more will come.
func (j *judgement) judge(text string, final bool) (verdict, error) {
	norm := j.m.normalize(text)
	ok := true
	if len(j.exact) > 0 {
		ok = slices.Contains(j.exact, norm)
		if !ok && !final && !j.couldBecomeExact(text) {
			return mismatch, nil
		}
	}
	for _, c := range j.contains {
		ok = ok && strings.Contains(j.m.fold(text), c)
	}
	if ok && j.re != nil {
		ok = j.re.MatchString(text)
	}
	if ok && j.m.that != nil {
		env := j.env
		env[j.subject] = norm
		var err error
		if ok, err = j.m.that.True(env); err != nil {
			return mismatch, err
		}
	}
	switch {
	case ok:
		return matched, nil
	case final:
		return mismatch, nil
	}
	return needMore, nil
}

// couldBecomeExact tells whether more bytes could still turn text into one
// of the exact answers.
func (j *judgement) couldBecomeExact(text string) bool {
	left := j.m.fold(strings.TrimLeft(text, j.m.trim))
	for _, want := range j.exact {
		if strings.HasPrefix(want, strings.TrimRight(left, j.m.trim)) && len(left) <= len(want)+len(j.m.trim)*4 {
			return true
		}
	}
	return false
}

// keep stores the text and named regex groups in variables.
func (j *judgement) keep(text string) {
	if j.m.capture != "" {
		j.env[j.m.capture] = j.m.normalize(text)
	}
	if j.re != nil {
		if sub := j.re.FindStringSubmatch(text); sub != nil {
			for i, name := range j.re.SubexpNames() {
				if name != "" {
					j.env[name] = sub[i]
				}
			}
		}
	}
}

// describe says what was expected, in words.
func (j *judgement) describe() string {
	if j.says != "" {
		return j.says
	}
	var parts []string
	switch len(j.exact) {
	case 0:
	case 1:
		parts = append(parts, fmt.Sprintf("exactly %q", j.exact[0]))
	default:
		parts = append(parts, "one of "+quoteList(j.exact))
	}
	if len(j.contains) > 0 {
		parts = append(parts, "text containing "+quoteList(j.contains))
	}
	if j.re != nil {
		parts = append(parts, fmt.Sprintf("text matching /%s/", j.re))
	}
	if j.m.that != nil {
		parts = append(parts, "text for which "+j.m.that.Src)
	}
	s := strings.Join(parts, " and ")
	var tol []string
	if j.m.foldCase {
		tol = append(tol, "any case")
	}
	if j.m.trim != "" && len(j.exact) > 0 {
		tol = append(tol, fmt.Sprintf("ignoring %q at either end", j.m.trim))
	}
	if len(tol) > 0 {
		s += " (" + strings.Join(tol, ", ") + ")"
	}
	return s
}

// offset is where text first departs from the closest exact answer.
func (j *judgement) offset(text string) int {
	if len(j.exact) == 0 {
		return -1
	}
	lead := len(text) - len(strings.TrimLeft(text, j.m.trim))
	body := j.m.fold(text[lead:])
	best := 0
	for _, want := range j.exact {
		n := 0
		for n < len(body) && n < len(want) && body[n] == want[n] {
			n++
		}
		best = max(best, n)
	}
	return lead + best
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
