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
	subject  string // the variable that holds the text in that
}

// matcherFields are the keys of a matcher, in expect, output and a
// request's expect.headers and expect.body.
var matcherFields = []Field{
	{Name: "exact", Value: vTemplate, Doc: "the whole text is this"},
	{Name: "one_of", Value: vTmpls, Doc: "the whole text is one of these"},
	{Name: "contains", Value: vTmpls, Doc: "every one of these appears in the text"},
	{Name: "regex", Value: vTemplate, Doc: "a regular expression (RE2) the text matches; named groups (?P<name>…) become variables; values put in with {{ }} match literally"},
	{Name: "that", Value: vExpr, Doc: "a condition over the text (reply, output, header or body) and the variables"},
	{Name: "fold_case", Value: vBool, Doc: "compare in lower case"},
	{Name: "trim", Value: vText, Doc: "characters ignored at either end", Default: "white space"},
	{Name: "line", Value: vBool, Doc: "judge one line at a time"},
	{Name: "capture", Value: vName, Doc: "keep the text (trimmed) in this variable"},
	{Name: "expected", Value: vTemplate, Doc: "what was expected, in words, for the report"},
}

// matcherTests are the keys that test the text; a matcher needs one.
var matcherTests = []string{"exact", "one_of", "contains", "regex", "that"}

// matcherValue is a matcher on its own: a text stands for exact.
var matcherValue = vObject(matcherFields...).short("exact").rule(NotTogether, "exact", "one_of")

// matcher reads a matcher's keys from o; subject is the variable that holds
// the text in that (reply, output, header, body). What it captures is known
// to the steps after it.
func (d *decoder) matcher(o *opts, subject string) matcher {
	m := matcher{trim: " \t\r\n", subject: subject}
	if o.has("exact") {
		m.exact = append(m.exact, o.template("exact"))
	}
	m.exact = append(m.exact, o.templates("one_of")...)
	m.contains = o.templates("contains")
	if o.has("regex") {
		m.regex = o.template("regex")
		if m.regex != nil {
			d.regexGroups(o.node("regex"), m.regex, o.key("regex"))
		}
	}
	if n := o.node("that"); n != nil {
		m.that = d.expr(n, o.key("that"), subject)
	}
	m.foldCase = o.boolean("fold_case")
	m.trim = o.str("trim", m.trim)
	if _, ok := o.val.field("line"); ok {
		m.line = o.boolean("line")
	}
	m.capture = o.name("capture")
	m.says = o.template("expected")
	d.define(m.capture)
	return m
}

// regexGroups checks a regex and defines its named groups. A regex with
// {{ }} parts is checked with each part standing for a word.
func (d *decoder) regexGroups(n *yaml.Node, t *Template, what string) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.expr != nil {
			b.WriteString("x")
		} else {
			b.WriteString(p.text)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		if !strings.Contains(t.Src, "{{") {
			d.errorf(n, "%s %q is not a valid regular expression: %v", what, t.Src, err)
		}
		return
	}
	for _, name := range re.SubexpNames() {
		if name != "" {
			d.define(name)
		}
	}
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
	subject  string // the variable that holds the text in `that`: reply, output, header or body
}

func (m *matcher) prepare(env map[string]any) (*judgement, error) {
	j := &judgement{m: m, env: env, subject: m.subject}
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
