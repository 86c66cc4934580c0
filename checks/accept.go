package checks

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/acme-lab/grader/checks/result"
)

// acceptStep waits for the program to connect to the grader's listening
// socket (see listen). The connection gets a name, like one that connect
// opens, so send, expect, closed, open and close work on it unchanged. The
// program is started first if this check has not started it yet.
type acceptStep struct {
	conn    string
	timeout time.Duration
}

var acceptKind = &StepKind{
	Doc: "waits for the program to connect to the grader (after listen); the connection then works with send, expect, closed and the rest",
	Value: vObject(
		connField,
		Field{Name: "timeout", Value: vDuration, Doc: "how long the program has to connect", Default: "timeouts.start"},
	).short("conn"),
	Example: "- accept: {}\n- accept: {conn: second, timeout: 5s}",
	decode:  decodeAccept,
}

func decodeAccept(d *decoder, o *opts, ex *Exercise) Step {
	s := &acceptStep{conn: o.str("conn", "main"), timeout: o.duration("timeout")}
	if !ex.Port.Client {
		d.errorf(o.n, "accept is for a program that is a client: set port.client: true, and listen before accepting")
	}
	needsCommand(d, o.n, ex, "accept")
	return s
}

// acceptPoll is how often a wait for a connection looks whether the program
// ended meanwhile.
const acceptPoll = 20 * time.Millisecond

func (s *acceptStep) run(r *runner) error {
	if r.listener == nil {
		return errors.New("accept: the grader is not listening: put a listen step before it")
	}
	p, err := r.startedProgram()
	if err != nil {
		return err
	}
	limit := s.timeout
	if limit == 0 {
		limit = r.ex.Timeouts.Start
	}
	// The limit is start-up time: a client starting among many programs
	// gets longer to connect (starting.go).
	clock := newStartClock(limit, time.Now())
	for {
		// Looked at before accepting: a program that connected and then
		// ended at once left its connection in the backlog.
		ended := p.Exited()
		_ = r.listener.SetDeadline(time.Now().Add(acceptPoll))
		c, err := r.listener.AcceptTCP()
		r.deadline = r.deadline.Add(clock.tick(time.Now()))
		if err == nil {
			r.boot.end()
			if old := r.conns[s.conn]; old != nil {
				old.abort()
			}
			r.conns[s.conn] = &conn{name: s.conn, tcp: c, r: r, accepted: true}
			r.event(result.Connect, s.conn, fmt.Sprintf("accepted from %s on %s", c.RemoteAddr(), r.listenAddr()))
			return nil
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("accept: %w", err)
		}
		if ended || clock.expired() || time.Now().After(r.deadline) {
			return r.noConnection(limit)
		}
	}
}

// noConnection says that the program never connected, and why it likely
// did not, from what it printed.
func (r *runner) noConnection(limit time.Duration) error {
	addr := r.listenAddr()
	var f *Failure
	if r.proc.Exited() {
		f = failf("Your program ended (%s) without connecting to the grader, which listens on %s.", r.proc.ExitDescription(), addr)
	} else {
		f = failf("Your program did not connect to the grader within %s; the grader listens on %s.", limit, addr)
	}
	if why, ok := r.clientEnd(); ok {
		f.Msg = why
	}
	f.Got = r.outputTail()
	return f
}

// dialAdvice says where a client should connect.
func (r *runner) dialAdvice() string {
	if r.handed != 0 {
		return fmt.Sprintf("connect to the port the grader gives your program in %s (%d this time), not to a port of your own", r.handedHow(), r.handed)
	}
	return "connect to exactly that address and port"
}

var (
	refused      = regexp.MustCompile(`ConnectionRefusedError|[Cc]onnection refused|ECONNREFUSED|\[Errno 111\]|WinError 10061`)
	lookupFailed = regexp.MustCompile(`socket\.gaierror|gaierror|Name or service not known|nodename nor servname|getaddrinfo failed`)
)

// allOutput is everything the program printed, stdout then stderr, to look
// for well-known errors in.
func (p *program) allOutput() string { return p.outputSince(mark{}) }
