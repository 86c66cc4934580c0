package checks

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Comparing JSON exactly (json_equal)", func() {
	want := map[string]any{"title": "a&b", "date": "1421044443"}
	DescribeTable("names the first difference",
		func(body, diff string) {
			var got any
			Expect(json.Unmarshal([]byte(body), &got)).To(Succeed())
			Expect(jsonDiff(want, got, "$")).To(Equal(diff))
		},
		Entry("the same object, keys in another order", `{"date": "1421044443", "title": "a&b"}`, ""),
		Entry("a number where a string was expected", `{"title": "a&b", "date": 1421044443}`,
			`$.date is the number 1421044443, but the string "1421044443" was expected`),
		Entry("a key missing", `{"title": "a&b"}`, `it lacks the key "date" ($.date)`),
		Entry("a key too many", `{"title": "a&b", "date": "1421044443", "body": ""}`, `it has the key "body" ($.body), which should not be there`),
		Entry("a value a byte off", `{"title": "a&b\n", "date": "1421044443"}`, `$.title is the string "a&b\n", but the string "a&b" was expected`),
		Entry("a list instead of an object", `["a&b"]`, `$ is the list ["a&b"], but an object was expected`),
	)
})
