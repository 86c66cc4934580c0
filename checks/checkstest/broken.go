// Package checkstest holds what the specs of the loader and of the JSON
// Schema share: the table of broken exercise files, each with the messages
// the loader gives it.
package checkstest

import (
	"fmt"
	"strings"

	"github.com/acme-lab/grader/checks"
)

// Broken is one broken exercise file.
type Broken struct {
	Name string
	Src  string
	Want []string // the loader's messages, for the file exercises/x.yaml
	// Meaning: the file's shape is right and only its meaning is wrong (an
	// unknown variable, a check that needs one below it), which a JSON
	// Schema cannot see; the schema's spec proves that it accepts these,
	// so that the line between the two stays where it is said to be.
	Meaning bool
}

// Exercise builds a small valid exercise around the given checks section,
// so that each entry shows only what it is about. Its first line is line 1
// and the checks start on line 5.
func Exercise(checksYAML string) string {
	return "title: T\nsubmission:\n  command: python3 s.py\nchecks:\n" + checksYAML
}

// check is one check a with the given steps, on lines 5 to 7 and after.
func check(steps string) string {
	return Exercise("  - id: a\n    title: A\n    steps:\n" + steps)
}

// BrokenFiles is the loader's table.
func BrokenFiles() []Broken {
	stepKinds := checks.StepKinds()
	return []Broken{
		{Name: "a misspelled key, with the nearest known one",
			Src: Exercise("  - id: a\n    titel: A\n    steps: [{connect: {}}]\n"),
			Want: []string{`exercises/x.yaml:5:5: a check needs the key "title"`,
				`exercises/x.yaml:6:5: unknown key "titel" in a check (did you mean "title"?)`}},
		{Name: "a misspelled key inside a step's options",
			Src: check("      - expect: {one_off: [x]}\n"),
			Want: []string{`exercises/x.yaml:8:17: expect needs at least one of exact, one_of, contains, regex, that, pack, hex, bytes, code or datagrams`,
				`exercises/x.yaml:8:18: unknown key "one_off" in expect (did you mean "one_of"?)`}},
		{Name: "an unknown step kind",
			Src: check("      - sned: hello\n"),
			Want: []string{`exercises/x.yaml:8:9: unknown key "sned" in a step (did you mean "send"?)`,
				fmt.Sprintf("exercises/x.yaml:8:9: a step needs one of: %v", stepKinds)}},
		{Name: "two kinds in one step",
			Src:  check("      - send: hi\n        connect: {}\n"),
			Want: []string{`exercises/x.yaml:9:9: a step does one thing: it has both "send" and "connect"; split it in two`}},
		{Name: "a wrong type",
			Src:  Exercise("  - id: a\n    title: A\n    points: lots\n    steps: [{connect: {}}]\n"),
			Want: []string{`exercises/x.yaml:7:13: points must be a whole number, not "lots"`}},
		{Name: "a duration without a unit",
			Src:  Exercise("  - id: a\n    title: A\n    timeout: 5\n    steps: [{connect: {}}]\n"),
			Want: []string{`exercises/x.yaml:7:14: timeout must be a positive duration such as 500ms or 2s, not "5"`}},
		{Name: "a size without a unit it knows, a misspelled limit",
			Src: "title: T\nsubmission:\n  command: python3 s.py\nlimits: {memory: 512MB, open_file: 10}\nchecks:\n  - id: a\n    title: A\n    steps: [{connect: {}}]\n",
			Want: []string{
				`exercises/x.yaml:4:18: limits.memory must be a size such as 512MiB, 64KiB or 1GiB, not "512MB"`,
				`exercises/x.yaml:4:25: unknown key "open_file" in limits (did you mean "open_files"?)`}},
		{Name: "a missing required section",
			Src:  "title: T\nchecks:\n  - id: a\n    title: A\n    steps: [{connect: {}}]\n",
			Want: []string{`exercises/x.yaml:1:1: the exercise needs the key "submission"`}},
		{Name: "a check that needs one not above it, with the nearest one",
			Src:     Exercise("  - id: listens\n    title: A\n    steps: [{connect: {}}]\n  - id: b\n    title: B\n    needs: [listen]\n    steps: [{connect: {}}]\n"),
			Want:    []string{`exercises/x.yaml:10:12: check "b" needs "listen", which is not a check above it (did you mean "listens"?)`},
			Meaning: true},
		{Name: "a check that needs itself (needs name checks above, so there is no cycle)",
			Src:     Exercise("  - id: a\n    title: A\n    needs: [a]\n    steps: [{connect: {}}]\n"),
			Want:    []string{`exercises/x.yaml:7:12: check "a" needs itself; a check can only need checks above it`},
			Meaning: true},
		{Name: "a check id used twice",
			Src:     Exercise("  - id: a\n    title: A\n    steps: [{connect: {}}]\n  - id: a\n    title: B\n    steps: [{connect: {}}]\n"),
			Want:    []string{`exercises/x.yaml:8:9: check id "a" is used twice`},
			Meaning: true},
		{Name: "an expression that does not parse",
			Src:     check("      - let: {x: 'len(('}\n"),
			Want:    []string{`exercises/x.yaml:8:23: let.x: "len((" is not a valid expression: unexpected token EOF`},
			Meaning: true},
		{Name: "a misspelt variable in a template",
			Src: Exercise("  - id: a\n    title: A\n    vars: {word: randWord(5)}\n    steps:\n      - connect: {}\n      - send: \"{{ wrd }}\"\n"),
			Want: []string{`exercises/x.yaml:10:19: send.text: wrd is not set here (did you mean "word"?); known here: address, word. ` +
				`A variable is set in vars, by let, or by a step above that captures it`},
			Meaning: true},
		{Name: "an unknown function",
			Src: check("      - let: {x: 'undefinedFunc(3)'}\n"),
			Want: []string{`exercises/x.yaml:8:19: let.x: undefinedFunc is not a function; ` +
				`the functions are expr-lang's own (len, filter, map, …) and the grader's: ` + strings.Join(checks.FunctionNames(), ", ")},
			Meaning: true},
		{Name: "a function given too many arguments",
			Src:     check("      - let: {x: 'randToken(1, 2)'}\n"),
			Want:    []string{`exercises/x.yaml:8:19: let.x: "randToken(1, 2)": too many arguments to call randToken`},
			Meaning: true},
		{Name: "a capture used before the step that sets it",
			Src: check("      - connect: {}\n      - send: '{{ reply }}'\n      - expect: {exact: hi, capture: reply}\n"),
			Want: []string{`exercises/x.yaml:9:19: send.text: reply is not set here; known here: address. ` +
				`A variable is set in vars, by let, or by a step above that captures it`},
			Meaning: true},
		{Name: "an output since a mark never set",
			Src:     check("      - output: {since: round, contains: [x]}\n"),
			Want:    []string{`exercises/x.yaml:8:25: output.since: no mark named "round" is set above; add a mark step before it`},
			Meaning: true},
		{Name: "a template that is not closed",
			Src:  check("      - send: 'hi {{ x'\n"),
			Want: []string{`exercises/x.yaml:8:15: send.text: "hi {{ x" opens {{ without closing }}`}},
		{Name: "a regular expression that does not compile",
			Src:     check("      - expect: {regex: '(x'}\n"),
			Want:    []string{"exercises/x.yaml:8:25: expect.regex \"(x\" is not a valid regular expression: error parsing regexp: missing closing ): `(x`"},
			Meaning: true},
		{Name: "a variable that hides a function",
			Src:  Exercise("  - id: a\n    title: A\n    vars: {pick: '1'}\n    steps: [{connect: {}}]\n"),
			Want: []string{`exercises/x.yaml:7:12: vars: "pick" is the name of a function; choose another name`}},
		{Name: "repeat with until but no bound",
			Src:  check("      - repeat: {until: 'true', steps: [{connect: {}}]}\n"),
			Want: []string{`exercises/x.yaml:8:17: repeat with until needs max`}},
		{Name: "YAML that does not parse",
			Src:  "title: [\n",
			Want: []string{`exercises/x.yaml:1:1: not valid YAML: did not find expected node content`}},
		{Name: "several problems at once, all reported",
			Src: Exercise("  - id: A\n    title: A\n    points: -1\n    steps: [{close: {how: slam}}]\n"),
			Want: []string{`exercises/x.yaml:5:9: id: "A" must be lowercase words joined by -, such as valid-moves`,
				`exercises/x.yaml:7:13: points must be between 0 and 1000, not -1`,
				`exercises/x.yaml:8:27: close.how must be write or reset, not "slam"`}},
		{Name: "listen where the program is not a client",
			Src:     Exercise("  - id: a\n    title: A\n    steps: [{listen: {}}]\n"),
			Want:    []string{`exercises/x.yaml:7:22: listen is for a program that is a client: set port.client: true, so that the grader knows where to listen`},
			Meaning: true},
		{Name: "a client exercise that does not say where to listen",
			Src:     "title: T\nsubmission:\n  command: python3 c.py\nport: {client: true}\nchecks:\n  - id: a\n    title: A\n    steps: [{listen: {}}]\n",
			Want:    []string{`exercises/x.yaml:4:7: port.client needs port.suggested, the port the client connects to, or a port handed through {{ port }} in the command or port.env`},
			Meaning: true},
		{Name: "a client exercise that requires a port",
			Src:     "title: T\nsubmission:\n  command: python3 c.py\nport: {suggested: 10001, required: true, client: true}\nchecks:\n  - id: a\n    title: A\n    steps: [{listen: {}}]\n",
			Want:    []string{`exercises/x.yaml:4:7: port.required is for a server; a client connects where the grader listens (port.suggested, or the port it is handed)`},
			Meaning: true},
		{Name: "stdin with nothing to type",
			Src:  check("      - stdin: {eol: \"\\r\\n\"}\n"),
			Want: []string{`exercises/x.yaml:8:16: stdin needs at least one of text or close`}},
		{Name: "a step that needs the program where the exercise runs none",
			Src:     "title: T\nsubmission:\n  files: [request.txt]\nchecks:\n  - id: a\n    title: A\n    steps: [{stdin: hi}]\n",
			Want:    []string{`exercises/x.yaml:7:21: stdin needs the program, but the exercise has no submission.command`},
			Meaning: true},
		{Name: "a file read as an unknown format, from outside the folder",
			Src: check("      - file: {path: ../r.txt, parse: json, capture: r}\n"),
			Want: []string{`exercises/x.yaml:8:22: file.path: "../r.txt" must be a file name inside the submission folder`,
				`exercises/x.yaml:8:39: file.parse must be http-request or text, not "json"`}},
		{Name: "a named expression called with the wrong number of arguments",
			Src:     "title: T\nsubmission:\n  command: python3 s.py\ndefine:\n  twice(x): x + x\nchecks:\n  - id: a\n    title: A\n    steps:\n      - let: {y: 'twice(1, 2)'}\n",
			Want:    []string{`exercises/x.yaml:10:19: let.y: "twice(1, 2)": too many arguments to call twice`},
			Meaning: true},
		{Name: "text and bytes expected at once",
			Src: check("      - expect: {exact: x, hex: '00'}\n"),
			Want: []string{`exercises/x.yaml:8:17: expect takes keys of one of (exact, one_of, contains, regex, that, fold_case, trim, line, seek), ` +
				`pack, hex, bytes, code or datagrams, not exact and hex together`}},
		{Name: "a pack field of an unknown kind, and bad hex",
			Src: check("      - send: {pack: [{u24be: 1}, {hex: 0g}]}\n"),
			Want: []string{`exercises/x.yaml:8:23: send.pack item needs one of ` + orWords(packKinds()),
				`exercises/x.yaml:8:24: unknown key "u24be" in send.pack item (did you mean "u64be"?)`,
				`exercises/x.yaml:8:41: send.pack.hex must be pairs of hex digits such as "0d0a": encoding/hex: invalid byte: U+0067 'g'`}},
		{Name: "a reply code that is no code",
			Src:  check("      - expect: {code: 25x}\n"),
			Want: []string{`exercises/x.yaml:8:24: expect.code: "25x" must be a reply code such as 250, a class such as 2xx, or any`}},
		{Name: "seek without line",
			Src:  check("      - expect: {regex: x, seek: true}\n"),
			Want: []string{`exercises/x.yaml:8:17: expect with seek needs line`}},
		{Name: "a gap without split",
			Src:  check("      - send: {text: x, gap: 20ms}\n"),
			Want: []string{`exercises/x.yaml:8:15: send with gap needs split`}},
		{Name: "a listener named for a TCP client",
			Src:     "title: T\nsubmission:\n  command: python3 c.py\nport: {suggested: 6667, client: true}\nchecks:\n  - id: a\n    title: A\n    steps: [{listen: {conn: irc}}]\n",
			Want:    []string{`exercises/x.yaml:8:29: listen.conn names the grader's UDP socket; a TCP listener gets its connections from accept`},
			Meaning: true},
		{Name: "the program's address before it was seen listening",
			Src: check("      - start: {}\n      - send: 'GET / HTTP/1.1\\r\\nHost: {{ address }}'\n"),
			Want: []string{`exercises/x.yaml:9:43: send.text: address is not set here; known here: (none). ` +
				`A variable is set in vars, by let, or by a step above that captures it`},
			Meaning: true},
	}
}

// packKinds are the keys of a pack item, in the order the loader names them.
func packKinds() []string {
	out := []string{"text", "hex", "bytes"}
	for _, size := range []string{"8", "16", "32", "64"} {
		for _, sign := range []string{"u", "i"} {
			if size == "8" {
				out = append(out, sign+size)
				continue
			}
			out = append(out, sign+size+"be", sign+size+"le")
		}
	}
	return out
}

// orWords is "a, b or c", as the loader lists keys.
func orWords(xs []string) string {
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
