package checks

import (
	"errors"
	"os"
	"syscall"
	"time"

	"github.com/acme-lab/grader/checks/proc"
)

// connectStep opens a TCP connection to the program, starting it first if it
// is not running, once it is seen listening. With udp (or port.udp in the
// exercise) it opens a UDP socket of its own instead (its own source port),
// once the program has bound a UDP port; each connect makes another one.
type connectStep struct {
	conn    string
	timeout time.Duration
	reuse   bool
	udp     bool
}

var connectKind = &StepKind{
	Doc: "opens a TCP connection to the program: starts it if it is not running, waits until it listens, and dials; with udp, a UDP socket of the grader's, with a source port of its own",
	Value: vObject(
		connField,
		Field{Name: "timeout", Value: vDuration, Doc: "how long the program has to listen (or bind its UDP port)", Default: "timeouts.start"},
		Field{Name: "reuse", Value: vBool, Doc: "keep a live connection of that name; reconnect (restarting a program that ended) otherwise"},
		Field{Name: "udp", Value: vBool, Doc: "wait until the program has bound a UDP port and open a UDP socket to it: one per conn, each with its own source port", Default: "port.udp"},
	).short("conn"),
	Example: "- connect: {}\n- connect: {conn: second, timeout: 5s}\n- connect: {reuse: true}\n- connect: {conn: alice, udp: true}",
	decode:  decodeConnect,
}

// connField is the connection a step works on.
var connField = Field{Name: "conn", Value: vText, Doc: "the connection's name", Default: "main"}

func decodeConnect(d *decoder, o *opts, ex *Exercise) Step {
	s := &connectStep{conn: o.str("conn", "main"), timeout: o.duration("timeout"), reuse: o.boolean("reuse"), udp: ex.Port.UDP}
	if o.has("udp") {
		s.udp = o.boolean("udp")
	}
	// Once connected, the program has been seen where it listens.
	d.define("address")
	return s
}

func (s *connectStep) run(r *runner) error {
	if s.udp {
		if old := r.conns[s.conn]; old != nil {
			old.abort()
		}
		_, err := r.openUDP(s.conn, s.timeout)
		return err
	}
	if old := r.conns[s.conn]; old != nil {
		// A server that closes after each reply may not have closed yet
		// when the reply arrives (a loaded machine): once it settles, its
		// close has happened, if it was to happen.
		if s.reuse && r.proc != nil && proc.IdleKnowable() {
			r.settle()
		}
		if s.reuse && !old.peekEnded() {
			return nil
		}
		old.abort()
		delete(r.conns, s.conn)
		// The program ended the connection: if it also ended itself, or
		// stopped listening, the next game needs a fresh start.
		if s.reuse && r.proc != nil {
			r.settle()
			if r.proc.Exited() || r.notListening() {
				if err := r.start(); err != nil {
					return err
				}
			}
		}
	}
	_, err := r.openConn(s.conn, s.timeout)
	return err
}

// openConn starts the program if it is not running, waits until it listens
// and dials it; the connection is kept under name.
func (r *runner) openConn(name string, limit time.Duration) (*conn, error) {
	if err := r.ensureStarted(); err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = r.ex.Timeouts.Start
	}
	target, err := r.waitListening(limit)
	if err != nil {
		return nil, err
	}
	// Counted from now: waiting for the program to listen may have taken
	// longer than limit while many programs were starting.
	deadline := r.until(limit)
	for {
		c, err := r.dial(name, target.DialAddr(), deadline)
		if err == nil {
			r.conns[name] = c
			return c, nil
		}
		// Where ports are not discovered, a refused dial means "not yet".
		if errors.Is(err, syscall.ECONNREFUSED) && time.Now().Before(deadline) && !r.proc.Exited() {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if r.proc.Exited() {
			return nil, r.exitedBeforeListening()
		}
		return nil, connectFailure(target.DialAddr().String(), err)
	}
}

// settleTime bounds the wait for a program that just closed a connection
// to exit, or to settle back into waiting for the next client. A one-game
// server closes, then exits: dialling in between would be accepted by the
// dying listener and then reset.
const settleTime = 150 * time.Millisecond

func (r *runner) settle() { r.settleWithin(settleTime) }

// notListening tells whether a running program has stopped listening (it
// served its one client and closed the listening socket).
func (r *runner) notListening() bool {
	ls, err := r.proc.Listening()
	if err != nil {
		return false
	}
	r.target = nil
	return len(ls) == 0
}

func connectFailure(addr string, err error) error {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return failf("Connecting to %s was refused: nothing accepted connections there. Is your server still running and listening?", addr)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return failf("Connecting to %s timed out: your server listens but did not accept the connection.", addr)
	}
	return failf("Connecting to %s failed: %v.", addr, err)
}
