package proc

import (
	"sync"
)

// DefaultOutputCap is how much of each stream is kept. A program is always
// drained to the end (one that prints into an unread pipe blocks before it
// listens), but only this much is remembered.
const DefaultOutputCap = 64 << 10

// Chunk is one read from a program's stdout or stderr, as it arrived.
type Chunk struct {
	Stream string // "stdout" or "stderr"
	Data   []byte
}

// Output collects what a program prints, capped, and tells waiters when
// something new arrived. Offsets into it are stable, so a check can ask for
// "everything printed since this mark".
type Output struct {
	mu        sync.Mutex
	cap       int
	buf       []byte
	truncated bool
	changed   chan struct{}
	onChunk   func(Chunk)
	stream    string
}

// NewOutput keeps up to limit bytes of one stream; onChunk, when not nil,
// sees each kept piece as it arrives (for transcripts).
func NewOutput(stream string, limit int, onChunk func(Chunk)) *Output {
	return &Output{stream: stream, cap: limit, changed: make(chan struct{}), onChunk: onChunk}
}

// Write keeps what fits under the cap and drops the rest; it never blocks the
// writer and never fails, so the pipe keeps being drained.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	kept := p
	if room := o.cap - len(o.buf); room < len(kept) {
		if room < 0 {
			room = 0
		}
		kept = kept[:room]
		o.truncated = true
	}
	o.buf = append(o.buf, kept...)
	close(o.changed)
	o.changed = make(chan struct{})
	cb := o.onChunk
	o.mu.Unlock()
	if cb != nil && len(kept) > 0 {
		cb(Chunk{Stream: o.stream, Data: append([]byte(nil), kept...)})
	}
	return len(p), nil
}

// Snapshot returns a copy of what was kept from offset from on, whether the
// cap was hit, and a channel closed on the next write.
func (o *Output) Snapshot(from int) (data []byte, truncated bool, changed <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if from > len(o.buf) {
		from = len(o.buf)
	}
	return append([]byte(nil), o.buf[from:]...), o.truncated, o.changed
}

// Len is how many bytes were kept so far; use it as a mark.
func (o *Output) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.buf)
}
