package checks

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

var checkID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

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
	f := d.fields(n, "the exercise", []string{"title", "description", "source", "submission", "port", "timeouts", "http", "hexdump", "vars", "checks"}, "title", "submission", "checks")
	ex.Title = d.str(f["title"], "title")
	ex.Description = d.str(f["description"], "description")
	ex.Source = d.str(f["source"], "source")
	ex.Timeouts = Timeouts{Check: defaultCheckTimeout, Step: defaultStepTimeout, Start: defaultStartTimeout, Grace: defaultGrace}
	if t := f["timeouts"]; t != nil {
		d.timeouts(t, &ex.Timeouts)
	}
	if h := f["http"]; h != nil {
		hf := d.fields(h, "http", []string{"tolerate"})
		ex.HTTP.Tolerate = d.kinds(hf["tolerate"], "http.tolerate")
	}
	ex.Hexdump = f["hexdump"] != nil && d.boolean(f["hexdump"], "hexdump")
	if s := f["submission"]; s != nil {
		d.submission(s, &ex.Submission)
	}
	if p := f["port"]; p != nil {
		d.port(p, &ex.Port)
	}
	for _, c := range ex.Submission.Command {
		if strings.Contains(c.Src, "port") && strings.Contains(c.Src, "{{") {
			ex.Port.Handed = true
		}
	}
	d.clientPort(f["port"], ex)
	ex.Vars = d.vars(f["vars"], "vars")
	if c := f["checks"]; c != nil {
		ex.Checks = d.checks(c, ex)
	}
}

func (d *decoder) timeouts(n *yaml.Node, t *Timeouts) {
	f := d.fields(n, "timeouts", []string{"check", "step", "start", "grace"})
	if v := f["check"]; v != nil {
		t.Check = d.duration(v, "timeouts.check")
	}
	if v := f["step"]; v != nil {
		t.Step = d.duration(v, "timeouts.step")
	}
	if v := f["start"]; v != nil {
		t.Start = d.duration(v, "timeouts.start")
	}
	if v := f["grace"]; v != nil {
		t.Grace = d.duration(v, "timeouts.grace")
	}
}

func (d *decoder) submission(n *yaml.Node, s *Submission) {
	f := d.fields(n, "submission", []string{"files", "command", "env"})
	s.Files = d.strs(f["files"], "submission.files")
	for _, name := range s.Files {
		if name == "" || filepath.IsAbs(name) || strings.Contains(name, "..") {
			d.errorf(f["files"], "submission.files: %q must be a file name inside the submission folder", name)
		}
	}
	if c := f["command"]; c != nil && d.scalar(c, "submission.command") {
		words, err := SplitCommand(c.Value)
		if err != nil || len(words) == 0 {
			d.errorf(c, "submission.command %q: %v", c.Value, orEmpty(err))
		}
		for _, w := range words {
			if t := d.templateOf(c, w, "submission.command"); t != nil {
				s.Command = append(s.Command, t)
			}
		}
	}
	pairs := d.pairs(f["env"], "submission.env")
	for i := 0; i+1 < len(pairs); i += 2 {
		s.Env = append(s.Env, EnvVar{Name: pairs[i].Value, Value: d.template(pairs[i+1], "submission.env."+pairs[i].Value)})
	}
}

func orEmpty(err error) error {
	if err == nil {
		return errors.New("the command is empty")
	}
	return err
}

func (d *decoder) port(n *yaml.Node, p *Port) {
	f := d.fields(n, "port", []string{"suggested", "required", "env", "client", "udp"})
	p.Suggested = d.integer(f["suggested"], "port.suggested", 1, 65535)
	p.Required = f["required"] != nil && d.boolean(f["required"], "port.required")
	p.Client = f["client"] != nil && d.boolean(f["client"], "port.client")
	p.UDP = f["udp"] != nil && d.boolean(f["udp"], "port.udp")
	if e := f["env"]; e != nil {
		p.Env = d.str(e, "port.env")
		p.Handed = true
	}
	if p.Required && p.Suggested == 0 {
		d.errorf(n, "port.required needs port.suggested: the port that is required")
	}
}

func (d *decoder) vars(n *yaml.Node, what string) []Var {
	var out []Var
	pairs := d.pairs(n, what)
	for i := 0; i+1 < len(pairs); i += 2 {
		name := pairs[i].Value
		if !identifier.MatchString(name) {
			d.errorf(pairs[i], "%s: %q is not a usable name (letters, digits and _)", what, name)
		}
		if slices.Contains(functionNames, name) {
			d.errorf(pairs[i], "%s: %q is the name of a function; choose another name", what, name)
		}
		out = append(out, Var{Name: name, Expr: d.expr(pairs[i+1], what+"."+name)})
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
	for _, cn := range n.Content {
		f := d.fields(cn, "a check", []string{"id", "title", "explain", "hint", "points", "needs", "hidden", "timeout", "vars", "steps"}, "id", "title", "steps")
		c := &Check{Points: defaultPoints, Timeout: ex.Timeouts.Check}
		c.ID = d.str(f["id"], "id")
		if f["id"] != nil && !checkID.MatchString(c.ID) {
			d.errorf(f["id"], "check id %q must be lowercase words joined by -, such as valid-moves", c.ID)
		}
		if seen[c.ID] {
			d.errorf(f["id"], "check id %q is used twice", c.ID)
		}
		c.Title = d.str(f["title"], "title")
		c.Explain = d.str(f["explain"], "explain")
		c.Hint = d.str(f["hint"], "hint")
		if p := f["points"]; p != nil {
			c.Points = d.integer(p, "points", 0, 1000)
		}
		c.Needs = d.strs(f["needs"], "needs")
		for _, need := range c.Needs {
			if !seen[need] {
				d.errorf(f["needs"], "check %q needs %q, which is not a check above it%s", c.ID, need, didYouMean(need, keys(seen)))
			}
		}
		c.Hidden = d.hiding(f["hidden"])
		if t := f["timeout"]; t != nil {
			c.Timeout = d.duration(t, "timeout")
		}
		c.Vars = d.vars(f["vars"], "vars")
		c.Steps = d.steps(f["steps"], ex)
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
