package checks

import (
	"time"

	"github.com/acme-lab/grader/checks/httpwire"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// Exercise is one exercise file, loaded, checked and with defaults filled:
// nothing in it is decided again at run time.
type Exercise struct {
	Name        string // the file's name without .yaml: what students type
	File        string // where it was loaded from, for messages
	Title       string
	Description string
	Source      string // where the exercise comes from (the lab, the blog)
	Submission  Submission
	Port        Port
	Timeouts    Timeouts
	Limits      sandbox.Limits // what one start of the program may use
	HTTP        HTTP
	// Hexdump asks reports to show transcripts as a packet view: the
	// exercise is about bytes (a binary protocol), not lines of text.
	Hexdump bool
	Defines []Define // named expressions, callable from every expression
	Vars    []Var
	Checks  []*Check
}

// Submission says what a student hands in and how it is started.
type Submission struct {
	Files   []string    // must exist in the submission folder
	Command []*Template // argv; may use {{ port }}
	Env     []EnvVar    // added to the grader's own environment
}

// EnvVar is one variable of the submission's environment.
type EnvVar struct {
	Name  string
	Value *Template
}

// Port says where the program is expected to listen.
type Port struct {
	Suggested int  // the port the course text uses; 0 when none
	Required  bool // another port fails instead of being a notice
	// Handed is true when the grader chooses a free port and gives it to the
	// program, through {{ port }} in the command or the Env variable.
	Handed bool
	Env    string
	// Client is true when the program is a client: the grader listens on
	// the port (Suggested, or a free one when handed) and the program
	// connects to it.
	Client bool
	// UDP is true when the program is reached by datagrams: connect opens
	// a UDP socket to the port it bound, listen binds one for a client.
	UDP bool
}

// HTTP holds the exercise's choices for HTTP steps.
type HTTP struct {
	// Tolerate lists the deviations from HTTP/1.x that are only notices in
	// this exercise (students' servers often end lines with LF, or send
	// HTTP/1.0 with no Content-Length). A step may set its own.
	Tolerate []httpwire.Kind
}

// Timeouts are the default deadlines; steps and checks may set their own.
type Timeouts struct {
	Check time.Duration // a whole check
	Step  time.Duration // one wait inside a step (a reply, a close)
	Start time.Duration // from start to listening
	Grace time.Duration // between SIGTERM and SIGKILL when a program is stopped
}

// Var is a named value computed at the start of each check.
type Var struct {
	Name string
	Expr *Expr
}

// Check is one graded property of a submission.
type Check struct {
	Line, Col int // where it starts in the file, for grader lint
	ID        string
	Title     string
	Explain   string // in words a student understands, for `grader show`
	Hint      string // what to look at when it fails
	Points    int
	Needs     []string
	Hidden    result.Hiding // what students may see of its result
	Timeout   time.Duration
	Vars      []Var
	Steps     []Step
}

// Defaults filled in at load time.
const (
	defaultCheckTimeout = 20 * time.Second
	defaultStepTimeout  = 2 * time.Second
	defaultStartTimeout = 5 * time.Second
	defaultGrace        = 200 * time.Millisecond
	defaultPoints       = 1
)
