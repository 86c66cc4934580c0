package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
)

type checkOptions struct {
	exercise string
	dir      string
	command  string
	seed     uint64
	seedSet  bool
	format   string
	// reports are the --report NAME[=PATH] outputs besides the terminal's.
	reports    []reportSpec
	showHidden bool // hidden checks' details in every report (instructors)
	hexdump    bool // bytes as a packet view in the text report
	course     *courseFlag
	sandbox    *sandboxFlag
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseCheck(args)
	if err != nil {
		return err
	}
	cat, err := opts.course.open(stderr)
	if err != nil {
		return err
	}
	ex, err := findExercise(cat, opts.exercise)
	if err != nil {
		return err
	}
	dir, err := filepath.Abs(opts.dir)
	if err != nil {
		return err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("--dir %s: no such folder", opts.dir)
	}
	mode, err := opts.sandbox.mode()
	if err != nil {
		return err
	}
	runOpts := checks.Options{Dir: dir, Seed: opts.seed, Env: os.Environ(), Tool: tool(), Sandbox: mode}
	if opts.command != "" {
		if runOpts.Command, err = checks.SplitCommand(opts.command); err != nil || len(runOpts.Command) == 0 {
			return usagef("--cmd %q: %v", opts.command, err)
		}
	}
	out := newOutputs(opts, ex, stdout)
	defer out.rescue()
	runOpts.Progress = out.progress
	runOpts.Starting = out.starting
	runOpts.Sandboxed = func(mode string) { out.partial.Sandbox = mode }
	res := checks.Run(ctx, ex, runOpts)
	if err := out.write(res); err != nil {
		return err
	}
	if res.Error != "" {
		if opts.format == "text" {
			// The terminal report said it; say it once.
			return &saidError{}
		}
		return usagef("%s", res.Error)
	}
	// An error verdict is not the student's: the exercise (or the grader)
	// could not judge, and that is the author's to fix, like a load error.
	if n := res.Count(result.Error); n > 0 && ctx.Err() == nil {
		return usagef("%d check(s) could not be graded (error in the report): the exercise file is at fault, or the grader", n)
	}
	if !res.Passed() {
		return &failedError{}
	}
	return nil
}

// checkUsage is grader check --help.
func checkUsage() string {
	return `Usage: grader check EXERCISE [options]

Grades the submission in a folder: starts your program, talks to it over
real sockets, and prints a score with a transcript of what went wrong.
EXERCISE is a name (grader list shows them) or an exercise file.

Options:
  --dir DIR            the folder that holds the submission (default: the current one)
  --cmd "COMMAND"      start the submission with this command instead of the exercise's
  --seed N             the seed of the random inputs; the report prints it, and the
                       same seed replays a run exactly
  --format FORMAT      the report on stdout: ` + strings.Join(report.Names(), ", ") + ` (default text)
  --report NAME[=PATH] also write the report NAME, to PATH or else stdout (repeatable);
                       github-classroom with no path sets the Actions step output
  --show-hidden        show hidden checks' details in every report (for instructors)
  --hexdump            show the bytes of transcripts as a packet view, as tcpdump -X does
  --exercises DIR      a course folder of exercises (repeatable; $GRADER_EXERCISES adds more)
  --sandbox MODE       how each start of the program is isolated: auto (the default: its own
                       network, processes and files where Linux allows), none, or required
                       (exit 2 where the sandbox is refused, rather than grade without it)

Examples:
  grader check problem2                     # in the folder that holds rps_server.py
  grader check problem1 --dir ~/lab/tcp
  grader check problem2 --cmd "python3 my_rps.py"
  grader check problem2 --seed 4242         # replay a run exactly
  grader check problem1 --report junit=out/junit.xml --report gradescope=results.json
  grader check problem2 --sandbox required  # CI: never grade unsandboxed

` + exitStatusText
}

func parseCheck(args []string) (*checkOptions, error) {
	o := &checkOptions{}
	fs := flag.NewFlagSet("grader check", flag.ContinueOnError)
	fs.StringVar(&o.dir, "dir", ".", "the folder that holds the submission")
	fs.StringVar(&o.command, "cmd", "", "start the submission with this command instead of the exercise's")
	seed := fs.String("seed", "", "seed of the random inputs; the report prints it, and the same seed replays a run")
	fs.StringVar(&o.format, "format", "text", "the report on stdout: "+strings.Join(report.Names(), ", "))
	fs.Func("report", "also write the report `NAME[=PATH]` (repeatable); no path: stdout, or $GITHUB_OUTPUT for github-classroom", func(v string) error {
		spec, err := parseReport(v)
		o.reports = append(o.reports, spec)
		return err
	})
	fs.BoolVar(&o.showHidden, "show-hidden", false, "show hidden checks' details in every report (for instructors)")
	fs.BoolVar(&o.hexdump, "hexdump", false, "show the bytes of transcripts as a packet view (offset, hex, ASCII), as tcpdump -X does")
	o.sandbox = addSandboxFlag(fs)
	o.course = addCourseFlag(fs)
	// Flags may come before or after the exercise name.
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	switch len(rest) {
	case 0:
		return nil, usagef("check needs an exercise name, e.g. grader check problem2 (grader list shows them)")
	case 1:
		o.exercise = rest[0]
	default:
		return nil, usagef("check takes one exercise, got %s", strings.Join(rest, " "))
	}
	if _, ok := report.Lookup(o.format); !ok {
		return nil, usagef("--format must be one of %s, not %q%s", strings.Join(report.Names(), ", "), o.format, nearestFormat(o.format))
	}
	if *seed != "" {
		v, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			return nil, usagef("--seed must be a whole number, not %q", *seed)
		}
		o.seed, o.seedSet = v, true
	} else {
		o.seed = drawSeed()
	}
	return o, nil
}

// drawSeed draws a seed for a run not given one; the reports print it, so
// that --seed replays the run. Seeds are short, to be easy to type.
func drawSeed() uint64 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return uint64(binary.LittleEndian.Uint32(b[:])%999999 + 1)
}

// colorWanted: colours only on a terminal, and never with NO_COLOR set to
// a value: https://no-color.org says an empty NO_COLOR keeps colour.
func colorWanted(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}
