package checks_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/exercises"
)

// exercise builds a small valid exercise around the given checks section,
// so each entry below shows only what it is about. Its first line is line 1.
func exercise(checksYAML string) string {
	return "title: T\nsubmission:\n  command: python3 s.py\nchecks:\n" + checksYAML
}

var _ = Describe("Loading an exercise file", func() {
	It("loads every built-in exercise", func() {
		for _, name := range exercises.Names() {
			_, err := exercises.Find(name)
			Expect(err).NotTo(HaveOccurred(), name)
		}
	})

	It("fills in defaults: one point a check, 20s a check, 2s a step, 5s to start", func() {
		ex, err := checks.Load("x.yaml", []byte(exercise("  - id: a\n    title: A\n    steps:\n      - connect: {}\n")))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Name).To(Equal("x"))
		Expect(ex.Checks[0].Points).To(Equal(1))
		Expect(ex.Checks[0].Timeout.String()).To(Equal("20s"))
		Expect(ex.Timeouts.Step.String()).To(Equal("2s"))
		Expect(ex.Timeouts.Start.String()).To(Equal("5s"))
	})

	It("hands a free port to a program whose command names {{ port }}", func() {
		src := strings.Replace(exercise("  - id: a\n    title: A\n    steps: [{connect: {}}]\n"), "python3 s.py", "python3 s.py {{ port }}", 1)
		ex, err := checks.Load("x.yaml", []byte(src))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Port.Handed).To(BeTrue())
	})

	DescribeTable("rejects a broken file with every problem at file:line:col",
		func(src string, want ...string) {
			_, err := checks.Load("exercises/x.yaml", []byte(src))
			Expect(err).To(HaveOccurred())
			Expect(strings.Split(err.Error(), "\n")).To(Equal(want))
		},
		Entry("a misspelled key, with the nearest known one",
			exercise("  - id: a\n    titel: A\n    steps: [{connect: {}}]\n"),
			`exercises/x.yaml:6:5: unknown key "titel" in a check (did you mean "title"?)`,
			`exercises/x.yaml:5:5: a check needs the key "title"`),
		Entry("a misspelled key inside a step's options",
			exercise("  - id: a\n    title: A\n    steps:\n      - expect: {one_off: [x]}\n"),
			`exercises/x.yaml:8:18: unknown key "one_off" in expect (did you mean "one_of"?)`,
			`exercises/x.yaml:8:17: expect needs one of exact, one_of, contains, regex or that (for text), pack, hex or bytes (for bytes), code (for a numbered reply) or datagrams`),
		Entry("text and bytes expected at once",
			exercise("  - id: a\n    title: A\n    steps:\n      - expect: {exact: x, hex: '00'}\n"),
			`exercises/x.yaml:8:17: expect judges text (exact, one_of, contains, regex, that), bytes (pack, hex, bytes), a numbered reply (code) or datagrams: one of them`),
		Entry("a pack field of an unknown kind, and bad hex",
			exercise("  - id: a\n    title: A\n    steps:\n      - send: {pack: [{u24be: 1}, {hex: 0g}]}\n"),
			`exercises/x.yaml:8:24: unknown key "u24be" in send.pack item (did you mean "u64be"?)`,
			`exercises/x.yaml:8:41: send.pack.hex must be pairs of hex digits such as "0d0a": encoding/hex: invalid byte: U+0067 'g'`),
		Entry("a reply code that is no code",
			exercise("  - id: a\n    title: A\n    steps:\n      - expect: {code: 25x}\n"),
			`exercises/x.yaml:8:24: expect.code: "25x" must be a reply code such as 250, a class such as 2xx, or any`),
		Entry("seek without line",
			exercise("  - id: a\n    title: A\n    steps:\n      - expect: {regex: x, seek: true}\n"),
			`exercises/x.yaml:8:34: expect.seek looks through the lines that arrived: it needs line: true`),
		Entry("a gap without split",
			exercise("  - id: a\n    title: A\n    steps:\n      - send: {text: x, gap: 20ms}\n"),
			`exercises/x.yaml:8:30: send.gap is the pause between pieces: it needs split, the size of a piece`),
		Entry("an unknown step kind",
			exercise("  - id: a\n    title: A\n    steps:\n      - sned: hello\n"),
			`exercises/x.yaml:8:9: unknown key "sned" in a step (did you mean "send"?)`,
			fmt.Sprintf("exercises/x.yaml:8:9: a step needs one of: %v", checks.StepKinds())),
		Entry("two kinds in one step",
			exercise("  - id: a\n    title: A\n    steps:\n      - send: hi\n        connect: {}\n"),
			`exercises/x.yaml:9:9: a step does one thing: it has both "send" and "connect"; split it in two`),
		Entry("a wrong type",
			exercise("  - id: a\n    title: A\n    points: lots\n    steps: [{connect: {}}]\n"),
			`exercises/x.yaml:7:13: points must be a whole number, not "lots"`),
		Entry("a duration without a unit",
			exercise("  - id: a\n    title: A\n    timeout: 5\n    steps: [{connect: {}}]\n"),
			`exercises/x.yaml:7:14: timeout must be a positive duration such as 500ms or 2s, not "5"`),
		Entry("a missing required section",
			"title: T\nchecks:\n  - id: a\n    title: A\n    steps: [{connect: {}}]\n",
			`exercises/x.yaml:1:1: the exercise needs the key "submission"`),
		Entry("a check that needs one not above it, with the nearest one",
			exercise("  - id: listens\n    title: A\n    steps: [{connect: {}}]\n  - id: b\n    title: B\n    needs: [listen]\n    steps: [{connect: {}}]\n"),
			`exercises/x.yaml:10:12: check "b" needs "listen", which is not a check above it (did you mean "listens"?)`),
		Entry("a check id used twice",
			exercise("  - id: a\n    title: A\n    steps: [{connect: {}}]\n  - id: a\n    title: B\n    steps: [{connect: {}}]\n"),
			`exercises/x.yaml:8:9: check id "a" is used twice`),
		Entry("an expression that does not parse",
			exercise("  - id: a\n    title: A\n    steps:\n      - let: {x: 'len(('}\n"),
			`exercises/x.yaml:8:18: let.x: "len((" is not a valid expression: unexpected token EOF (1:5)`),
		Entry("a template that is not closed",
			exercise("  - id: a\n    title: A\n    steps:\n      - send: 'hi {{ x'\n"),
			`exercises/x.yaml:8:15: send.text: "hi {{ x" opens {{ without closing }}`),
		Entry("a regular expression that does not compile",
			exercise("  - id: a\n    title: A\n    steps:\n      - expect: {regex: '(x'}\n"),
			"exercises/x.yaml:8:25: expect.regex \"(x\" is not a valid regular expression: error parsing regexp: missing closing ): `(x`"),
		Entry("a variable that hides a function",
			exercise("  - id: a\n    title: A\n    vars: {pick: '1'}\n    steps: [{connect: {}}]\n"),
			`exercises/x.yaml:7:12: vars: "pick" is the name of a function; choose another name`),
		Entry("repeat with until but no bound",
			exercise("  - id: a\n    title: A\n    steps:\n      - repeat: {until: 'true', steps: [{connect: {}}]}\n"),
			`exercises/x.yaml:8:17: repeat with until needs max, the most rounds to play`),
		Entry("YAML that does not parse",
			"title: [\n",
			`exercises/x.yaml:1:1: not valid YAML: did not find expected node content`),
		Entry("several problems at once, all reported",
			exercise("  - id: A\n    title: A\n    points: -1\n    steps: [{close: {how: slam}}]\n"),
			`exercises/x.yaml:5:9: check id "A" must be lowercase words joined by -, such as valid-moves`,
			`exercises/x.yaml:7:13: points must be between 0 and 1000, not -1`,
			`exercises/x.yaml:8:27: close.how must be write or reset, not "slam"`),
		Entry("listen where the program is not a client",
			exercise("  - id: a\n    title: A\n    steps: [{listen: {}}]\n"),
			`exercises/x.yaml:7:22: listen is for a program that is a client: set port.client: true, so that the grader knows where to listen`),
		Entry("a client exercise that does not say where to listen",
			"title: T\nsubmission:\n  command: python3 c.py\nport: {client: true}\nchecks:\n  - id: a\n    title: A\n    steps: [{listen: {}}]\n",
			`exercises/x.yaml:4:7: port.client needs port.suggested, the port the client connects to, or a port handed through {{ port }} in the command or port.env`),
		Entry("a client exercise that requires a port",
			"title: T\nsubmission:\n  command: python3 c.py\nport: {suggested: 10001, required: true, client: true}\nchecks:\n  - id: a\n    title: A\n    steps: [{listen: {}}]\n",
			`exercises/x.yaml:4:7: port.required is for a server; a client connects where the grader listens (port.suggested, or the port it is handed)`),
		Entry("stdin with nothing to type",
			exercise("  - id: a\n    title: A\n    steps: [{stdin: {eol: \"\\r\\n\"}}]\n"),
			`exercises/x.yaml:7:21: stdin needs text to type, or close: true to end the input`),
		Entry("a step that needs the program where the exercise runs none",
			"title: T\nsubmission:\n  files: [request.txt]\nchecks:\n  - id: a\n    title: A\n    steps: [{stdin: hi}]\n",
			`exercises/x.yaml:7:21: stdin needs the program, but the exercise has no submission.command`),
		Entry("a file read as an unknown format, from outside the folder",
			exercise("  - id: a\n    title: A\n    steps: [{file: {path: ../r.txt, parse: json, capture: r}}]\n"),
			`exercises/x.yaml:7:27: file.path: "../r.txt" must be a file name inside the submission folder`,
			`exercises/x.yaml:7:44: file.parse must be one of http-request, text, not "json"`),
	)
})
