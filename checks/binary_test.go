package checks_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/proc"
	"github.com/acme-lab/grader/checks/result"
)

// sumServer answers each request (a 2-byte count, then that many 4-byte
// numbers, big-endian) with the 8-byte sum, plus whatever EXTRA says.
const sumServer = `
import socket, struct
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
buf = b""
def take(n):
    global buf
    while len(buf) < n:
        d = c.recv(100)
        if not d:
            raise SystemExit
        buf += d
    out, buf = buf[:n], buf[n:]
    return out
while True:
    n, = struct.unpack(">H", take(2))
    nums = struct.unpack(">%dI" % n, take(4 * n))
    c.sendall(struct.pack(">Q", sum(nums) + OFFSET) + EXTRA)
`

func sumServerWith(offset, extra string) string {
	return strings.NewReplacer("OFFSET", offset, "EXTRA", extra).Replace(sumServer)
}

const sumCheck = `
  - id: sum
    title: sum
    vars:
      nums: '[3, 4, 5]'
    steps:
      - connect: {}
      - send: {pack: [{u16be: len(nums)}, {u32be: nums}]}
      - expect: {pack: [{u64be: sum(nums)}]}
      - quiet: {for: 200ms}
`

var _ = Describe("Binary messages", func() {
	It("packs a request field by field and compares the reply byte for byte", func() {
		r := grade(sumServerWith("0", `b""`), sumCheck)
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
		Expect(r.Checks[0].Transcript).To(ContainElement(HaveField("Data", "\x00\x03\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00\x05")))
	})

	It("names the first byte that differs by its offset, in hex", func() {
		r := grade(sumServerWith("1", `b""`), sumCheck)
		c := r.Checks[0]
		Expect(c.Status).To(Equal(result.Failed))
		Expect(c.Message).To(Equal("Expected 8 bytes (00 00 00 00 00 00 00 0c), but the reply differs at offset 0x0007: it is 0x0d where 0x0c was expected."))
		Expect(c.Got).To(Equal("\x00\x00\x00\x00\x00\x00\x00\x0d"))
		Expect(*c.GotAt).To(Equal(7))
	})

	It("says how many bytes came when the reply is short", func() {
		r := grade(strings.Replace(sumServerWith("0", `b""`), `struct.pack(">Q", sum(nums) + 0)`, `struct.pack(">I", sum(nums))`, 1), sumCheck)
		Expect(r.Checks[0].Message).To(Equal("Expected 8 bytes (00 00 00 00 00 00 00 0c), but only 4 arrived (no more arrived within 1s), and the reply differs at offset 0x0003: it is 0x0c where 0x00 was expected."))
		Expect(*r.Checks[0].GotAt).To(Equal(3))
		r = grade(strings.Replace(sumServerWith("0", `b""`), `struct.pack(">Q", sum(nums) + 0)`, `bytes(4)`, 1), sumCheck)
		Expect(r.Checks[0].Message).To(Equal("Expected 8 bytes (00 00 00 00 00 00 00 0c), but only 4 arrived; no more arrived within 1s."))
		Expect(*r.Checks[0].GotAt).To(Equal(4))
	})

	It("fails a reply followed by more bytes than the protocol has", func() {
		r := grade(sumServerWith("0", `b"\n"`), sumCheck)
		Expect(r.Checks[0].Message).To(Equal("Your program sent 1 more byte(s), but the grader expected nothing more for 200ms."))
		Expect(r.Checks[0].Got).To(Equal("\n"))
	})

	It("sends a message in pieces, each its own write, when split", func() {
		r := grade(sumServerWith("0", `b""`), strings.Replace(sumCheck, "{u32be: nums}]}", "{u32be: nums}], split: 3, gap: 10ms}", 1))
		Expect(r.Checks[0].Message).To(BeEmpty())
		var sends []string
		for _, e := range r.Checks[0].Transcript {
			if e.Kind == result.Send {
				sends = append(sends, e.Data)
			}
		}
		Expect(sends).To(Equal([]string{"\x00\x03\x00", "\x00\x00\x03", "\x00\x00\x00", "\x04\x00\x00", "\x00\x05"}))
	})

	It("sends the next piece once the program took in the last and waits for more: pieces 5s apart fit in a check of 3s", func() {
		if !proc.IdleKnowable() {
			Skip("this system does not show whether a program waits")
		}
		check := strings.Replace(sumCheck, "{u32be: nums}]}", "{u32be: nums}], split: 4, gap: 5s}", 1)
		r := grade(sumServerWith("0", `b""`), strings.Replace(check, "title: sum\n", "title: sum\n    timeout: 3s\n", 1))
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}), r.Checks[0].Message)
	})

	// gapsOf grades the server with the request sent 7 pieces gap apart,
	// and returns when the first two pieces were sent.
	gapsOf := func(server, gap string) (first, second float64) {
		r := grade(server, strings.Replace(sumCheck, "{u32be: nums}]}", "{u32be: nums}], split: 7, gap: "+gap+"}", 1))
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}), r.Checks[0].Message)
		var at []float64
		for _, e := range r.Checks[0].Transcript {
			if e.Kind == result.Send {
				at = append(at, float64(e.At))
			}
		}
		Expect(at).To(HaveLen(2))
		return at[0], at[1]
	}
	withTimeout := func(seconds string) string {
		return strings.Replace(sumServerWith("0", `b""`), "        d = c.recv(100)", "        c.settimeout("+seconds+")\n        try:\n            d = c.recv(100)\n        except socket.timeout:\n            continue", 1)
	}

	It("waits the gap for a program whose wait times out within it: it may act by itself", func() {
		// recv polls for 50 ms at a time: the gap may end once a poll
		// begun can only time out after the gap would have, not sooner.
		first, second := gapsOf(withTimeout("0.05"), "150ms")
		Expect(second - first).To(BeNumerically(">=", 100))
	})

	It("ends the gap sooner for a program whose wait cannot time out within it", func() {
		if !proc.IdleKnowable() {
			Skip("this system does not show whether a program waits")
		}
		first, second := gapsOf(withTimeout("30"), "2s")
		Expect(second - first).To(BeNumerically("<", 1000))
	})

	It("keeps a number of bytes in a variable, for expressions to unpack", func() {
		r := grade(sumServerWith("0", `b""`), `
  - id: unpack
    title: unpack
    steps:
      - connect: {}
      - send: {pack: [{u16be: 2}, {u32be: '[4294967295, 4294967295]'}]}
      - expect: {bytes: 8, capture: reply}
      - assert: {that: 'u64be(reply) == 2 * 4294967295', message: 'got {{ u64be(reply) }} ({{ hex(reply) }})'}
`)
		Expect(r.Checks[0].Message).To(BeEmpty())
		Expect(statusOf(r)).To(Equal([]result.Status{result.Passed}))
	})
})
