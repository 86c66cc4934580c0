package checks

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"
)

// sample is a YAML value of the declared kind.
func sample(v Value) string {
	switch v.Kind {
	case KindText, KindTemplate:
		return `"x"`
	case KindExpr:
		return "'true'"
	case KindBool:
		return "true"
	case KindInt:
		return fmt.Sprint(max(v.Min, 1))
	case KindDuration:
		return "1s"
	case KindEnum:
		return v.Enum[0]
	case KindName:
		return "v"
	case KindHex:
		return `"00"`
	case KindList:
		return "[" + sample(*v.Elem) + "]"
	case KindMap:
		return "{Name: " + sample(*v.Elem) + "}"
	case KindObject:
		var parts []string
		for _, f := range v.Fields {
			parts = append(parts, f.Name+": "+sample(f.Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case KindSteps:
		return "[{connect: {}}]"
	case KindOneOf:
		return sample(v.Alts[0])
	}
	panic("no sample of " + string(v.Kind))
}

// readAll decodes a step given every option its declaration has, and
// returns the declared keys the decoder read and the errors it gave.
func readAll(k *StepKind) (map[string]bool, LoadErrors) {
	d := &decoder{file: "x.yaml", sc: newScope(), read: map[string]bool{}}
	var n yaml.Node
	Expect(yaml.Unmarshal([]byte(sample(k.Value)), &n)).To(Succeed())
	ex := &Exercise{Port: Port{Client: true, Suggested: 1}, Submission: Submission{Command: []*Template{{Src: "x"}}}}
	k.decode(d, d.object(n.Content[0], k.Name, k.Name+".", k.Value), ex)
	return d.read, d.errs
}

// declaredKeys lists the paths of an object's keys, nested objects too.
func declaredKeys(path string, v Value) []string {
	var out []string
	for _, f := range v.Fields {
		out = append(out, path+f.Name)
		if f.Value.Kind == KindObject {
			out = append(out, declaredKeys(path+f.Name+".", f.Value)...)
		}
	}
	return out
}

var _ = Describe("The declared format (what the schema and the reference are made from)", func() {
	for _, name := range StepKinds() {
		k := stepKinds[name]
		It(fmt.Sprintf("%s: the decoder reads every declared key and no other", name), func() {
			read, errs := readAll(k)
			for _, e := range errs {
				Expect(e.Msg).NotTo(ContainSubstring("unknown key"))
			}
			var want []string
			if k.Value.Kind == KindObject {
				want = declaredKeys(name+".", k.Value)
			}
			got := slices.Sorted(maps.Keys(read))
			for _, w := range want {
				Expect(got).To(ContainElement(w), "declared but never read")
			}
		})
	}

	for _, name := range StepKinds() {
		k := stepKinds[name]
		It(fmt.Sprintf("%s: its example in the reference loads", name), func() {
			Expect(k.Example).NotTo(BeEmpty())
			port := "port: {suggested: 10001}"
			if strings.Contains(k.Example, "listen:") || strings.Contains(k.Example, "accept:") {
				port = "port: {suggested: 10001, client: true}"
			}
			src := "title: T\nsubmission: {command: python3 s.py}\n" + port + "\n" +
				"vars: {moves: '[\"rock\"]', move: '\"rock\"', reply: '\"\"', want: '\"draw\"', token: '\"t\"', first: '\"a\"', last: '\"b\"', a: '1', b: '2'}\n" +
				"checks:\n  - id: a\n    title: A\n    steps:\n" + indent(k.Example, "      ")
			_, err := Load("example.yaml", []byte(src))
			Expect(err).NotTo(HaveOccurred(), src)
		})
	}

	It("reads every key of the exercise and of a check", func() {
		src := `title: T
description: D
source: S
submission: {files: [a.py], command: "python3 a.py {{ port }}", env: {A: b}}
port: {suggested: 1000, required: false, env: PORT, client: false}
timeouts: {check: 1s, step: 1s, start: 1s, grace: 1s}
limits: {processes: 64, memory: 256MiB, cpu: 10s, file_size: 16MiB, open_files: 128}
http: {tolerate: [bare-lf]}
define: {f(x): x}
vars: {v: '1'}
checks:
  - {id: a, title: A, explain: E, hint: H, points: 1, needs: [], hidden: false, timeout: 1s, vars: {w: '2'}, steps: [{connect: {}}]}
`
		var doc yaml.Node
		Expect(yaml.Unmarshal([]byte(src), &doc)).To(Succeed())
		d := &decoder{file: "x.yaml", read: map[string]bool{}}
		d.exercise(doc.Content[0], &Exercise{})
		Expect(d.errs).To(BeEmpty())
		for _, w := range append(declaredKeys("", exerciseValue), declaredKeys("", checkValue)...) {
			Expect(d.read).To(HaveKey(w), "declared but never read")
		}
	})

	It("documents every function of the grader, and no other", func() {
		Expect(FunctionNames()).To(ConsistOf(slices.Collect(maps.Keys(functions(nil, nil)))))
	})
})

func indent(s, by string) string {
	return by + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+by) + "\n"
}
