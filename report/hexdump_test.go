package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
	"github.com/acme-lab/grader/report/reporttest"
)

var _ = Describe("The packet view (tcpdump -X)", func() {
	DescribeTable("shows offset, 16 bytes in groups of two, and the printable ASCII",
		func(data string, at int, want string) {
			Expect(report.Hexdump([]byte(data), at, "", 4, "^")).To(Equal(strings.TrimPrefix(want, "\n")))
		},
		Entry("a short binary reply", "\x00\x03\x00\x00\x00\x07", -1, `
0x0000:  0003 0000 0007                           ......`),
		Entry("text, with CRLF as dots", "GET / HTTP/1.1\r\nHost: x\r\n", -1, `
0x0000:  4745 5420 2f20 4854 5450 2f31 2e31 0d0a  GET./.HTTP/1.1..
0x0010:  486f 7374 3a20 780d 0a                   Host:.x..`),
		Entry("a caret under the wrong byte's hex and ASCII", "\x00\x00\x00\x00\x00\x00\x00\x0dabcdefghij", 7, `
0x0000:  0000 0000 0000 000d 6162 6364 6566 6768  ........abcdefgh
                          ^^                             ^
0x0010:  696a                                     ij`),
		Entry("a caret past the end, where bytes are missing", "\x00\x00\x00\x0c", 4, `
0x0000:  0000 000c                                ....
                   ^^                                 ^ (nothing from here on)`),
		Entry("long data: rows around the caret, and what is left out", strings.Repeat("a", 200), 120, `
… 80 bytes before
0x0050:  6161 6161 6161 6161 6161 6161 6161 6161  aaaaaaaaaaaaaaaa
0x0060:  6161 6161 6161 6161 6161 6161 6161 6161  aaaaaaaaaaaaaaaa
0x0070:  6161 6161 6161 6161 6161 6161 6161 6161  aaaaaaaaaaaaaaaa
                             ^^                           ^
0x0080:  6161 6161 6161 6161 6161 6161 6161 6161  aaaaaaaaaaaaaaaa
… 56 more bytes`),
	)

	It("is how the text report shows a check's bytes with --hexdump or the exercise's hexdump: true", func() {
		at := 7
		r := &result.Result{Version: 1, Exercise: "binary", Title: "Sums", Seed: 7, Hexdump: true, Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			Score: 0, MaxScore: 1, Checks: []result.Check{{
				ID: "sum", Title: "One request gets its sum", Status: result.Failed, MaxScore: 1,
				Message:  "Expected 8 bytes (00 00 00 00 00 00 00 0c), but the reply differs at offset 0x0007: it is 0x0d where 0x0c was expected.",
				Expected: "8 bytes (00 00 00 00 00 00 00 0c)", Got: "\x00\x00\x00\x00\x00\x00\x00\x0d", GotAt: &at,
				Transcript: []result.Event{
					{At: 0, Kind: result.Start, Data: "python3 sum_server.py"},
					{At: 30, Kind: result.Connect, Conn: "main", Data: "127.0.0.1:7000"},
					{At: 31, Kind: result.Send, Conn: "main", Data: "\x00\x03\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00\x05"},
					{At: 33, Kind: result.Recv, Conn: "main", Data: "\x00\x00\x00\x00\x00\x00\x00\x0d"},
					{At: 35, Kind: result.Stdout, Data: "summed 3 numbers\n"},
				},
			}}}
		reporttest.ExpectGolden(goldenPath("text-hexdump.txt"), render("text", report.Options{}, func() *result.Result { return r }))
	})

	It("keeps bytes that are not UTF-8 exact in JSON, and reads them back", func() {
		raw := "\x00\xff\xfe binary \x80"
		at := 1
		r := &result.Result{Version: 1, Checks: []result.Check{{ID: "b", Got: raw, GotAt: &at, Transcript: []result.Event{
			{Kind: result.Recv, Conn: "main", Data: raw},
			{Kind: result.Send, Conn: "main", Data: "plain text"},
		}}}}
		var b bytes.Buffer
		Expect(report.JSON(&b, r)).To(Succeed())
		Expect(b.String()).To(ContainSubstring(`"data_base64": "AP/+IGJpbmFyeSCA"`))
		Expect(b.String()).To(ContainSubstring(`"got_base64": "AP/+IGJpbmFyeSCA"`))
		Expect(strings.Count(b.String(), "base64")).To(Equal(2), "valid UTF-8 needs no copy")
		var back result.Result
		Expect(json.Unmarshal(b.Bytes(), &back)).To(Succeed())
		Expect(back.Checks[0].Got).To(Equal(raw))
		Expect(back.Checks[0].Transcript[0].Data).To(Equal(raw))
		Expect(back.Checks[0].Transcript[1].Data).To(Equal("plain text"))
		Expect(*back.Checks[0].GotAt).To(Equal(1))
	})
})
