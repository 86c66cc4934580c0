package report

import (
	"fmt"
	"strings"

	"github.com/acme-lab/grader/checks/result"
)

// Transcript renders events one per line: time, direction, connection and
// the bytes quoted. Consecutive output of the program is gathered by line.
type Transcript struct {
	Color   bool
	Hexdump bool // what crossed a socket as a packet view, not quoted
}

// arrows for what moved where; words for the rest.
var eventLabel = map[result.EventKind]string{
	result.Send:    "→",
	result.Recv:    "←",
	result.Stdout:  "stdout",
	result.Stderr:  "stderr",
	result.Connect: "connect",
	result.EOF:     "closed by program",
	result.Reset:   "reset by program",
	result.Close:   "grader closes",
	result.Start:   "start",
	result.Exit:    "exit",
	result.Listen:  "listening",
	result.Note:    "·",
	// A datagram is one message: the label says so, for the bytes of two
	// datagrams are never one reply, as two reads on TCP may be.
	result.DatagramSend: "⇢ datagram",
	result.DatagramRecv: "⇠ datagram",
}

// maxEvents bounds the lines shown for one check; the JSON report has all.
const maxEvents = 200

func (t Transcript) write(b *strings.Builder, events []result.Event, pad string) {
	shown := events
	if len(shown) > maxEvents {
		shown = shown[len(shown)-maxEvents:]
		fmt.Fprintf(b, "%s… %d earlier events not shown (see --format json)\n", pad, len(events)-maxEvents)
	}
	for _, e := range shown {
		label := eventLabel[e.Kind]
		if e.Conn != "" && (e.Kind == result.Send || e.Kind == result.Recv || e.Kind == result.DatagramSend || e.Kind == result.DatagramRecv) {
			label = e.Conn + " " + label
		}
		data := ""
		switch e.Kind {
		case result.Send, result.Recv, result.DatagramSend, result.DatagramRecv:
			if t.Hexdump && e.Conn != "stdin" {
				data = fmt.Sprintf("%d bytes\n%s", len(e.Data), Hexdump([]byte(e.Data), -1, pad+strings.Repeat(" ", 12), 8, "^"))
				break
			}
			data = Quote(e.Data)
		case result.Stdout, result.Stderr:
			data = Quote(e.Data)
		default:
			data = clean(e.Data)
		}
		at := fmt.Sprintf("%8.1fms", float64(e.At))
		if t.Color {
			at = dim + at + reset
		}
		fmt.Fprintf(b, "%s%s  %-17s %s\n", pad, at, label, data)
	}
}
