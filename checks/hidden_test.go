package checks_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
)

var _ = Describe("A check's hidden key", func() {
	checkWith := func(hidden string) string {
		return exercise("  - id: a\n    title: A\n" + hidden + "    steps: [{connect: {}}]\n")
	}

	DescribeTable("says how much of the check students see",
		func(hidden string, want result.Hiding) {
			ex, err := checks.Load("x.yaml", []byte(checkWith(hidden)))
			Expect(err).NotTo(HaveOccurred())
			Expect(ex.Checks[0].Hidden).To(Equal(want))
		},
		Entry("no key: everything", "", result.NotHidden),
		Entry("false: everything", "    hidden: false\n", result.NotHidden),
		Entry("true: the title and points, not the details", "    hidden: true\n", result.HiddenDetails),
		Entry("all: nothing of the check itself", "    hidden: all\n", result.HiddenAll),
	)

	DescribeTable("refuses anything else, at file:line:col",
		func(hidden, want string) {
			_, err := checks.Load("exercises/x.yaml", []byte(checkWith(hidden)))
			Expect(err).To(MatchError(want))
		},
		Entry("a word it does not know", "    hidden: details\n",
			`exercises/x.yaml:7:13: hidden must be true (details hidden, title and points shown), all (the whole check hidden) or false, not "details"`),
		Entry("a quoted true, which is text", "    hidden: \"true\"\n",
			`exercises/x.yaml:7:13: hidden must be true (details hidden, title and points shown), all (the whole check hidden) or false, not "true"`),
		Entry("a list", "    hidden: [all]\n",
			`exercises/x.yaml:7:13: hidden must be a single value, not a list`),
	)
})
