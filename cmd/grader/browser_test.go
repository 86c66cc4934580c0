package main_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// browser is a headless Chromium (Debian's chromium, which
// scripts/setup.sh installs) and what its pages wrote on the console.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

func newBrowser() *browser {
	path := chromiumPath()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(GinkgoT().TempDir()),
		chromedp.WindowSize(1280, 900),
		// This machine has no network: Chromium must not try.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	DeferCleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	// Subscribed now, read as the messages come, until the browser ends.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// chromiumPath finds the browser: $GRADER_CHROMIUM, or Chromium or Chrome
// on the PATH.
func chromiumPath() string {
	if p := os.Getenv("GRADER_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Fail("Chromium is needed for the class report's specs: bash scripts/setup.sh installs it")
	return ""
}

// open loads a file and waits until the page and its script have run.
func (b *browser) open(path string) {
	Expect(chromedp.Do(b.ctx, chromedp.Navigate("file://"+path), chromedp.WaitReady(chromedp.CSS("body")))).To(Succeed())
}

// console is what the pages wrote that a reader would call a problem: an
// error, a warning, an exception, a refused resource.
func (b *browser) console() []string {
	// Messages come as events: let any last ones arrive.
	Expect(chromedp.Do(b.ctx, chromedp.Sleep(300*time.Millisecond))).To(Succeed())
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.messages {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			out = append(out, m.String())
		}
	}
	return out
}

func eval[T any](b *browser, js string) T {
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	Expect(err).NotTo(HaveOccurred(), js)
	return v
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	Expect(chromedp.Do(b.ctx, steps...)).To(Succeed())
}

// testOutput is where the suite leaves what a person should look at (the
// screenshot): $GRADER_TEST_OUTPUT, or a folder in the temporary one.
func testOutput() string {
	dir := os.Getenv("GRADER_TEST_OUTPUT")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "grader-test-output")
	}
	Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
	return dir
}

var _ = Describe("The console watch of the browser specs", func() {
	It("catches a script error, a console error and a blocked inline style", func() {
		page := filepath.Join(GinkgoT().TempDir(), "bad.html")
		Expect(os.WriteFile(page, []byte(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'">
<p style="color: red">x</p><script>console.error("broken"); undefinedFunction();</script>`), 0o644)).To(Succeed())
		b := newBrowser()
		b.open(page)
		got := strings.Join(b.console(), "\n")
		Expect(got).To(ContainSubstring("error: broken"))
		Expect(got).To(ContainSubstring("undefinedFunction"))
		Expect(got).To(ContainSubstring("Content Security Policy"))
	})
})

type pageRow struct {
	Name, Score, Kind string
	Cells             []string
	Hidden            bool
}

// expectClassPage opens OUT/index.html in Chromium and holds it to
// OUT/grades.csv and OUT/results.jsonl: no console error, the same numbers,
// sorting, filtering, a transcript per student; it leaves a screenshot.
func expectClassPage(out string, students int) {
	b := newBrowser()
	b.open(filepath.Join(out, "index.html"))
	shot := filepath.Join(testOutput(), "class-report.png")
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	Expect(err).NotTo(HaveOccurred())
	Expect(os.WriteFile(shot, png, 0o644)).To(Succeed())
	AddReportEntry("class report screenshot", shot, ReportEntryVisibilityAlways)

	header, rows := readCSV(filepath.Join(out, "grades.csv"))
	checks := header[3 : len(header)-2]
	Expect(rows).To(HaveLen(students))

	var table []pageRow
	readTable := func() {
		table = eval[[]pageRow](b, `Array.from(document.querySelectorAll("#roster tbody tr")).map(r => ({
			Name: r.cells[0].innerText, Score: r.cells[1].innerText, Kind: r.dataset.kind, Hidden: r.hidden,
			Cells: Array.from(r.querySelectorAll("td.mark")).map(c => c.dataset.score)}))`)
	}
	readTable()
	Expect(table).To(HaveLen(len(rows)))
	full := 0
	histogram := map[string]int{}
	for i, r := range rows {
		Expect(table[i].Name).To(Equal(r["student"]))
		Expect(table[i].Score).To(Equal(r["score"] + "/" + r["max"]))
		var cells []string
		for _, c := range checks {
			cells = append(cells, r[c])
		}
		Expect(table[i].Cells).To(Equal(cells), r["student"])
		if r["score"] == r["max"] && r["error"] == "" {
			full++
		}
		histogram[r["score"]]++
	}

	cards := eval[map[string]string](b, `({students: document.getElementById("n-students").innerText, full: document.getElementById("n-full").innerText})`)
	Expect(cards).To(Equal(map[string]string{"students": strconv.Itoa(students), "full": strconv.Itoa(full)}))

	bars := eval[[]struct{ Score, Count, Shown string }](b, `Array.from(document.querySelectorAll(".histogram .col")).map(g => ({Score: g.dataset.score, Count: g.dataset.count, Shown: g.querySelector(".count").textContent}))`)
	total := 0
	for _, bar := range bars {
		Expect(bar.Count).To(Equal(strconv.Itoa(histogram[bar.Score])), "the bar of %s points", bar.Score)
		Expect(bar.Shown).To(Equal(bar.Count))
		n, _ := strconv.Atoi(bar.Count)
		total += n
	}
	Expect(total).To(Equal(students))

	// Pass rates: a check passed when the student got all its points.
	maxOf := map[string]int{}
	for _, g := range readResults(out) {
		for _, c := range g.Checks {
			maxOf[c.ID] = c.MaxScore
		}
	}
	rates := eval[[]struct{ Check, Passed, Total, Shown string }](b, `Array.from(document.querySelectorAll("table.checks tbody tr")).map(r => ({Check: r.dataset.check, Passed: r.dataset.passed, Total: r.dataset.total, Shown: r.cells[1].innerText}))`)
	Expect(rates).To(HaveLen(len(checks)))
	for i, rate := range rates {
		Expect(rate.Check).To(Equal(checks[i]))
		passed := 0
		for _, r := range rows {
			if r[rate.Check] == strconv.Itoa(maxOf[rate.Check]) && r["error"] == "" {
				passed++
			}
		}
		Expect(rate.Shown).To(Equal(strconv.Itoa(passed)+"/"+strconv.Itoa(students)), rate.Check)
	}

	By("sorting by score, lowest first, then highest first")
	b.do(chromedp.Click(chromedp.CSS(`#roster thead th:nth-child(2)`)))
	readTable()
	scores := func() []int {
		var s []int
		for _, r := range table {
			n, _ := strconv.Atoi(strings.Split(r.Score, "/")[0])
			s = append(s, n)
		}
		return s
	}
	Expect(sort.IntsAreSorted(scores())).To(BeTrue(), "%v", scores())
	b.do(chromedp.Click(chromedp.CSS(`#roster thead th:nth-child(2)`)))
	readTable()
	Expect(sort.IsSorted(sort.Reverse(sort.IntSlice(scores())))).To(BeTrue(), "%v", scores())

	By("filtering by name, then by kind")
	b.do(chromedp.SendKeys(chromedp.ID("filter"), "good"))
	readTable()
	shown := 0
	for _, r := range table {
		Expect(r.Hidden).To(Equal(!strings.Contains(strings.ToLower(r.Name), "good")), r.Name)
		if !r.Hidden {
			shown++
		}
	}
	Expect(shown).To(BeNumerically(">", 0))
	counter := eval[string](b, `document.getElementById("shown").innerText`)
	Expect(counter).To(Equal(strconv.Itoa(shown) + " of " + strconv.Itoa(students) + " shown"))
	// As a reader would: empty the search box, choose "full marks".
	eval[bool](b, `(() => {
		const f = document.getElementById("filter"); f.value = ""; f.dispatchEvent(new Event("input"));
		const s = document.getElementById("show"); s.value = "full"; return s.dispatchEvent(new Event("change")); })()`)
	readTable()
	for _, r := range table {
		Expect(r.Hidden).To(Equal(r.Kind != "full"), r.Name)
	}

	By("following a student's link to the transcript")
	first := eval[string](b, `document.querySelector("#roster tbody tr:not([hidden]) td a").getAttribute("href")`)
	b.do(chromedp.Click(chromedp.CSS(`#roster tbody tr:not([hidden]) td a`)))
	shownArticle := eval[struct{ Hash, Display, Text string }](b, `(() => { const a = document.querySelector(location.hash); return {Hash: location.hash, Display: getComputedStyle(a).display, Text: a.querySelector("pre").innerText}; })()`)
	Expect(shownArticle.Hash).To(Equal(first))
	Expect(shownArticle.Display).To(Equal("block"))
	Expect(shownArticle.Text).To(ContainSubstring("Score: "))
	view, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	Expect(err).NotTo(HaveOccurred())
	transcriptShot := filepath.Join(testOutput(), "class-report-transcript.png")
	Expect(os.WriteFile(transcriptShot, view, 0o644)).To(Succeed())
	AddReportEntry("a student's transcript, screenshot", transcriptShot, ReportEntryVisibilityAlways)

	Expect(b.console()).To(BeEmpty())
	raw, _ := json.Marshal(table)
	GinkgoWriter.Printf("class page rows: %s\n", raw)
}
