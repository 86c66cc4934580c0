package checks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/sandbox"
)

// LoadFile reads and checks one exercise file.
func LoadFile(path string) (*Exercise, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// Load decodes an exercise strictly. On any problem it returns LoadErrors
// naming every one, each with file:line:col, and no Exercise.
func Load(file string, data []byte) (*Exercise, error) {
	d := &decoder{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, d.yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(&extra, "an exercise file holds one document; remove this second one")
	}
	if len(doc.Content) == 0 {
		d.errorf(&doc, "the file is empty")
		return nil, d.errs
	}
	resolveAliases(&doc, 0)
	ex := &Exercise{Name: strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)), File: file}
	d.exercise(doc.Content[0], ex)
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool {
			a, b := d.errs[i], d.errs[j]
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		})
		return nil, d.errs
	}
	return ex, nil
}

// resolveAliases replaces each *alias by the node it names, so that a step
// written once with &anchor can be reused; errors in it point at the anchor.
func resolveAliases(n *yaml.Node, depth int) {
	if depth > 100 {
		return
	}
	for i, c := range n.Content {
		for c.Kind == yaml.AliasNode && c.Alias != nil {
			c = c.Alias
		}
		n.Content[i] = c
		resolveAliases(c, depth+1)
	}
}

// yamlError turns yaml.v3's syntax error ("yaml: line 3: ...") into ours.
func (d *decoder) yamlError(err error) error {
	msg := err.Error()
	line := 1
	if m := regexp.MustCompile(`line (\d+):\s*`).FindStringSubmatchIndex(msg); m != nil {
		fmt.Sscanf(msg[m[2]:m[3]], "%d", &line)
		msg = msg[m[1]:]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return LoadErrors{{File: d.file, Line: line, Col: 1, Msg: "not valid YAML: " + msg}}
}

func (d *decoder) exercise(n *yaml.Node, ex *Exercise) {
	d.sc = newScope()
	o := d.object(n, "the exercise", "", exerciseValue)
	ex.Title = o.str("title", "")
	ex.Description = o.str("description", "")
	ex.Source = o.str("source", "")
	ex.Timeouts = Timeouts{Check: defaultCheckTimeout, Step: defaultStepTimeout, Start: defaultStartTimeout, Grace: defaultGrace}
	if o.has("timeouts") {
		d.timeouts(o.sub("timeouts", "timeouts", "timeouts."), &ex.Timeouts)
	}
	ex.Limits = sandbox.DefaultLimits
	if o.has("limits") {
		d.limits(o.sub("limits", "limits", "limits."), &ex.Limits)
	}
	if o.has("http") {
		ex.HTTP.Tolerate = d.kinds(o.sub("http", "http", "http.").node("tolerate"), "http.tolerate")
	}
	ex.Hexdump = o.boolean("hexdump")
	ex.Defines = d.defines(o.node("define"), o.node("vars"))
	ex.Vars = d.vars(o.node("vars"), "vars")
	if o.has("port") {
		d.port(o.sub("port", "port", "port."), &ex.Port)
	}
	if o.has("submission") {
		d.submission(o.sub("submission", "submission", "submission."), ex)
	}
	d.clientPort(o.node("port"), ex)
	if ex.Port.Handed {
		d.define("port")
	}
	if c := o.node("checks"); c != nil {
		ex.Checks = d.checks(c, ex)
	}
}

func (d *decoder) timeouts(o *opts, t *Timeouts) {
	for _, k := range []struct {
		name string
		to   *time.Duration
	}{{"check", &t.Check}, {"step", &t.Step}, {"start", &t.Start}, {"grace", &t.Grace}} {
		if o.has(k.name) {
			*k.to = o.duration(k.name)
		}
	}
}

// submission reads what is handed in and how it starts. The command may
// name {{ port }} (which makes the exercise hand the program a port) and the
// exercise's variables.
func (d *decoder) submission(o *opts, ex *Exercise) {
	s := &ex.Submission
	s.Files = o.texts("files")
	if c := o.node("command"); c != nil && d.scalar(c, "submission.command") {
		if strings.Contains(c.Value, "port") && strings.Contains(c.Value, "{{") {
			ex.Port.Handed = true
		}
		words, err := SplitCommand(c.Value)
		if err != nil || len(words) == 0 {
			d.errorf(c, "submission.command %q: %v", c.Value, orEmpty(err))
		}
		for _, w := range words {
			if t := d.templateOf(c, w, "submission.command", "port"); t != nil {
				s.Command = append(s.Command, t)
			}
		}
	}
	var extra []string
	if ex.Port.Handed {
		extra = []string{"port"}
	}
	pairs := d.pairs(o.node("env"), "submission.env")
	for i := 0; i+1 < len(pairs); i += 2 {
		s.Env = append(s.Env, EnvVar{Name: pairs[i].Value, Value: d.template(pairs[i+1], "submission.env."+pairs[i].Value, extra...)})
	}
}

func orEmpty(err error) error {
	if err == nil {
		return errors.New("the command is empty")
	}
	return err
}

func (d *decoder) port(o *opts, p *Port) {
	p.Suggested = o.integer("suggested", 0)
	p.Required = o.boolean("required")
	p.Client = o.boolean("client")
	p.UDP = o.boolean("udp")
	if o.has("env") {
		p.Env = o.str("env", "")
		p.Handed = true
	}
	if p.Required && p.Suggested == 0 {
		d.errorf(o.n, "port.required needs port.suggested: the port that is required")
	}
}

// vars reads variables set in order, each known to the ones after it.
func (d *decoder) vars(n *yaml.Node, what string) []Var {
	var out []Var
	pairs := d.pairs(n, what)
	for i := 0; i+1 < len(pairs); i += 2 {
		name := pairs[i].Value
		d.varName(pairs[i], what, name)
		out = append(out, Var{Name: name, Expr: d.expr(pairs[i+1], what+"."+name)})
		d.define(name)
	}
	return out
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (d *decoder) checks(n *yaml.Node, ex *Exercise) []*Check {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.errorf(n, "checks must be a list of at least one check")
		return nil
	}
	var out []*Check
	seen := map[string]bool{}
	outer := d.sc
	defer func() { d.sc = outer }()
	for _, cn := range n.Content {
		d.sc = outer.clone()
		o := d.object(cn, "a check", "", checkValue)
		c := &Check{Line: cn.Line, Col: cn.Column, Points: o.integer("points", defaultPoints), Timeout: ex.Timeouts.Check}
		c.ID = o.str("id", "")
		if seen[c.ID] {
			d.errorf(o.node("id"), "check id %q is used twice", c.ID)
		}
		c.Title = o.str("title", "")
		c.Explain = o.str("explain", "")
		c.Hint = o.str("hint", "")
		c.Needs = o.texts("needs")
		for _, need := range c.Needs {
			switch {
			case need == c.ID:
				d.errorf(o.node("needs"), "check %q needs itself; a check can only need checks above it", c.ID)
			case !seen[need]:
				d.errorf(o.node("needs"), "check %q needs %q, which is not a check above it%s", c.ID, need, didYouMean(need, keys(seen)))
			}
		}
		c.Hidden = d.hiding(o.node("hidden"))
		if o.has("timeout") {
			c.Timeout = o.duration("timeout")
		}
		c.Vars = d.vars(o.node("vars"), "vars")
		c.Steps = d.steps(o.node("steps"), ex)
		seen[c.ID] = true
		out = append(out, c)
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// SplitCommand splits a command line into words the way a POSIX shell
// would for plain words and quotes; it runs no shell. A {{ template }} is
// kept whole, spaces and all.
func SplitCommand(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for i := 0; i < len(s); i++ {
		r := rune(s[i])
		if strings.HasPrefix(s[i:], "{{") {
			if j := strings.Index(s[i:], "}}"); j >= 0 {
				cur.WriteString(s[i : i+j+2])
				inWord = true
				i += j + 1
				continue
			}
		}
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(s[i])
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(s[i])
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("a %c quote is not closed", quote)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
