package checks

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// LoadError is one problem in an exercise file, at the place it was found.
type LoadError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e LoadError) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// LoadErrors is every problem found in one file, in file order; a file is
// read to the end so that an author fixes all of them in one go.
type LoadErrors []LoadError

func (es LoadErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// decoder walks yaml.Node trees by hand. yaml.v3's KnownFields is not
// applied inside custom unmarshalers (go-yaml #460), and positions are lost
// after decoding into structs, so every key is checked here, with its place.
type decoder struct {
	file string
	errs LoadErrors
	sc   *scope // the names known where the decoder is (scope.go)
	// read, when set, records each declared key a decoder reads, by its
	// path ("send.eol"): the format's specs hold declarations and
	// decoders to each other with it.
	read map[string]bool
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	d.errs = append(d.errs, LoadError{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

// fields checks that n is a mapping whose keys are all known and none
// repeated, reports the required ones that are missing, and returns the
// values by key. A refused key gets its reason rather than the list.
func (d *decoder) fields(n *yaml.Node, what string, known []string, refused map[string]string, required ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case refused[k.Value] != "":
			d.errorf(k, "%s", refused[k.Value])
		case !slices.Contains(known, k.Value):
			d.errorf(k, "unknown key %q in %s%s", k.Value, what, suggest(k.Value, known))
		case out[k.Value] != nil:
			d.errorf(k, "key %q appears twice in %s", k.Value, what)
		default:
			out[k.Value] = v
		}
	}
	for _, r := range required {
		if out[r] == nil {
			d.errorf(n, "%s needs the key %q", what, r)
		}
	}
	return out
}

// didYouMean returns ` (did you mean "x"?)` for a close known word, or "".
func didYouMean(word string, known []string) string {
	if best := Nearest(word, known); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// suggest is didYouMean, or else the list of known keys.
func suggest(word string, known []string) string {
	if s := didYouMean(word, known); s != "" {
		return s
	}
	list := append([]string(nil), known...)
	sort.Strings(list)
	return "; known keys: " + strings.Join(list, ", ")
}

// Nearest returns the candidate closest to word by edit distance, when it is
// close enough to be a likely typo; otherwise "".
func Nearest(word string, candidates []string) string {
	best, bestD := "", len(word)/2+2
	for _, c := range candidates {
		if dist := levenshtein(strings.ToLower(word), strings.ToLower(c)); dist < bestD {
			best, bestD = c, dist
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func (d *decoder) scalar(n *yaml.Node, what string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s must be a single value, not %s", what, kindName(n))
		return false
	}
	return true
}

func (d *decoder) str(n *yaml.Node, what string) string {
	if n == nil || !d.scalar(n, what) {
		return ""
	}
	return n.Value
}

func (d *decoder) integer(n *yaml.Node, what string, lo, hi int) int {
	if n == nil || !d.scalar(n, what) {
		return 0
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || n.Tag != "!!int" {
		d.errorf(n, "%s must be a whole number, not %q", what, n.Value)
		return 0
	}
	if v < lo || v > hi {
		d.errorf(n, "%s must be between %d and %d, not %d", what, lo, hi, v)
	}
	return v
}

func (d *decoder) boolean(n *yaml.Node, what string) bool {
	if n == nil || !d.scalar(n, what) {
		return false
	}
	if n.Tag != "!!bool" {
		d.errorf(n, "%s must be true or false, not %q", what, n.Value)
		return false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
}

// duration reads "500ms", "2s", "1m"; a bare number is refused because its
// unit would be a guess.
func (d *decoder) duration(n *yaml.Node, what string) time.Duration {
	if n == nil || !d.scalar(n, what) {
		return 0
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil || v <= 0 {
		d.errorf(n, "%s must be a positive duration such as 500ms or 2s, not %q", what, n.Value)
		return 0
	}
	if v > 10*time.Minute {
		d.errorf(n, "%s must be at most 10m, not %s", what, n.Value)
	}
	return v
}

// strs reads a list of strings; a single string is a list of one.
func (d *decoder) strs(n *yaml.Node, what string) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []string{n.Value}
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of strings, not %s", what, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		out = append(out, d.str(item, what+" item"))
	}
	return out
}

// varName refuses a name that expressions could not use, or that would hide
// a function.
func (d *decoder) varName(n *yaml.Node, what, name string) bool {
	switch {
	case !identifier.MatchString(name):
		d.errorf(n, "%s: %q is not a usable name (letters, digits and _)", what, name)
	case slices.Contains(functionNames, name) || d.sc.funcs[name] != nil:
		d.errorf(n, "%s: %q is the name of a function; choose another name", what, name)
	default:
		return true
	}
	return false
}

// pairs reads a mapping of names to values, keeping the file's order.
func (d *decoder) pairs(n *yaml.Node, what string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of names to values, not %s", what, kindName(n))
		return nil
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if seen[k.Value] {
			d.errorf(k, "%q appears twice in %s", k.Value, what)
		}
		seen[k.Value] = true
	}
	return n.Content
}
