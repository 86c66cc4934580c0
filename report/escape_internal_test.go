package report

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// What each format does to text it did not write itself, input → output.
var _ = Describe("Escaping text for each format", func() {
	DescribeTable("a workflow command's message, as @actions/core escapes it",
		func(in, want string) { Expect(ghData(in)).To(Equal(want)) },
		Entry("percent first, so escapes stay escapes", "100%0A", "100%250A"),
		Entry("line breaks, which would start a new command", "a\r\n::error::x", "a%0D%0A::error::x"),
		Entry("colons and commas stay in a message", "a: b, c", "a: b, c"),
	)

	DescribeTable("a workflow command's property value",
		func(in, want string) { Expect(ghProperty(in)).To(Equal(want)) },
		Entry("colons and commas too", "a: b, c", "a%3A b%2C c"),
		Entry("a forged end of properties", "x::error::y", "x%3A%3Aerror%3A%3Ay"),
		Entry("line breaks and percent", "50%\n", "50%25%0A"),
	)

	DescribeTable("one line of text (titles, descriptions, cells)",
		func(in, want string) { Expect(oneLine(in, 20)).To(Equal(want)) },
		Entry("line breaks and tabs become single spaces", "a\r\n\tb\n", "a b"),
		Entry("an ANSI escape loses its ESC", "\x1b[31mred", "�[31mred"),
		Entry("invalid UTF-8 becomes U+FFFD", "a\xffb", "a�b"),
		Entry("long text is cut with an ellipsis", "0123456789012345678901234", "0123456789012345678…"),
	)

	DescribeTable("a TAP description",
		func(in, want string) { Expect(tapText(in)).To(Equal(want)) },
		Entry("# would start a directive", "a # SKIP b", `a \# SKIP b`),
		Entry("a backslash is doubled", `a\b`, `a\\b`),
	)

	DescribeTable("a YAML value in a TAP diagnostic stays one double-quoted line",
		func(in, want string) { Expect(yamlString(in)).To(Equal(want)) },
		Entry("line breaks and quotes", "a\n\"b\"", `"a\n\"b\""`),
		Entry("controls JSON escapes", "\x00\x1b", `"\u0000\u001b"`),
		Entry("what YAML forbids raw but JSON does not escape", "\x7f\u0085\ufffe", `"\u007f\u0085\ufffe"`),
		Entry("HTML is left alone", "<a>&", `"<a>&"`),
	)

	DescribeTable("XML text",
		func(in, want string) { Expect(xmlBody(in)).To(Equal(want)) },
		Entry("markup is escaped, line breaks kept", "</failure>\n&", "&lt;/failure&gt;\n&amp;"),
		Entry("characters XML 1.0 cannot hold are dropped", "a\x00\x0b\x1bb\ufffec", "abc"),
		Entry("invalid UTF-8 becomes U+FFFD", "a\xffb", "a�b"),
	)

	DescribeTable("Markdown text",
		func(in, want string) { Expect(mdText(in, 100)).To(Equal(want)) },
		Entry("a table bar", "a|b", `a\|b`),
		Entry("HTML", "<img src=x>", `\<img src\=x\>`),
		Entry("a link", "[x](http://e)", `\[x\]\(http\:\/\/e\)`),
		Entry("letters, digits and spaces as they are", "ab 12 é", "ab 12 é"),
	)
})
