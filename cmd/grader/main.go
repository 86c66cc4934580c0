// Command grader grades students' TCP and HTTP socket exercises: it starts
// the student's program, talks to it over real sockets, and reports a score
// with a transcript of exactly what was sent and received.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/acme-lab/grader/checks/proc"
	"github.com/acme-lab/grader/checks/sandbox"
)

func main() {
	// Before anything else: an ordinary user's grader runs itself again
	// inside a user namespace, where it may isolate programs.
	choice := sandboxChoice(os.Args[1:])
	if code, done := sandbox.Reexec(choice); done {
		os.Exit(code)
	}
	if choice != sandbox.Off {
		// The probe of what the sandbox can do, and the network and init
		// of the first start launched beside it, overlap reading the
		// exercise.
		go func() { _, _ = sandbox.Resolve(choice) }()
	}
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	sandbox.DropUnused()
	os.Exit(code)
}

// sandboxChoice reads --sandbox ahead of the flag parsing, for Reexec: only
// commands that run programs want the sandbox. A bad value is the flag
// parser's to report.
func sandboxChoice(args []string) sandbox.Choice {
	if len(args) == 0 || (args[0] != "check" && args[0] != "selftest") {
		return sandbox.Off
	}
	for i, a := range args {
		v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "sandbox")
		switch {
		case !ok || !strings.HasPrefix(a, "-"):
			continue
		case strings.HasPrefix(v, "="):
			v = v[1:]
		case v == "" && i+1 < len(args):
			v = args[i+1]
		default:
			continue
		}
		if c, err := sandbox.ParseChoice(v); err == nil {
			return c
		}
	}
	return sandbox.Auto
}

// Exit codes.
const (
	exitPassed = 0 // every check passed
	exitFailed = 1 // some check did not pass
	exitUsage  = 2 // usage, exercise-file or submission-folder error
	// exitInterrupted follows the shell's 128+SIGINT.
	exitInterrupted = 130
)

// usageError is a mistake in how the grader was called or configured.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

const usage = `grader: grades TCP and HTTP socket exercises by running your program.

Usage:
  grader check EXERCISE [--dir DIR] [--cmd "COMMAND"] [--seed N] [--format FORMAT]
               [--report FORMAT[=PATH]]... [--show-hidden] [--hexdump]
               [--sandbox auto|none|required]
  grader list                               # the exercises, and where each comes from
  grader show EXERCISE                      # what is checked, in words
  grader init EXERCISE [--dir DIR]          # write its starter files, if it has any
  grader batch EXERCISE SUBMISSIONS [--jobs N] [--out DIR] [--seed N] [--seed-per-student]
               [--shard I/N] [--regrade] [--report FORMAT[=FILE]]... [--show-hidden]
  grader merge OUT1 OUT2 ... --out DIR [--partial]
  grader help | --help                      # this text (grader check --help: its options)
  grader version | --version

For instructors (docs/exercise-format.md in the grader's repository):
  grader new NAME --kind tcp-server|http-server|tcp-client|udp-server|file
  grader selftest [EXERCISE...] [--repeat N] [--jobs N] [--seed N]
  grader lint [FILE|DIR...] [--format text|github] [--strict]
  grader schema                             # the JSON Schema of exercise files

Every command takes --exercises DIR, a course folder (repeatable), and reads
$GRADER_EXERCISES, folders like PATH: their exercises join the built-in ones.

Examples:
  grader check problem2                     # in the folder that holds rps_server.py
  grader check problem1 --dir ~/lab/tcp     # somewhere else
  grader check problem2 --cmd "python3 my_rps.py"
  grader check problem2 --seed 4242         # replay a run exactly
  grader check problem2 --format json > result.json
  grader check problem1 --hexdump           # bytes as tcpdump -X shows them
  grader check ./my-exercise.yaml --dir fixtures/my-exercise/good
  grader check problem2 --sandbox required  # CI: never grade unsandboxed
  grader batch problem2 submissions/ --out week3   # a folder per student; see week3/index.html
  grader new echo --kind tcp-server && grader selftest echo --exercises exercises

Colours only on a terminal, and not when NO_COLOR is set to anything but
the empty string (no-color.org).

` + exitStatusText

// exitStatusText ends every help text.
const exitStatusText = `Exit status: 0 when every check passed (batch: every student got full marks),
1 when one did not, 2 for a usage, exercise-file or submission-folder error
(and for a check the exercise file could not grade), 130 when interrupted
(Ctrl-C stops the submission at once; the reports are still written).
`

func run(args []string, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(interrupted)
	go func() {
		// Interrupted: stop the submission at once, let the run end with
		// the checks not done marked as errors, so that reports are still
		// written; exit anyway if that takes more than a few seconds.
		sig := <-interrupted
		fmt.Fprintf(stderr, "grader: interrupted (%v); stopping the submission\n", sig)
		cancel()
		proc.StopAll()
		time.Sleep(5 * time.Second)
		os.Exit(exitInterrupted)
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "check":
		err = runCheck(ctx, args[1:], stdout, stderr)
	case "list":
		err = runList(args[1:], stdout, stderr)
	case "show":
		err = runShow(args[1:], stdout, stderr)
	case "init":
		err = runInit(args[1:], stdout, stderr)
	case "batch":
		err = runBatch(ctx, args[1:], stdout, stderr)
	case "merge":
		err = runMerge(args[1:], stdout, stderr)
	case "new":
		err = runNew(args[1:], stdout, stderr)
	case "schema":
		err = runSchema(args[1:], stdout)
	case "lint":
		err = runLint(args[1:], stdout, stderr)
	case "selftest":
		err = runSelftest(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitPassed
	case "version", "--version":
		fmt.Fprintln(stdout, tool())
		return exitPassed
	default:
		err = usagef("unknown command %q\n\n%s", args[0], usage)
	}
	var failed *failedError
	var ue *usageError
	var help *helpRequested
	var said *saidError
	switch {
	case ctx.Err() != nil:
		return exitInterrupted
	case err == nil:
		return exitPassed
	case errors.As(err, &help):
		fmt.Fprint(stdout, help.text)
		return exitPassed
	case errors.As(err, &failed):
		return exitFailed
	case errors.As(err, &said):
		return exitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "grader: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "grader: %v\n", err)
	return exitUsage
}

// saidError is a usage error that a report on the terminal already
// explained: exit status 2, and nothing more on stderr.
type saidError struct{}

func (saidError) Error() string { return "see the report" }

// failedError is a run that worked and found checks that did not pass.
type failedError struct{}

func (failedError) Error() string { return "some checks did not pass" }
