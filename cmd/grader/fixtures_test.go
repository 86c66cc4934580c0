package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"
)

// fixture.yaml, beside each sample submission, says what the grader must
// conclude about it, check by check.
type fixtureSpec struct {
	About    string    `yaml:"about"`
	Cmd      string    `yaml:"cmd"`
	Verdicts yaml.Node `yaml:"verdicts"`
}

type verdict struct{ id, status string }

func loadFixture(dir string) (fixtureSpec, []verdict) {
	var spec fixtureSpec
	data, err := os.ReadFile(filepath.Join(dir, "fixture.yaml"))
	Expect(err).NotTo(HaveOccurred())
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	Expect(dec.Decode(&spec)).To(Succeed(), dir)
	var out []verdict
	for i := 0; i+1 < len(spec.Verdicts.Content); i += 2 {
		out = append(out, verdict{spec.Verdicts.Content[i].Value, spec.Verdicts.Content[i+1].Value})
	}
	return spec, out
}

type jsonResult struct {
	Exercise string `json:"exercise"`
	Seed     uint64 `json:"seed"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Checks   []struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"checks"`
}

// Every fixture under fixtures/EXERCISE/NAME is graded and each check's
// verdict compared with its fixture.yaml. Fixtures of one exercise share
// hard-coded ports, so they run one after another (Serial).
var _ = Describe("Grading the sample submissions", Serial, func() {
	dirs, _ := filepath.Glob(filepath.Join(repoRoot(), "fixtures", "*", "*", "fixture.yaml"))
	for _, f := range dirs {
		dir := filepath.Dir(f)
		exercise := filepath.Base(filepath.Dir(dir))
		name := filepath.Base(dir)
		It(exercise+"/"+name+" gets exactly the verdicts its fixture.yaml lists", func() {
			spec, want := loadFixture(dir)
			args := []string{"check", exercise, "--dir", dir, "--format", "json", "--seed", "1234", "--show-hidden"}
			if spec.Cmd != "" {
				args = append(args, "--cmd", spec.Cmd)
			}
			s := grader(args...)
			var res jsonResult
			Expect(json.Unmarshal(s.Out.Contents(), &res)).To(Succeed(), string(s.Err.Contents()))
			got := map[string]string{}
			var order []string
			for _, c := range res.Checks {
				got[c.ID] = c.Status
				order = append(order, c.ID)
			}
			var wantOrder []string
			for _, v := range want {
				wantOrder = append(wantOrder, v.id)
				Expect(got[v.id]).To(Equal(v.status), "check %s of %s: %s", v.id, name, messageOf(res, v.id))
			}
			Expect(order).To(Equal(wantOrder), "fixture.yaml must list every check, in order")
			// A bad fixture fails exactly the check its name begins with
			// (bad-CHECK or bad-CHECK-what); the others pass or are skipped.
			if rest, ok := strings.CutPrefix(name, "bad-"); ok {
				var failed []string
				for _, v := range want {
					if v.status == "failed" || v.status == "error" {
						failed = append(failed, v.id)
					}
				}
				Expect(failed).To(HaveLen(1), "a bad fixture fails one check")
				Expect(rest == failed[0] || strings.HasPrefix(rest, failed[0]+"-")).To(BeTrue(), "%s fails %s, which its name does not begin with", name, failed[0])
			}
			allPassed := true
			for _, v := range want {
				allPassed = allPassed && v.status == "passed"
			}
			if allPassed {
				Expect(s).To(gexecExit(0))
				Expect(res.Score).To(Equal(res.MaxScore))
			} else {
				Expect(s).To(gexecExit(1))
			}
		})
	}
})

func messageOf(res jsonResult, id string) string {
	for _, c := range res.Checks {
		if c.ID == id {
			return c.Message
		}
	}
	return "no such check in the result"
}
