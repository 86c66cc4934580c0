package checks

import (
	"math/rand/v2"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("The byte functions of expressions", func() {
	env := functions(rand.New(rand.NewPCG(1, 2)), time.Now)
	eval := func(src string) (any, error) {
		// Compiled as the loader does: checked against the grader's
		// functions, whose byte functions take a number or bytes.
		d := &decoder{file: "x.yaml", sc: newScope()}
		e := d.compile(nil, src, -1, "test", nil)
		Expect(d.errs).To(BeEmpty())
		return e.Eval(env)
	}
	DescribeTable("pack numbers into bytes and read them back",
		func(src string, want any) {
			Expect(eval(src)).To(Equal(want))
		},
		Entry("a 2-byte big-endian count", "u16be(3)", "\x00\x03"),
		Entry("little-endian", "u32le(7)", "\x07\x00\x00\x00"),
		Entry("concatenated fields", "u16be(1) + u32be(258)", "\x00\x01\x00\x00\x01\x02"),
		Entry("a number that an expression made a float", "u32be(2**24)", "\x01\x00\x00\x00"),
		Entry("a signed negative number", "i16be(-2)", "\xff\xfe"),
		Entry("bytes read back as a number", "u64be(u64be(4294967296 + 5))", 4294967301),
		Entry("a signed byte read back", "i8(bytes([255]))", -1),
		Entry("an unsigned 64-bit value beyond an int", "u64be(bytes([255,255,255,255,255,255,255,255]))", uint64(1<<64-1)),
		Entry("bytes from a list", "bytes([0, 255, 10])", "\x00\xff\n"),
		Entry("hex for messages", "hex(u32be(12))", "00 00 00 0c"),
		Entry("random bytes, as many as asked", "len(randBytes(16)) > 0", true),
	)
	It("are checked at load time like every function: a wrong number of arguments is a load error", func() {
		d := &decoder{file: "x.yaml", sc: newScope()}
		Expect(d.compile(nil, "u32be(1, 2)", -1, "test", nil)).To(BeNil())
		Expect(d.errs).To(HaveLen(1))
		Expect(d.errs[0].Msg).To(Equal(`test: "u32be(1, 2)": too many arguments to call u32be`))
	})
	DescribeTable("refuse what does not fit, saying why",
		func(src, msg string) {
			_, err := eval(src)
			Expect(err).To(MatchError(ContainSubstring(msg)))
		},
		Entry("too big for 2 bytes", "u16be(70000)", "u16be: 70000 does not fit in 2 bytes"),
		Entry("negative for an unsigned kind", "u8(-1)", "u8: -1 does not fit in 1 bytes"),
		Entry("not a whole number", "u32be(1.5)", "u32be: 1.5 is not a whole number"),
		Entry("the wrong number of bytes to read", `u64be("abc")`, "u64be reads exactly 8 bytes, but was given 3"),
		Entry("a list item that is no byte", "bytes([1, 300])", "item 1 (300) is not a byte"),
	)
})
