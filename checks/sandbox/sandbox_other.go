//go:build !linux

package sandbox

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"time"
)

// Outside Linux nothing is isolated: programs run as the grader's user on
// the machine's loopback (mode None), with the port locks and checks of
// the fallback; the limits are not enforced.

func available() (Mode, string) {
	return None, "programs are isolated on Linux only"
}

// Reexec does nothing outside Linux.
func Reexec(Choice) (int, bool) { return 0, false }

// LandlockABI is 0: Landlock is Linux's.
func LandlockABI() int { return 0 }

// CgroupsWritable is false: cgroups are Linux's.
func CgroupsWritable() bool { return false }

// Sandbox holds what every start of one submission's program shares.
type Sandbox struct {
	dir string
}

// New prepares the sandbox of one run.
func New(cfg Config) (*Sandbox, error) { return &Sandbox{dir: cfg.Dir}, nil }

var plain = &Sandbox{}

// Plain is a sandbox that isolates nothing.
func Plain() *Sandbox { return plain }

// Mode is None.
func (s *Sandbox) Mode() Mode { return None }

// Dir is the submission folder.
func (s *Sandbox) Dir() string { return s.dir }

// User is -1: the grader's own.
func (s *Sandbox) User() int { return -1 }

// NewNet is the machine's network.
func (s *Sandbox) NewNet() (*Net, error) { return HostNet(), nil }

// Close does nothing.
func (s *Sandbox) Close() error { return nil }

// Expect prepares nothing: nothing is made ahead here.
func (s *Sandbox) Expect(Command) {}

// Start runs c with stdio as its standard streams, in a process group of
// its own.
func (s *Sandbox) Start(n *Net, c Command, stdio [3]*os.File) (*Program, error) {
	cmd := &exec.Cmd{Path: c.Path, Args: c.Args, Env: c.Env, Dir: c.Dir, Stdin: stdio[0], Stdout: stdio[1], Stderr: stdio[2]}
	if cmd.Dir == "" {
		cmd.Dir = s.dir
	}
	cmd.SysProcAttr = groupAttr()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Program{Pid: cmd.Process.Pid, cmd: cmd}, nil
}

// Program is one started program.
type Program struct {
	Pid int
	cmd *exec.Cmd
}

func (p *Program) Isolated() bool             { return false }
func (p *Program) HandlesTerm() bool          { return true }
func (p *Program) Kill()                      { _ = p.cmd.Process.Kill() }
func (p *Program) Members() []int             { return nil }
func (p *Program) Freeze() bool               { return false }
func (p *Program) Thaw()                      {}
func (p *Program) Finish(*Exit)               {}
func (p *Program) Hits() []Limit              { return nil }
func (p *Program) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }
func (p *Program) GraderPid() int             { return p.cmd.Process.Pid }
func (p *Program) Wait() (*Exit, error) {
	err := p.cmd.Wait()
	return exitOf(p.cmd.ProcessState), err
}

// Net is the machine's network.
type Net struct{}

var hostNet = &Net{}

// HostNet is the grader's own network, shared with the machine.
func HostNet() *Net { return hostNet }

// ErrNoDiscovery: listening sockets cannot be listed here.
var ErrNoDiscovery = errors.New("listening ports cannot be discovered on this platform")

func (n *Net) Isolated() bool          { return false }
func (n *Net) Do(f func() error) error { return f() }
func (n *Net) Close() error            { return nil }

// DialTCP connects to an address.
func (n *Net) DialTCP(to netip.AddrPort, deadline time.Time) (*net.TCPConn, error) {
	c, err := (&net.Dialer{Deadline: deadline}).Dial("tcp", to.String())
	if err != nil {
		return nil, err
	}
	return c.(*net.TCPConn), nil
}

// ListenTCP listens on an address.
func (n *Net) ListenTCP(at netip.AddrPort) (*net.TCPListener, error) {
	return net.ListenTCP("tcp", net.TCPAddrFromAddrPort(at))
}

// FreePort is a TCP port nothing listens on.
func (n *Net) FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Listening is not available here.
func (n *Net) Listening() ([]Socket, error) { return nil, ErrNoDiscovery }

// StartError is a start that failed; outside Linux only exec fails.
type StartError struct {
	Stage string
	Msg   string
	Err   error
}

func (e *StartError) Error() string { return "start: " + e.Msg }
func (e *StartError) Unwrap() error { return e.Err }

// CanIsolate is false outside Linux.
func CanIsolate() bool { return false }

// DialUDP connects a UDP socket to an address.
func (n *Net) DialUDP(to netip.AddrPort) (*net.UDPConn, error) {
	return net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(to))
}

// ListenUDP binds a UDP socket.
func (n *Net) ListenUDP(at netip.AddrPort) (*net.UDPConn, error) {
	return net.ListenUDP("udp", net.UDPAddrFromAddrPort(at))
}

// BoundUDP is not available here.
func (n *Net) BoundUDP() ([]Socket, error) { return nil, ErrNoDiscovery }

// PeerUnread cannot be seen here.
func (n *Net) PeerUnread(*net.TCPConn) (int, bool) { return 0, false }

// DropUnused does nothing here: nothing is launched ahead.
func DropUnused() {}
