package report

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"strings"
)

// The class report is one HTML file with its style and script inside: it
// opens from a disk, a zip or an e-mail, and loads nothing from a network
// (its Content-Security-Policy forbids it, and allows only its own style and
// script, by hash, so that nothing a student's program printed could run
// even if it escaped its escaping).
var (
	//go:embed classhtml/page.html
	pageHTML string
	//go:embed classhtml/style.css
	pageCSS string
	//go:embed classhtml/script.js
	pageJS string

	classPage = template.Must(template.New("page").Funcs(template.FuncMap{
		"css":    func() template.CSS { return template.CSS(pageCSS) },
		"js":     func() template.JS { return template.JS(pageJS) },
		"policy": func() string { return policy },
		"quote":  shellQuote,
		"lower":  strings.ToLower,
		// Arithmetic for the SVG charts' coordinates; the pipe gives the
		// last argument ({{mul $i 40 | add 4}} is 4 + 40i).
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		"mul": func(a, b int) int { return a * b },
		"div": func(a, b int) int { return b / a },
	}).Parse(pageHTML))

	policy = "default-src 'none'; img-src data:; style-src '" + digest(pageCSS) + "'; script-src '" + digest(pageJS) + "'"
)

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// ClassHTML writes index.html, the class report a teacher reads: the score
// distribution, each check's pass rate and most common failure message, the
// slowest submissions, and a table of students (sortable, filterable), each
// linking to the student's transcript as the text report shows it (hidden
// checks included: the report is the instructor's). The class is read
// twice, the transcripts streamed one student at a time.
func ClassHTML(w io.Writer, c Class) error {
	fig, err := gatherFigures(c)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := classPage.ExecuteTemplate(bw, "head", fig); err != nil {
		return err
	}
	i := 0
	for g, err := range c.Students() {
		if err != nil {
			return err
		}
		if i >= len(fig.Rows) {
			break // the class grew since it was counted
		}
		row := fig.Rows[i]
		i++
		var text strings.Builder
		if err := (Text{Dir: g.Submission}).Write(&text, g.Result); err != nil {
			return err
		}
		data := struct {
			studentRow
			Exercise, Text string
		}{row, fig.Exercise, text.String()}
		if err := classPage.ExecuteTemplate(bw, "transcript", data); err != nil {
			return err
		}
	}
	if err := classPage.ExecuteTemplate(bw, "foot", fig); err != nil {
		return err
	}
	return bw.Flush()
}

// shellQuote quotes a word for a POSIX shell, so that a replay command with
// a folder named "Ana María (2)" or "$(rm -rf)" can be pasted as it is.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=+:,@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
