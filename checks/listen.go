package checks

import (
	"errors"
	"fmt"
	"gopkg.in/yaml.v3"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// listenStep is the grader playing the server for a client exercise
// (port.client: true): it listens on 127.0.0.1, on port.suggested, or on a
// free port that the program is handed through {{ port }} or port.env. A
// client must find the server listening, so this comes before start. The
// listening socket is closed when the check ends.
//
//	port: {suggested: 33498, client: true}
//	checks:
//	  - id: connects
//	    steps:
//	      - listen: {}
//	      - start: {}
//	      - accept: {timeout: 5s}
//
// With udp (or port.udp in the exercise) the grader binds a UDP socket
// instead, at once a connection named conn ("main"): expect reads the
// client's datagrams, and send answers whoever sent the last one.
type listenStep struct {
	udp  bool
	conn string
}

var listenKind = &StepKind{
	Doc: "the grader listens on 127.0.0.1, for a program that is a client (port.client): on port.suggested, or on a free port handed to the program; with udp it binds a UDP socket there, at once a connection",
	Value: vObject(
		Field{Name: "udp", Value: vBool, Doc: "bind a UDP socket instead: expect reads the client's datagrams, and send answers whoever sent the last one", Default: "port.udp"},
		Field{Name: "conn", Value: vText, Doc: "the name of the UDP socket, as a connection (a TCP listener gets its connections from accept)", Default: "main"},
	),
	Example: "- listen: {}\n- start: {}\n- accept: {timeout: 5s}",
	decode:  decodeListen,
}

func decodeListen(d *decoder, o *opts, ex *Exercise) Step {
	if !ex.Port.Client {
		d.errorf(o.n, "listen is for a program that is a client: set port.client: true, so that the grader knows where to listen")
	}
	s := listenStep{udp: ex.Port.UDP, conn: o.str("conn", "main")}
	if o.has("udp") {
		s.udp = o.boolean("udp")
	}
	if o.has("conn") && !s.udp {
		d.errorf(o.node("conn"), "listen.conn names the grader's UDP socket; a TCP listener gets its connections from accept")
	}
	return s
}

// clientPort checks the port section of a client exercise once the whole
// submission section is known: the grader must know where to listen.
func (d *decoder) clientPort(n *yaml.Node, ex *Exercise) {
	p := ex.Port
	switch {
	case !p.Client:
	case p.Required:
		d.errorf(n, "port.required is for a server; a client connects where the grader listens (port.suggested, or the port it is handed)")
	case p.Suggested == 0 && !p.Handed:
		d.errorf(n, "port.client needs port.suggested, the port the client connects to, or a port handed through {{ port }} in the command or port.env")
	}
}

// bindWait bounds the retries of a listen whose port is taken: a program of
// the previous check may still be letting go of it.
const bindWait = time.Second

func (s listenStep) run(r *runner) error {
	port := r.ex.Port.Suggested
	if r.ex.Port.Handed {
		port = 0
	}
	if s.udp {
		return s.runUDP(r, port)
	}
	if r.listener != nil {
		return nil
	}
	addr := netip.AddrPortFrom(loopback4, uint16(port))
	if err := r.lockPort(port); err != nil {
		return err
	}
	deadline := r.until(bindWait)
	for {
		l, err := r.listenTCP(addr)
		if err == nil {
			r.listener = l
			break
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("listen on %s: %w", addr, err)
		}
		if time.Now().After(deadline) {
			if h, ok := sandbox.PortHolder(port); ok && !r.isolated() {
				return failf("The grader could not listen on %s, where your client is to connect: %s", addr, portInUse(port, h))
			}
			return failf("The grader could not listen on %s, where your client is to connect: another program holds that port. Is a server of yours still running? Stop it and grade again.", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r.ex.Port.Handed {
		r.handed = r.listener.Addr().(*net.TCPAddr).Port
		r.env["port"] = r.handed
	}
	r.event(result.Note, "", "the grader listens on "+r.listenAddr())
	return nil
}

// listenAddr is where the grader listens (or listened, once the check is
// over), as a client would dial it.
func (r *runner) listenAddr() string {
	if r.listener != nil {
		r.listenedOn = r.listener.Addr().String()
	}
	return r.listenedOn
}

func (s listenStep) runUDP(r *runner, port int) error {
	if c := r.conns[s.conn]; c != nil && c.udp != nil && c.listening() {
		return nil
	}
	c, err := r.listenUDP(s.conn, port)
	if err != nil {
		return err
	}
	r.conns[s.conn] = c
	addr := c.udp.LocalAddr().(*net.UDPAddr)
	if r.ex.Port.Handed {
		r.handed = addr.Port
		r.env["port"] = r.handed
	}
	r.udpListening = addr.String()
	r.event(result.Note, "", "the grader receives UDP datagrams on "+addr.String())
	return nil
}
