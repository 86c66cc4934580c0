package httpwire_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks/httpwire"
)

var _ = DescribeTable("Caret shows the bytes around an offset with a caret under it",
	func(raw string, off int, want string) {
		Expect(httpwire.Caret([]byte(raw), off)).To(Equal(want))
	},
	Entry("The caret stands under the first byte of a bad status code.",
		"HTTP/1.1 OK\r\n\r\n", 9,
		"\"HTTP/1.1 OK\\r\\n\\r\\n\"\n          ^"),
	Entry(`The caret stands under the escape of a bare "\n".`,
		"HTTP/1.1 200 OK\nX: y", 15,
		"\"HTTP/1.1 200 OK\\nX: y\"\n                ^"),
	Entry("An offset at the end puts the caret on the closing quote.",
		"HTTP/1.1 200 OK", 15,
		"\"HTTP/1.1 200 OK\"\n                ^"),
	Entry(`A long input is cut on both sides, marked by "..." outside the quotes.`,
		strings.Repeat("a", 40)+"!"+strings.Repeat("b", 40), 40,
		`..."`+strings.Repeat("a", 32)+"!"+strings.Repeat("b", 31)+`"...`+"\n"+strings.Repeat(" ", 36)+"^"),
)
