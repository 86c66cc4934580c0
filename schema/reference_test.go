package schema_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/schema"
)

var generated = regexp.MustCompile(`(?s)<!-- generated: ([a-z-]+) -->\n(.*?)<!-- end generated -->`)

// refresh returns the document with every generated part made anew.
func refresh(doc string) string {
	sections := schema.Sections()
	return generated.ReplaceAllStringFunc(doc, func(m string) string {
		name := generated.FindStringSubmatch(m)[1]
		return "<!-- generated: " + name + " -->\n" + sections[name] + "<!-- end generated -->"
	})
}

var _ = Describe("The format reference, docs/exercise-format.md", func() {
	path := filepath.Join(repoRoot(), "docs", "exercise-format.md")

	It("holds every generated part, each exactly as the declared format makes it", func() {
		data, err := os.ReadFile(path)
		Expect(err).NotTo(HaveOccurred())
		doc := string(data)
		if os.Getenv("GRADER_UPDATE_DOCS") != "" {
			Expect(os.WriteFile(path, []byte(refresh(doc)), 0o644)).To(Succeed())
			return
		}
		var found []string
		for _, m := range generated.FindAllStringSubmatch(doc, -1) {
			found = append(found, m[1])
		}
		var want []string
		for name := range schema.Sections() {
			want = append(want, name)
		}
		sort.Strings(want)
		Expect(found).To(ConsistOf(want))
		Expect(refresh(doc)).To(Equal(doc), "the format changed: GRADER_UPDATE_DOCS=1 go test ./schema/ rewrites the generated parts")
	})

	It("names every step kind and every key of every step", func() {
		data, err := os.ReadFile(path)
		Expect(err).NotTo(HaveOccurred())
		for _, k := range schema.StepKeys() {
			Expect(string(data)).To(ContainSubstring("`"+k+"`"), k)
		}
	})

	It("is linked from the README", func() {
		readme, err := os.ReadFile(filepath.Join(repoRoot(), "README.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(strings.Contains(string(readme), "docs/exercise-format.md")).To(BeTrue())
	})
})
