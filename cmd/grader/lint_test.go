package main_test

import (
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// lintCourse writes one exercise (and fixtures: case → fixture.yaml) into a
// fresh course folder and lints it.
func lintCourse(exercise string, fixtures map[string]string, flags ...string) (string, []string, int) {
	root := GinkgoT().TempDir()
	dir := filepath.Join(root, "exercises")
	Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, "x.yaml"), []byte(exercise), 0o644)).To(Succeed())
	for name, spec := range fixtures {
		case_ := filepath.Join(root, "fixtures", "x", name)
		Expect(os.MkdirAll(case_, 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(case_, "fixture.yaml"), []byte(spec), 0o644)).To(Succeed())
	}
	s := grader(append([]string{"lint", dir}, flags...)...)
	out := strings.TrimSpace(strings.ReplaceAll(string(s.Out.Contents()), root+"/", ""))
	var lines []string
	if out != "" {
		lines = strings.Split(out, "\n")
	}
	return root, lines, s.ExitCode()
}

const lintHead = "title: T\nsubmission: {command: python3 s.py}\nchecks:\n"

var goodFixture = map[string]string{"good": "about: ok\nverdicts:\n  a: passed\n"}

var _ = Describe("grader lint", func() {
	It("finds nothing wrong with the built-in exercises and their fixtures, even with --strict", func() {
		s := grader("lint", "exercises", "--strict")
		Expect(s).To(gexecExit(0), string(s.Out.Contents()))
		Expect(s.Out.Contents()).To(BeEmpty())
		Expect(s.Err).To(gbytesSay(`grader lint: \d+ file\(s\): 0 error\(s\), 0 warning\(s\)`))
	})

	DescribeTable("warns of what loads but cannot be meant",
		func(exercise string, fixtures map[string]string, want ...string) {
			_, lines, code := lintCourse(exercise, fixtures)
			Expect(lines).To(Equal(want))
			Expect(code).To(Equal(0))
		},
		Entry("a check that can never pass, and the step after it",
			lintHead+"  - id: a\n    title: A\n    steps:\n      - assert: {that: '1 > 2'}\n      - connect: {}\n", goodFixture,
			`exercises/x.yaml:7:9: warning: this assert step always fails (its condition "1 > 2" is always false), so check "a" can never pass`,
			`exercises/x.yaml:8:9: warning: this step never runs: the step at line 7 always fails`),
		Entry("a check that never runs: it needs one that can never pass",
			lintHead+"  - id: a\n    title: A\n    steps: [{repeat: {until: 'false', max: 2, steps: [{connect: {}}]}}]\n  - id: b\n    title: B\n    needs: [a]\n    steps: [{connect: {}}]\n",
			map[string]string{"good": "about: ok\nverdicts:\n  a: passed\n  b: passed\n"},
			`exercises/x.yaml:6:13: warning: this repeat step always fails (its until: "false" never holds), so check "a" can never pass`,
			`exercises/x.yaml:7:5: warning: check "b" never runs: it needs "a", which can never pass`),
		Entry("a step whose when is always false",
			lintHead+"  - id: a\n    title: A\n    steps:\n      - connect: {}\n        when: 'false'\n", goodFixture,
			`exercises/x.yaml:7:9: warning: this connect step never runs: its when is always false`),
		Entry("points that sum to 0",
			lintHead+"  - id: a\n    title: A\n    points: 0\n    steps: [{connect: {}}]\n", goodFixture,
			`exercises/x.yaml:4:5: warning: the checks' points sum to 0, so every submission scores 0/0: give the checks points`),
		Entry("a hidden: all check that every other check needs",
			lintHead+"  - id: a\n    title: A\n    hidden: all\n    steps: [{connect: {}}]\n  - id: b\n    title: B\n    needs: [a]\n    steps: [{connect: {}}]\n",
			map[string]string{"good": "about: ok\nverdicts:\n  a: passed\n  b: passed\n"},
			`exercises/x.yaml:4:5: warning: every other check needs "a", which is hidden: all: when it fails, students see every check skipped and nothing of why. Hide its details instead (hidden: true)`),
		Entry("an exercise with no fixtures",
			lintHead+"  - id: a\n    title: A\n    steps: [{connect: {}}]\n", nil,
			`exercises/x.yaml:1:1: warning: no fixtures in fixtures/x, so nothing proves the exercise: grader new writes a good and a bad one to start from`),
		Entry("a bad fixture that names no check, and verdicts that omit one",
			lintHead+"  - id: listens\n    title: A\n    steps: [{connect: {}}]\n  - id: b\n    title: B\n    steps: [{connect: {}}]\n",
			map[string]string{"bad-listen": "about: x\nverdicts:\n  listens: failed\n"},
			`fixtures/x/bad-listen/fixture.yaml:1:1: warning: the verdicts omit b: list every check, so that selftest compares them all`,
			`fixtures/x/bad-listen/fixture.yaml:1:1: warning: the bad fixture bad-listen names no check of x: call it bad-CHECK after the check it fails (did you mean listens?)`),
		Entry("a bad fixture that expects the check it names to pass",
			lintHead+"  - id: a\n    title: A\n    steps: [{connect: {}}]\n",
			map[string]string{"bad-a": "about: x\nverdicts:\n  a: passed\n"},
			`fixtures/x/bad-a/fixture.yaml:3:3: warning: the bad fixture bad-a names a, but expects it passed: a bad fixture fails the check it names`),
	)

	It("exits 1 on warnings with --strict, and prints GitHub annotations with --format github", func() {
		_, lines, code := lintCourse(lintHead+"  - id: a\n    title: A\n    points: 0\n    steps: [{connect: {}}]\n", goodFixture, "--strict", "--format", "github")
		Expect(code).To(Equal(1))
		Expect(lines).To(Equal([]string{"::warning file=exercises/x.yaml,line=4,col=5,title=grader lint::the checks' points sum to 0, so every submission scores 0/0: give the checks points"}))
	})

	It("exits 2 with every load error at file:line:col, the misspelt variable and the unknown function among them", func() {
		_, lines, code := lintCourse(lintHead+"  - id: a\n    title: A\n    vars: {word: randWord(4)}\n    steps:\n      - connect: {}\n      - send: '{{ wrd }}'\n      - let: {x: 'undefinedFunc(3)'}\n", goodFixture)
		Expect(code).To(Equal(2))
		Expect(lines).To(HaveLen(2))
		Expect(lines[0]).To(HavePrefix(`exercises/x.yaml:9:19: error: send.text: wrd is not set here (did you mean "word"?)`))
		Expect(lines[1]).To(HavePrefix(`exercises/x.yaml:10:19: error: let.x: undefinedFunc is not a function`))
	})
})
