package checks

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("timeNear, which judges the time a server stamps", func() {
	now := time.Date(2026, 11, 24, 13, 5, 9, 0, time.Local)
	DescribeTable("at 13:05:09, within 2 seconds",
		func(text string, near bool) {
			Expect(timeNear(text, 2, now)).To(Equal(near))
		},
		Entry("strftime('%H:%M:%S') appended", "hello abc 13:05:09", true),
		Entry("time.ctime() prepended, a second late", "Tue Nov 24 13:05:10 2026 | hello", true),
		Entry("in brackets, two seconds early", "[13:05:07] hello", true),
		Entry("a 12-hour clock", "01:05:09 PM hello", true),
		Entry("three seconds off", "hello 13:05:12", false),
		Entry("an hour off", "hello 12:05:09", false),
		Entry("no seconds", "hello 1305", false),
		Entry("nowhere near", "hello 23:59:59", false),
	)
	It("wraps at midnight", func() {
		Expect(timeNear("23:59:59", 2, time.Date(2026, 11, 24, 0, 0, 1, 0, time.Local))).To(BeTrue())
	})
})
