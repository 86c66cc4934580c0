package report

import (
	"encoding/csv"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// Class is what the class reports read: every student's result, in the
// order the reports list them. Students may be called any number of times,
// each call going through the class again (the HTML report reads it twice:
// the figures, then the transcripts), so that a class of any size is never
// all in memory at once. Results are the instructor's: hidden checks are
// shown.
type Class struct {
	Students func() iter.Seq2[*result.Graded, error]
	// Exercise is what `grader check` is given to replay one student's
	// run (a name, or an exercise file).
	Exercise string
}

// checkColumn is one check as the class reports list it.
type checkColumn struct {
	ID, Title string
	MaxScore  int
}

// columns lists the checks of the class, in the exercise's order: those of
// the first student graded, and any others met after them (a class graded
// in several runs of an exercise that changed).
func (c Class) columns() ([]checkColumn, error) {
	var cols []checkColumn
	seen := map[string]bool{}
	for g, err := range c.Students() {
		if err != nil {
			return nil, err
		}
		for _, ch := range g.Checks {
			if !seen[ch.ID] {
				seen[ch.ID] = true
				cols = append(cols, checkColumn{ch.ID, ch.Title, ch.MaxScore})
			}
		}
	}
	return cols, nil
}

// GradesCSV writes grades.csv: a header row, then one row per student with
// the score, the maximum, each check's points (in the exercise's order,
// headed by its id), the seed it was graded with, and why it could not be
// graded, when it could not. A cell a spreadsheet would take for a formula
// (=, +, -, @ first) gets a ' in front (OWASP's advice for CSV exports): a
// student named "=HYPERLINK(…)" stays a name.
func GradesCSV(w io.Writer, c Class) error {
	cols, err := c.columns()
	if err != nil {
		return err
	}
	out := csv.NewWriter(w)
	header := []string{"student", "score", "max"}
	for _, col := range cols {
		header = append(header, col.ID)
	}
	header = append(header, "seed", "error")
	if err := out.Write(header); err != nil {
		return err
	}
	for g, err := range c.Students() {
		if err != nil {
			return err
		}
		byID := map[string]result.Check{}
		for _, ch := range g.Checks {
			byID[ch.ID] = ch
		}
		row := []string{textCell(g.Student), strconv.Itoa(g.Score), strconv.Itoa(g.MaxScore)}
		for _, col := range cols {
			cell := ""
			if ch, ok := byID[col.ID]; ok {
				cell = strconv.Itoa(ch.Score)
			}
			row = append(row, cell)
		}
		row = append(row, strconv.FormatUint(g.Seed, 10), textCell(g.Error))
		if err := out.Write(row); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
