// Package result is the value a grading run produces and every reporter
// reads. It holds no behaviour beyond arithmetic on itself: the engine fills
// it, reporters format it, and neither reaches into the other.
package result

import "time"

// Version is the version of the JSON form of Result; it changes when a field
// changes meaning or goes away.
const Version = 1

// Status is a check's verdict.
type Status string

const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped" // a check it needs did not pass
	Error   Status = "error"   // the check could not be run (grader or exercise fault, missing file)
)

// Result is one run of one exercise against one submission.
type Result struct {
	Version  int    `json:"version"`
	Tool     Tool   `json:"tool"` // what graded it
	Exercise string `json:"exercise"`
	Title    string `json:"title"`
	Seed     uint64 `json:"seed"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Error    string `json:"error,omitempty"` // why nothing could be graded, when so
	// Sandbox is how the program was isolated: "namespaces",
	// "user-namespaces" or "none" (empty when nothing was run).
	Sandbox string   `json:"sandbox,omitempty"`
	Notices []string `json:"notices,omitempty"`
	// Hexdump says the exercise is best read as bytes: reports that show a
	// transcript show it as a packet view (tcpdump -X).
	Hexdump  bool      `json:"hexdump,omitempty"`
	Started  time.Time `json:"started"`
	Duration Millis    `json:"duration_ms"`
	Checks   []Check   `json:"checks"`
}

// Tool names the program that graded a run, for reports that say so
// (CTRF's tool, JUnit's properties): a grade can then be traced to the
// grader's version that gave it.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// String is "grader v1.2.0", or the name alone when the version is unknown.
func (t Tool) String() string {
	if t.Version == "" {
		return t.Name
	}
	return t.Name + " " + t.Version
}

// Check is the verdict on one check, with the evidence behind it.
type Check struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Status   Status `json:"status"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Message  string `json:"message,omitempty"`  // what went wrong, for the student
	Expected string `json:"expected,omitempty"` // what the check wanted, in words or bytes
	// ExpectedBytes are the exact bytes wanted, when the check compared
	// bytes, for a packet view beside Got's.
	ExpectedBytes []byte   `json:"expected_base64,omitempty"`
	Got           string   `json:"got,omitempty"`    // the bytes or text it saw instead
	GotAt         *int     `json:"got_at,omitempty"` // offset in Got where it went wrong
	Hint          string   `json:"hint,omitempty"`
	Notices       []string `json:"notices,omitempty"` // fine, but worth knowing (a port other than the lab's)
	Hidden        Hiding   `json:"hidden,omitempty"`  // what students may see of it
	Duration      Millis   `json:"duration_ms"`
	// Transcript is what crossed the sockets and what the program printed.
	Transcript []Event `json:"transcript"`
}

// Hiding says how much of a check students see; instructors (Gradescope,
// --show-hidden) see all of it. An exercise chooses it with the check key
// hidden: true (HiddenDetails) or hidden: all (HiddenAll). The check runs and
// scores either way: hiding changes what a report shows, never the grade.
type Hiding string

const (
	NotHidden     Hiding = ""        // everything is shown
	HiddenDetails Hiding = "details" // title, status and points; not the message, evidence, hint or transcript
	HiddenAll     Hiding = "all"     // nothing of its own; its points count among "hidden checks"
)

// Event is one entry of a transcript.
type Event struct {
	At   Millis    `json:"at_ms"` // since the check began
	Kind EventKind `json:"kind"`
	Conn string    `json:"conn,omitempty"`
	Data string    `json:"data,omitempty"` // raw bytes for send/recv/stdout/stderr; words for the rest
}

// EventKind says what an Event records.
type EventKind string

const (
	Start   EventKind = "start"   // program started (Data: command)
	Exit    EventKind = "exit"    // program ended (Data: how)
	Listen  EventKind = "listen"  // program seen listening (Data: address)
	Connect EventKind = "connect" // grader connected
	Send    EventKind = "send"    // grader → program
	Recv    EventKind = "recv"    // program → grader
	EOF     EventKind = "eof"     // program closed its side
	Reset   EventKind = "reset"   // connection reset
	Close   EventKind = "close"   // grader closed (Data: how)
	Stdout  EventKind = "stdout"
	Stderr  EventKind = "stderr"
	Note    EventKind = "note" // the grader's own remark (a round number, a restart)
	// A datagram is one message of its own (UDP): its bytes are never
	// merged with those of the next, as send and recv on TCP are.
	DatagramSend EventKind = "datagram-send" // grader → program, one datagram
	DatagramRecv EventKind = "datagram-recv" // program → grader, one datagram
)

// Millis is a duration that marshals as fractional milliseconds.
type Millis float64

// MillisOf converts a duration.
func MillisOf(d time.Duration) Millis { return Millis(float64(d.Microseconds()) / 1000) }

// Passed reports whether every check passed.
func (r *Result) Passed() bool {
	if r.Error != "" {
		return false
	}
	for _, c := range r.Checks {
		if c.Status != Passed {
			return false
		}
	}
	return true
}

// Count returns how many checks have the status.
func (r *Result) Count(s Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}
