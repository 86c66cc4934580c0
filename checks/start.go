package checks

import (
	"errors"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/proc"
)

// startStep starts the program now, where other steps would start it only
// when they first need it. A client exercise listens first, then starts
// the program, which connects.
type startStep struct{}

var startKind = &StepKind{
	Doc:     "starts the program now (other steps start it when they first need it)",
	Value:   vObject(),
	Example: "- listen: {}\n- start: {}\n- stdin: hello\n- accept: {}",
	decode:  decodeStart,
}

func decodeStart(d *decoder, o *opts, ex *Exercise) Step {
	needsCommand(d, o.n, ex, "start")
	return startStep{}
}

// needsCommand refuses, at load time, a step that needs the program in an
// exercise that has none.
func needsCommand(d *decoder, n *yaml.Node, ex *Exercise, kind string) {
	if len(ex.Submission.Command) == 0 {
		d.errorf(n, "%s needs the program, but the exercise has no submission.command", kind)
	}
}

var (
	errStarted    = errors.New("start: the program is already running; use restart to start it afresh")
	errNoListen   = errors.New("the program is a client (port.client), so the grader must listen before it starts: put a listen step first")
	errNotStarted = errors.New("the program was not started in this check: put a start step before this one")
)

func (startStep) run(r *runner) error {
	if r.proc != nil && !r.proc.Exited() {
		return errStarted
	}
	if r.ex.Port.Client && r.listener == nil && r.udpListening == "" {
		return errNoListen
	}
	return r.start()
}

// program is the running program, started now if this check has not
// started it yet (as connect does). One that ran and ended is not started
// again: what it did is what is judged.
func (r *runner) startedProgram() (*proc.Process, error) {
	if r.proc != nil {
		return r.proc, nil
	}
	if r.ex.Port.Client && r.listener == nil && r.udpListening == "" {
		return nil, errNoListen
	}
	if err := r.start(); err != nil {
		return nil, err
	}
	return r.proc, nil
}
