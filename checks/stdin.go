package checks

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/acme-lab/grader/checks/result"
)

// stdinStep types into the program's standard input, as a person at its
// terminal would: a line and Enter, by default. close ends the input, as
// Ctrl-D does; the program then reads end-of-file. The program is started
// first if this check has not started it yet.
type stdinStep struct {
	text  *Template
	eol   string
	close bool
}

var stdinKind = &StepKind{
	Doc: "types into the program's standard input, as a person at its terminal would: the text and Enter",
	Value: vObject(
		Field{Name: "text", Value: vTemplate, Doc: "what to type"},
		Field{Name: "eol", Value: vText, Doc: "what ends the line", Default: "\"\\n\""},
		Field{Name: "close", Value: vBool, Doc: "then end the input, as Ctrl-D does: the program reads end-of-file"},
	).short("text").rule(AtLeastOne, "text", "close"),
	Example: "- stdin: \"{{ move }}\"\n- stdin: {text: abc, eol: \"\"}\n- stdin: {text: bye, close: true}\n- stdin: {close: true}",
	decode:  decodeStdin,
}

func decodeStdin(d *decoder, o *opts, ex *Exercise) Step {
	s := &stdinStep{text: o.template("text"), eol: o.str("eol", "\n"), close: o.boolean("close")}
	needsCommand(d, o.n, ex, "stdin")
	return s
}

func (s *stdinStep) run(r *runner) error {
	p, err := r.startedProgram()
	if err != nil {
		return err
	}
	if s.text != nil {
		text, err := s.text.Render(r.env, nil)
		if err != nil {
			return err
		}
		data := []byte(text + s.eol)
		if w, ok := p.Stdin().(interface{ SetWriteDeadline(time.Time) error }); ok {
			_ = w.SetWriteDeadline(r.until(0))
		}
		r.event(result.Send, "stdin", string(data))
		n, err := p.Stdin().Write(data)
		if err != nil {
			if n < len(data) {
				r.event(result.Note, "stdin", fmt.Sprintf("only %d of those %d bytes were typed", n, len(data)))
			}
			return r.stdinFailure(data, err)
		}
	}
	if s.close {
		r.event(result.Close, "stdin", "end of input (Ctrl-D)")
		if err := p.CloseStdin(); err != nil && !errors.Is(err, os.ErrClosed) {
			return r.stdinFailure(nil, err)
		}
	}
	return nil
}

func (r *runner) stdinFailure(data []byte, err error) error {
	what := fmt.Sprintf("type %q", data)
	if data == nil {
		what = "end the input"
	}
	if errors.Is(err, syscall.EPIPE) {
		// Nobody reads the pipe any more: most often the program ended.
		select {
		case <-r.proc.Done():
		case <-time.After(time.Until(r.until(settleTime))):
		}
	}
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return failf("The grader could not %s: your program did not read its input for %s.", what, r.ex.Timeouts.Step)
	case r.proc.Exited():
		// Why it ended comes first: a client that crashed on a refused
		// connection is told so, however the race with typing went.
		f := failf("The grader could not %s: your program had already ended (%s).", what, r.proc.ExitDescription())
		if why, ok := r.clientEnd(); ok {
			f.Msg = why
		}
		f.Got = r.outputTail()
		return f
	case errors.Is(err, syscall.EPIPE):
		return failf("The grader could not %s: your program closed its standard input.", what)
	case errors.Is(err, os.ErrClosed):
		return failf("The grader could not %s: the input was already ended (a stdin step closed it).", what)
	}
	return err
}
