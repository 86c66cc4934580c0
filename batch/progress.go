package batch

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/acme-lab/grader/checks/result"
)

// Progress is told how a batch goes. Its methods may be called from several
// goroutines at once.
type Progress interface {
	// Begin: todo submissions to grade now, kept already graded in OUT.
	Begin(todo, kept int)
	Graded(g *result.Graded)
	// End: the batch is over; interrupted when some were left ungraded.
	End(interrupted bool)
}

type quiet struct{}

func (quiet) Begin(int, int)        {}
func (quiet) Graded(*result.Graded) {}
func (quiet) End(bool)              {}

// counts is what both kinds of progress show.
type counts struct {
	mu          sync.Mutex
	todo, kept  int
	done, full  int
	began       time.Time
	now         func() time.Time
	interrupted bool
}

func (c *counts) begin(todo, kept int) {
	c.todo, c.kept, c.began = todo, kept, c.now()
}

func (c *counts) graded(g *result.Graded) {
	c.done++
	if g.Error == "" && g.Score == g.MaxScore {
		c.full++
	}
}

// figures are the numbers after the bar: done/total, rate, time left, full
// marks. The rate is of this run (what is kept from an earlier run took no
// time now).
func (c *counts) figures() string {
	total := c.todo + c.kept
	elapsed := c.now().Sub(c.began)
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d", c.kept+c.done, total)
	if c.done > 0 && elapsed > 0 {
		perSec := float64(c.done) / elapsed.Seconds()
		if perSec >= 1 {
			fmt.Fprintf(&b, "  %.1f/s", perSec)
		} else {
			fmt.Fprintf(&b, "  %.1f/min", perSec*60)
		}
		if left := c.todo - c.done; left > 0 {
			eta := time.Duration(float64(left) / perSec * float64(time.Second))
			fmt.Fprintf(&b, "  ETA %s", clock(eta))
		}
	}
	fmt.Fprintf(&b, "  %d full marks", c.full)
	return b.String()
}

// clock writes a duration as 1h02m03s, 2m05s or 7s.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

// Bar draws a progress bar on a terminal, redrawn in place (a carriage
// return, then erase to the end of the line) a few times a second.
type Bar struct {
	counts
	w     io.Writer
	width int // columns of the terminal
	stop  chan struct{}
	ended chan struct{}
}

// NewBar draws on w, a terminal width columns wide.
func NewBar(w io.Writer, width int) *Bar {
	if width < 40 {
		width = 80
	}
	return &Bar{counts: counts{now: time.Now}, w: w, width: width, stop: make(chan struct{}), ended: make(chan struct{})}
}

func (b *Bar) Begin(todo, kept int) {
	b.mu.Lock()
	b.begin(todo, kept)
	b.draw()
	b.mu.Unlock()
	go func() {
		defer close(b.ended)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-tick.C:
				b.mu.Lock()
				b.draw()
				b.mu.Unlock()
			}
		}
	}()
}

func (b *Bar) Graded(g *result.Graded) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.graded(g)
	b.draw()
}

func (b *Bar) End(interrupted bool) {
	close(b.stop)
	<-b.ended
	b.mu.Lock()
	defer b.mu.Unlock()
	b.draw()
	fmt.Fprintln(b.w)
}

func (b *Bar) draw() {
	figures := b.figures()
	cells := min(40, b.width-len(figures)-4)
	total := b.todo + b.kept
	filled := cells
	if total > 0 {
		filled = cells * (b.kept + b.done) / total
	}
	bar := strings.Repeat("█", filled) + strings.Repeat("░", cells-filled)
	fmt.Fprintf(b.w, "\r%s  %s\x1b[K", bar, figures)
}

// Lines reports progress a line at a time, once every tenth of the batch,
// for logs and CI (where a redrawn bar is noise).
type Lines struct {
	counts
	w    io.Writer
	next int // the next tenth to report
}

// NewLines writes to w.
func NewLines(w io.Writer) *Lines { return &Lines{counts: counts{now: time.Now}, w: w, next: 1} }

func (l *Lines) Begin(todo, kept int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.begin(todo, kept)
	if kept > 0 {
		fmt.Fprintf(l.w, "grader: %d already graded in this folder, %d to grade\n", kept, todo)
	}
}

func (l *Lines) Graded(g *result.Graded) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.graded(g)
	if l.todo == 0 {
		return
	}
	tenth := l.done * 10 / l.todo
	if tenth >= l.next {
		l.next = tenth + 1
		fmt.Fprintf(l.w, "grader: %d%%  %s\n", tenth*10, l.figures())
	}
}

func (l *Lines) End(interrupted bool) {}
