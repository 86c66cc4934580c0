package report

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/acme-lab/grader/checks/result"
)

// classFigures is what the class report shows above the transcripts: small
// (a row per student), gathered in one pass over the class.
type classFigures struct {
	Exercise, Title      string
	Students, Graded     int
	FullMarks, NotGraded int
	MaxScore             int
	Mean, Median         string
	Seed                 string
	Histogram            []histogramBar
	Checks               []checkFigure
	Slowest              []studentRow
	Rows                 []studentRow
	Columns              []checkColumn
	scores               []int
	seeds                map[uint64]bool
	failures             []map[string]int // per column: message → students
	columnOf             map[string]int
}

type histogramBar struct {
	Label  string
	Count  int
	Height int // percent of the tallest bar
}

type checkFigure struct {
	ID, Title     string
	Passed, Total int
	Percent       int
	Failures      int    // graded students who did not pass it (skipped aside)
	Common        string // the most common failure message
	CommonCount   int
}

type studentRow struct {
	Anchor, Name string
	Score, Max   int
	Full         bool
	Cells        []statusCell
	Millis       string // for sorting
	Time         string
	duration     float64
	Seed         uint64
	Problem      string
	Submission   string
}

type statusCell struct {
	Status     result.Status
	Mark       string
	Score, Max int
}

var marks = map[result.Status]string{result.Passed: "✓", result.Failed: "✗", result.Skipped: "–", result.Error: "!"}

func gatherFigures(c Class) (*classFigures, error) {
	cols, err := c.columns()
	if err != nil {
		return nil, err
	}
	f := &classFigures{Columns: cols, Exercise: c.Exercise, seeds: map[uint64]bool{}, columnOf: map[string]int{}}
	for i, col := range cols {
		f.columnOf[col.ID] = i
		f.failures = append(f.failures, map[string]int{})
		f.Checks = append(f.Checks, checkFigure{ID: col.ID, Title: col.Title})
	}
	for g, err := range c.Students() {
		if err != nil {
			return nil, err
		}
		f.add(g)
	}
	f.finish()
	return f, nil
}

func (f *classFigures) add(g *result.Graded) {
	if f.Title == "" {
		f.Title = g.Title
		if f.Exercise == "" {
			f.Exercise = g.Exercise
		}
	}
	f.Students++
	f.MaxScore = max(f.MaxScore, g.MaxScore)
	f.scores = append(f.scores, g.Score)
	f.seeds[g.Seed] = true
	row := studentRow{
		Anchor: "s" + strconv.Itoa(f.Students), Name: g.Student, Score: g.Score, Max: g.MaxScore,
		Seed: g.Seed, Problem: g.Error, Submission: g.Submission,
		Millis: strconv.FormatFloat(float64(g.Duration), 'f', 1, 64), duration: float64(g.Duration), Time: strconv.FormatFloat(float64(g.Duration)/1000, 'f', 1, 64) + " s",
	}
	row.Full = g.Error == "" && g.Score == g.MaxScore
	row.Cells = make([]statusCell, len(f.Columns))
	for _, ch := range g.Checks {
		i, ok := f.columnOf[ch.ID]
		if !ok {
			continue
		}
		row.Cells[i] = statusCell{Status: ch.Status, Mark: marks[ch.Status], Score: ch.Score, Max: ch.MaxScore}
		fig := &f.Checks[i]
		fig.Total++
		if ch.Status == result.Passed {
			fig.Passed++
		} else if g.Error == "" && ch.Status != result.Skipped {
			fig.Failures++
			f.failures[i][ch.Message]++
		}
	}
	if g.Error == "" {
		f.Graded++
	} else {
		f.NotGraded++
	}
	if row.Full {
		f.FullMarks++
	}
	f.Rows = append(f.Rows, row)
}

func (f *classFigures) finish() {
	for i := range f.Checks {
		fig := &f.Checks[i]
		if fig.Total > 0 {
			fig.Percent = fig.Passed * 100 / fig.Total
		}
		// The most common message; among equals, the first in byte order,
		// so the report is the same however the class was graded.
		for msg, n := range f.failures[i] {
			if n > fig.CommonCount || (n == fig.CommonCount && msg < fig.Common) {
				fig.Common, fig.CommonCount = msg, n
			}
		}
	}
	if len(f.seeds) == 1 {
		for s := range f.seeds {
			f.Seed = fmt.Sprintf("seed %d", s)
		}
	} else if len(f.seeds) > 1 {
		f.Seed = "a seed per student"
	}
	sorted := append([]int(nil), f.scores...)
	sort.Ints(sorted)
	if n := len(sorted); n > 0 {
		sum := 0
		for _, s := range sorted {
			sum += s
		}
		f.Mean = strconv.FormatFloat(float64(sum)/float64(n), 'f', 1, 64)
		median := float64(sorted[n/2])
		if n%2 == 0 {
			median = float64(sorted[n/2-1]+sorted[n/2]) / 2
		}
		f.Median = strconv.FormatFloat(median, 'f', 1, 64)
	}
	f.histogram()
	f.slowest()
}

// histogram has a bar per score up to 25 points, ten bars of equal width
// above that.
func (f *classFigures) histogram() {
	width := 1
	if f.MaxScore > 25 {
		width = (f.MaxScore + 10) / 10
	}
	var bars []histogramBar
	for low := 0; low <= f.MaxScore; low += width {
		high := min(low+width-1, f.MaxScore)
		label := strconv.Itoa(low)
		if high != low {
			label += "–" + strconv.Itoa(high)
		}
		n := 0
		for _, s := range f.scores {
			if s >= low && s <= high {
				n++
			}
		}
		bars = append(bars, histogramBar{Label: label, Count: n})
	}
	tallest := 1
	for _, b := range bars {
		tallest = max(tallest, b.Count)
	}
	for i := range bars {
		bars[i].Height = bars[i].Count * 100 / tallest
	}
	f.Histogram = bars
}

// slowest lists the five graded submissions that took longest: a server
// that never answers and runs every check into its timeout shows here.
func (f *classFigures) slowest() {
	var graded []studentRow
	for _, r := range f.Rows {
		if r.Problem == "" {
			graded = append(graded, r)
		}
	}
	sort.SliceStable(graded, func(i, j int) bool { return graded[i].duration > graded[j].duration })
	f.Slowest = graded[:min(5, len(graded))]
}
