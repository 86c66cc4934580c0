package reporttest

import (
	"encoding/json"
	"regexp"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
)

// Score reads the points a report gives, the way its consumer finds them,
// after holding the report to that consumer's rules. Where the consumer
// sums the tests (Classroom, and the per-test points of JUnit, CTRF and
// Gradescope) it checks that the sum is the total.
func Score(format, out string) (score, max int) {
	GinkgoHelper()
	switch format {
	case "text":
		return scoreLine(`Score: (\d+)/(\d+) points`, out)
	case "tap":
		ExpectTAP(out)
		return scoreLine(`(?m)^# score (\d+)/(\d+)$`, out)
	case "github":
		for _, c := range ActionsCommands(out) {
			if c.Name == "notice" {
				return scoreLine(`^Score (\d+)/(\d+) points`, UnescapeData(c.Message))
			}
		}
		Fail("the github log has no notice with the score")
	case "json":
		var doc struct {
			Score    *int `json:"score"`
			MaxScore *int `json:"max_score"`
		}
		gomega.Expect(json.Unmarshal([]byte(out), &doc)).To(gomega.Succeed())
		gomega.Expect(doc.Score).NotTo(gomega.BeNil())
		gomega.Expect(doc.MaxScore).NotTo(gomega.BeNil())
		return *doc.Score, *doc.MaxScore
	case "junit":
		root := ExpectJUnit(out)
		suite := root.All("testsuite")[0]
		score, max = property(suite, "score"), property(suite, "max_score")
		sum := 0
		for _, c := range root.All("testcase") {
			sum += property(c, "score")
		}
		gomega.Expect(sum).To(gomega.Equal(score), "the testcases' points must add up to the suite's")
		return score, max
	case "gradescope":
		doc := ExpectGradescope(out)
		var sum, maxSum float64
		for _, t := range doc["tests"].([]any) {
			sum += t.(map[string]any)["score"].(float64)
			maxSum += t.(map[string]any)["max_score"].(float64)
		}
		gomega.Expect(doc["score"]).To(gomega.Equal(sum), "the tests' points must add up to the score")
		return int(sum), int(maxSum)
	case "github-classroom":
		total, max := ExpectClassroom(out).Points()
		return int(total), max
	case "ctrf":
		ExpectCTRF(out)
		var doc struct {
			Results struct {
				Tests []struct {
					Extra struct {
						Score int `json:"score"`
					} `json:"extra"`
				} `json:"tests"`
				Extra struct {
					Score    int `json:"score"`
					MaxScore int `json:"max_score"`
				} `json:"extra"`
			} `json:"results"`
		}
		gomega.Expect(json.Unmarshal([]byte(out), &doc)).To(gomega.Succeed())
		sum := 0
		for _, t := range doc.Results.Tests {
			sum += t.Extra.Score
		}
		gomega.Expect(sum).To(gomega.Equal(doc.Results.Extra.Score), "the tests' points must add up to the score")
		return doc.Results.Extra.Score, doc.Results.Extra.MaxScore
	default:
		Fail("no score reader for the format " + format)
	}
	return 0, 0
}

func scoreLine(pattern, s string) (int, int) {
	GinkgoHelper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	gomega.Expect(m).NotTo(gomega.BeNil(), "no score matching %s", pattern)
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	return a, b
}

func property(n XMLNode, name string) int {
	GinkgoHelper()
	for _, p := range n.Nodes {
		if p.XMLName.Local != "properties" {
			continue
		}
		for _, q := range p.Nodes {
			if k, _ := q.Attr("name"); k == name {
				v, _ := q.Attr("value")
				i, err := strconv.Atoi(v)
				gomega.Expect(err).NotTo(gomega.HaveOccurred())
				return i
			}
		}
	}
	Fail("<" + n.XMLName.Local + "> has no property " + name)
	return 0
}
