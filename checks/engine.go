package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// Options are the choices of one run.
type Options struct {
	Dir     string   // the submission folder
	Command []string // replaces the exercise's command (--cmd)
	Seed    uint64   // every random value of the run follows from it
	Env     []string // the environment programs start with (os.Environ())
	// Sandbox is how programs are isolated (sandbox.Resolve); empty: the
	// best this machine allows.
	Sandbox sandbox.Mode
	// Tool is copied into the result: the grader's name and version.
	Tool result.Tool
	// Sandboxed, when set, is told how programs are isolated (as
	// Result.Sandbox), once the sandbox is made and before any check runs.
	Sandboxed func(mode string)
	// Starting, when set, is told each check that is about to run.
	Starting func(id, title string)
	// Progress, when set, sees each check's verdict as soon as it is known.
	Progress func(result.Check)
}

// Run grades the submission in opts.Dir against the exercise. It always
// returns a Result: a submission that cannot be started, hangs or floods
// gets verdicts, not an error. It stops early only when ctx is cancelled.
func Run(ctx context.Context, ex *Exercise, opts Options) *result.Result {
	if opts.Tool.Name == "" {
		opts.Tool.Name = "grader"
	}
	res := &result.Result{Version: result.Version, Tool: opts.Tool, Exercise: ex.Name, Title: ex.Title, Seed: opts.Seed, Hexdump: ex.Hexdump, Started: time.Now()}
	defer func() { res.Duration = result.MillisOf(time.Since(res.Started)) }()
	for _, c := range ex.Checks {
		res.MaxScore += c.Points
	}
	if len(opts.Command) == 0 {
		if missing := missingFiles(ex, opts.Dir); len(missing) > 0 {
			res.Error = fmt.Sprintf("%s not found in %s. Run the grader in the folder that holds your submission, or pass --dir.", strings.Join(missing, ", "), opts.Dir)
		}
	}
	var sb *sandbox.Sandbox
	if res.Error == "" && (len(ex.Submission.Command) > 0 || len(opts.Command) > 0) {
		var err error
		if sb, err = openSandbox(ex, &opts); err != nil {
			res.Error = err.Error()
		} else {
			defer sb.Close()
			if len(ex.Checks) > 0 {
				newRunner(ctx, ex, ex.Checks[0], &opts, sb).expectStart()
			}
			res.Sandbox = string(sb.Mode())
			if opts.Sandboxed != nil {
				opts.Sandboxed(res.Sandbox)
			}
		}
	}
	status := map[string]result.Status{}
	mem := &runMemory{noticed: map[string]bool{}}
	for _, c := range ex.Checks {
		var rc result.Check
		switch {
		case res.Error != "":
			rc = checkVerdict(c, result.Error, "Not graded: the submission is incomplete.")
		case ctx.Err() != nil:
			rc = checkVerdict(c, result.Error, "The run was interrupted before this check.")
		default:
			rc = runOrSkip(ctx, ex, c, &opts, sb, status, mem)
		}
		status[c.ID] = rc.Status
		res.Score += rc.Score
		res.Checks = append(res.Checks, rc)
		if opts.Progress != nil {
			opts.Progress(rc)
		}
	}
	return res
}

func checkVerdict(c *Check, s result.Status, msg string) result.Check {
	rc := result.Check{ID: c.ID, Title: c.Title, Status: s, MaxScore: c.Points, Message: msg, Hidden: c.Hidden, Transcript: []result.Event{}}
	if s == result.Passed {
		rc.Score = c.Points
	}
	return rc
}

func runOrSkip(ctx context.Context, ex *Exercise, c *Check, opts *Options, sb *sandbox.Sandbox, status map[string]result.Status, mem *runMemory) result.Check {
	for _, need := range c.Needs {
		if status[need] != result.Passed {
			return checkVerdict(c, result.Skipped, fmt.Sprintf("Skipped: it needs %q, which %s.", need, statusWords(status[need])))
		}
	}
	if opts.Starting != nil {
		opts.Starting(c.ID, c.Title)
	}
	return runCheck(ctx, ex, c, opts, sb, mem)
}

// runMemory is what one check leaves for the next ones of the same run.
type runMemory struct {
	// noticed: a notice is given once a run, under the first check that
	// meets it.
	noticed map[string]bool
	// port is the one graded at the first start, when the program listens
	// on several: every later start grades the same one.
	port int
}

var errInterrupted = errors.New("interrupted")

// openSandbox prepares the sandbox the run's programs start in.
func openSandbox(ex *Exercise, opts *Options) (*sandbox.Sandbox, error) {
	mode := opts.Sandbox
	if mode == "" {
		mode, _ = sandbox.Resolve(sandbox.Auto)
	}
	sb, err := sandbox.New(sandbox.Config{Mode: mode, Dir: opts.Dir, Limits: ex.Limits})
	switch {
	case errors.Is(err, sandbox.ErrTooBig):
		return nil, fmt.Errorf("The submission folder %s is too large to grade: it holds more than %s or %d files. Pass --dir the folder that holds only your submission.", opts.Dir, sandbox.Size(sandbox.CopyMaxBytes), sandbox.CopyMaxFiles)
	case err != nil:
		return nil, fmt.Errorf("The grader could not prepare the sandbox for your program: %v", err)
	}
	return sb, nil
}

func statusWords(s result.Status) string {
	switch s {
	case result.Skipped:
		return "was skipped"
	case result.Error:
		return "could not be run"
	}
	return "failed"
}

// runCheck runs one check against a fresh program, and always leaves no
// process and no connection behind.
func runCheck(ctx context.Context, ex *Exercise, c *Check, opts *Options, sb *sandbox.Sandbox, mem *runMemory) (rc result.Check) {
	r := newRunner(ctx, ex, c, opts, sb)
	r.noticed, r.mem = mem.noticed, mem
	defer func() {
		if p := recover(); p != nil {
			rc = checkVerdict(c, result.Error, fmt.Sprintf("internal error: %v", p))
		}
	}()
	err := r.setVars(ex.Vars)
	if err == nil {
		err = r.setVars(c.Vars)
	}
	for _, s := range c.Steps {
		if err != nil {
			break
		}
		err = s.run(r)
	}
	failedAt, ended := time.Now(), r.proc != nil && r.proc.Exited()
	r.teardown()

	rc = checkVerdict(c, result.Passed, "")
	if ctx.Err() != nil {
		err = errInterrupted
	}
	var f *Failure
	var ee *ExerciseError
	var me *machineError
	switch {
	case err == nil:
	case errors.As(err, &f):
		r.withCrash(f, failedAt, ended)
		rc = checkVerdict(c, result.Failed, f.Msg)
		rc.Expected, rc.ExpectedBytes, rc.Got = f.Expected, f.ExpectedBytes, f.Got
		if f.GotAt >= 0 && f.Got != "" {
			at := f.GotAt
			rc.GotAt = &at
		}
		rc.Hint = c.Hint
	case errors.Is(err, errInterrupted):
		rc = checkVerdict(c, result.Error, "The run was interrupted during this check.")
	case errors.As(err, &me):
		rc = checkVerdict(c, result.Error, me.msg)
	case errors.As(err, &ee):
		rc = checkVerdict(c, result.Error, fmt.Sprintf("The exercise file is at fault (%s:%d): %v", ex.File, ee.Line, ee.Err))
	default:
		rc = checkVerdict(c, result.Error, "internal error: "+err.Error())
	}
	r.mu.Lock()
	rc.Transcript = append(rc.Transcript, r.events...)
	rc.Notices = r.notices
	r.mu.Unlock()
	rc.Duration = result.MillisOf(time.Since(r.begun))
	return rc
}
