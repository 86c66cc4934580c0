package schema_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/checkstest"
	"github.com/acme-lab/grader/exercises"
	"github.com/acme-lab/grader/schema"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..")
}

// compiled is the generated schema, compiled by a real JSON Schema validator.
func compiled() *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.JSON()))
	Expect(err).NotTo(HaveOccurred())
	c := jsonschema.NewCompiler()
	Expect(c.AddResource(schema.ID, doc)).To(Succeed())
	s, err := c.Compile(schema.ID)
	Expect(err).NotTo(HaveOccurred())
	return s
}

// asJSON reads YAML as the JSON value an editor validates.
func asJSON(src string) (any, error) {
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		return nil, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(data))
}

var _ = Describe("The JSON Schema of exercise files", func() {
	It("is shipped as exercises/exercise.schema.json, exactly as grader schema makes it", func() {
		shipped, err := os.ReadFile(filepath.Join(repoRoot(), "exercises", schema.FileName))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(shipped)).To(Equal(string(schema.JSON())),
			"the format changed: run  go run ./cmd/grader schema > exercises/exercise.schema.json")
	})

	It("validates every built-in exercise, each of which points to it in its first line", func() {
		s := compiled()
		for _, name := range exercises.Names() {
			src, err := os.ReadFile(filepath.Join(repoRoot(), "exercises", name+".yaml"))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(src)).To(HavePrefix(schema.Modeline+"\n"), name)
			v, err := asJSON(string(src))
			Expect(err).NotTo(HaveOccurred())
			Expect(s.Validate(v)).To(Succeed(), name)
		}
	})

	It("validates every skeleton grader new writes", func() {
		s := compiled()
		for _, kind := range exercises.SkeletonKinds() {
			skel, _ := exercises.Skeleton(kind)
			src, err := fs.ReadFile(skel, "exercise.yaml")
			Expect(err).NotTo(HaveOccurred())
			Expect(string(src)).To(HavePrefix(schema.Modeline+"\n"), kind)
			v, err := asJSON(string(src))
			Expect(err).NotTo(HaveOccurred())
			Expect(s.Validate(v)).To(Succeed(), kind)
		}
	})

	Context("with the loader's table of broken files", func() {
		for _, b := range checkstest.BrokenFiles() {
			if b.Meaning {
				It("accepts a file whose shape is right, which only the loader and lint reject: "+b.Name, func() {
					v, err := asJSON(b.Src)
					Expect(err).NotTo(HaveOccurred())
					Expect(compiled().Validate(v)).To(Succeed())
				})
				continue
			}
			It("rejects "+b.Name, func() {
				v, err := asJSON(b.Src)
				if err != nil {
					return // not even YAML: an editor says so first
				}
				Expect(compiled().Validate(v)).NotTo(Succeed())
			})
		}
	})

	It("has, for every step kind, exactly the keys its decoder reads", func() {
		var s map[string]any
		Expect(json.Unmarshal(schema.JSON(), &s)).To(Succeed())
		props := s["definitions"].(map[string]any)["step"].(map[string]any)["properties"].(map[string]any)
		Expect(sortedKeys(props)).To(Equal(append(checks.StepKinds(), "when")))
		for _, k := range checks.Declared().Steps {
			if k.Value.Kind != checks.KindObject {
				continue
			}
			Expect(sortedKeys(objectBranch(props[k.Name].(map[string]any))["properties"].(map[string]any))).
				To(ConsistOf(k.Value.FieldNames()), k.Name)
		}
	})
})

// objectBranch is the mapping form of a value that also has a short form.
func objectBranch(s map[string]any) map[string]any {
	if alts, ok := s["anyOf"].([]any); ok {
		return alts[1].(map[string]any)
	}
	return s
}

func sortedKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
