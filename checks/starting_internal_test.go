package checks

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Start-up time under load", func() {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	clockWith := func(starting int64, cores int) *startClock {
		c := newStartClock(5*time.Second, t0)
		c.cores = cores
		c.load = func() int64 { return starting }
		return c
	}

	DescribeTable("a 5 s start-up limit on 2 cores lasts, in wall time,",
		func(starting int64, wall time.Duration) {
			c := clockWith(starting, 2)
			extra := c.tick(t0.Add(wall - time.Millisecond))
			Expect(c.expired()).To(BeFalse(), "a millisecond before")
			extra += c.tick(t0.Add(wall))
			Expect(c.expired()).To(BeTrue(), "at the end")
			Expect(extra).To(Equal(wall-5*time.Second), "the check's deadline moves by the time that did not count")
		},
		Entry("5 s while it starts alone", int64(1), 5*time.Second),
		Entry("5 s while two start on two cores", int64(2), 5*time.Second),
		Entry("10 s while four start", int64(4), 10*time.Second),
		Entry("40 s while sixteen start", int64(16), 40*time.Second),
	)

	It("counts each stretch of time at the share the program had then", func() {
		starting := int64(8)
		c := clockWith(0, 2)
		c.load = func() int64 { return starting }
		c.tick(t0.Add(4 * time.Second)) // 8 starting: 1 s counts
		starting = 1
		c.tick(t0.Add(7 * time.Second)) // alone: 3 s count
		Expect(c.charged).To(Equal(4 * time.Second))
		Expect(c.expired()).To(BeFalse())
		c.tick(t0.Add(8 * time.Second))
		Expect(c.expired()).To(BeTrue())
	})

	It("looks less often while many programs start, so that the looks cost the same", func() {
		Expect(clockWith(1, 2).poll()).To(Equal(startPoll))
		Expect(clockWith(16, 2).poll()).To(Equal(8 * startPoll))
	})

	It("gives a program's place back once, however often its end is told", func() {
		before := booting.Load()
		t := beginBoot()
		Expect(booting.Load()).To(Equal(before + 1))
		t.end()
		t.end()
		Expect(booting.Load()).To(Equal(before))
	})
})
