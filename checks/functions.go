package checks

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// functionDocs describe the grader's own functions, for the reference; a
// spec holds them to the functions themselves.
var functionDocs = append([]Function{
	{"randToken", "randToken(n)", "n random lowercase letters and digits, to prove a reply was not hard-coded"},
	{"randWord", "randWord(n)", "a pronounceable lowercase word of n letters"},
	{"randInt", "randInt(lo, hi)", "a whole number from lo to hi"},
	{"pick", "pick(list)", "one item of the list, at random"},
	{"shuffle", "shuffle(list)", "the items in random order"},
	{"findAll", "findAll(pattern, text)", "every match of a regular expression, in order"},
	{"timeNear", "timeNear(text, seconds)", "the text holds a clock time HH:MM:SS within that many seconds of now (midnight wraps; a 12-hour clock counts)"},
	{"lines", "lines(text)", "the non-blank lines of the text, CRLF or LF"},
	{"urlquery", "urlquery(text)", "the text escaped for a query string, spaces as %20"},
}, binaryFunctionDocs()...)

// engineNames are the variables the engine sets itself.
var engineNames = []Field{
	{Name: "iteration", Doc: "inside a repeat, the round, from 1"},
	{Name: "port", Doc: "the port handed to the program, when the exercise hands one ({{ port }} in the command, or port.env)"},
	{Name: "address", Doc: "after a connect or in a request: host:port where the program was seen listening, as a Host header names it"},
	{Name: "reply", Doc: "in an expect's that: the text received (trimmed)"},
	{Name: "output", Doc: "in an output's that: what the program printed since the mark"},
	{Name: "header", Doc: "in a request's expect.headers that: the header's value"},
	{Name: "body", Doc: "in a request's expect.body that: the response's body"},
}

// FunctionNames lists the grader's own expression functions.
func FunctionNames() []string {
	out := make([]string, len(functionDocs))
	for i, f := range functionDocs {
		out[i] = f.Name
	}
	return out
}

// functionNames are reserved: a variable may not hide a function, nor
// one of the names the engine sets itself.
var functionNames = append(FunctionNames(), "port", "address", "iteration")

// functions are the names an exercise's expressions may call besides
// expr-lang's builtins. Random ones draw from the check's own source, seeded
// from the run's seed and the check id, so `--seed N` replays every value.
func functions(rng *rand.Rand, now func() time.Time) map[string]any {
	fs := map[string]any{
		// randToken(n): n random lowercase letters and digits, to prove a reply
		// was not hard-coded.
		"randToken": func(n int) string {
			const alphabet = "abcdefghijkmnopqrstuvwxyz23456789"
			b := make([]byte, n)
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			return string(b)
		},
		// randWord(n): a pronounceable lowercase word of n letters.
		"randWord": func(n int) string {
			const cons, vow = "bcdfghjklmnpstvz", "aeiou"
			b := make([]byte, n)
			for i := range b {
				if i%2 == 0 {
					b[i] = cons[rng.IntN(len(cons))]
				} else {
					b[i] = vow[rng.IntN(len(vow))]
				}
			}
			return string(b)
		},
		// randInt(lo, hi): a whole number from lo to hi.
		"randInt": func(lo, hi int) int { return lo + rng.IntN(hi-lo+1) },
		// pick(list): one item at random.
		"pick": func(xs []any) any {
			if len(xs) == 0 {
				return nil
			}
			return xs[rng.IntN(len(xs))]
		},
		// shuffle(list): the items in random order.
		"shuffle": func(xs []any) []any {
			out := append([]any(nil), xs...)
			rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
			return out
		},
		// findAll(pattern, s): every match of a regular expression, in order.
		"findAll": func(pattern, s string) ([]any, error) {
			re, err := regexp.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("findAll: %w", err)
			}
			var out []any
			for _, m := range re.FindAllString(s, -1) {
				out = append(out, m)
			}
			return out, nil
		},
		// timeNear(s, seconds): s holds a clock time HH:MM:SS within that
		// many seconds of the grader's local clock (midnight wraps; a
		// 12-hour clock counts).
		"timeNear": func(s string, seconds int) bool { return timeNear(s, seconds, now()) },
		// urlquery(s): s escaped for a query string, spaces as %20.
		"urlquery": func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") },
		// lines(s): the non-blank lines of s, CRLF or LF.
		"lines": func(s string) []any {
			var out []any
			for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
				if strings.TrimSpace(l) != "" {
					out = append(out, l)
				}
			}
			return out
		},
	}
	for name, f := range binaryFunctions(rng) {
		fs[name] = f
	}
	return fs
}

var clockTime = regexp.MustCompile(`\b([01]?\d|2[0-3]):([0-5]\d):([0-5]\d)\b`)

func timeNear(s string, seconds int, now time.Time) bool {
	nowSec := now.Hour()*3600 + now.Minute()*60 + now.Second()
	for _, m := range clockTime.FindAllStringSubmatch(s, -1) {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		se, _ := strconv.Atoi(m[3])
		// Modulo 12 hours: a 12-hour clock ("01:05:09" at 13:05:09, as
		// %I prints it) is the right time too.
		diff := (h*3600 + mi*60 + se - nowSec) % 43200
		if diff < 0 {
			diff += 43200
		}
		if diff > 21600 {
			diff = 43200 - diff
		}
		if diff <= seconds {
			return true
		}
	}
	return false
}
