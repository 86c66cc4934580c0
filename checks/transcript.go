package checks

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/acme-lab/grader/checks/result"
)

// transcript is the part of a check's runner that records: the events of
// the transcript and the notices. Output and connection goroutines write
// to it while steps run, hence the lock.
type transcript struct {
	begun time.Time

	mu         sync.Mutex
	events     []result.Event
	eventBytes int
	notices    []string
	noticed    map[string]bool
}

// transcriptLimit bounds the bytes a transcript keeps; a program that floods
// its socket or its stdout is cut, with a note saying so.
const transcriptLimit = 256 << 10

// event appends to the transcript, within transcriptLimit.
func (t *transcript) event(kind result.EventKind, conn, data string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.eventBytes > transcriptLimit {
		return
	}
	t.eventBytes += len(data)
	if t.eventBytes > transcriptLimit {
		kind, data = result.Note, "the transcript is cut here: more than 256 KiB"
	}
	at := result.MillisOf(time.Since(t.begun))
	// Unbuffered output arrives in scraps (a traceback in a dozen writes,
	// sys.exit's message apart from its newline): a scrap that follows one of
	// the same stream within a few milliseconds, or that goes on a line the
	// last one left open with nothing in between, is the same event. A
	// loaded machine then shows the same transcript as an idle one.
	if n := len(t.events); n > 0 && (kind == result.Stdout || kind == result.Stderr) {
		last := &t.events[n-1]
		if last.Kind == kind && (at-last.At < 5 || !strings.HasSuffix(last.Data, "\n")) {
			last.Data += data
			return
		}
	}
	t.events = append(t.events, result.Event{At: at, Kind: kind, Conn: conn, Data: data})
}

func (t *transcript) notice(format string, args ...any) {
	t.noticeOnce(fmt.Sprintf(format, args...), format, args...)
}

// noticeOnce records a notice unless one with the same key was recorded in
// this run: twenty requests with the same harmless flaw make one note.
func (t *transcript) noticeOnce(key, format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.noticed == nil {
		t.noticed = map[string]bool{}
	}
	if t.noticed[key] {
		return
	}
	t.noticed[key] = true
	t.notices = append(t.notices, fmt.Sprintf(format, args...))
}
