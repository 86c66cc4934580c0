package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// helpRequested is -h or --help: the command's help goes to stdout and the
// grader exits 0.
type helpRequested struct{ text string }

func (h *helpRequested) Error() string { return "help requested" }

// commandHelp is the --help of the commands that have one written out;
// the others list their options (helpFor).
var commandHelp = map[string]func() string{
	"grader check": checkUsage,
	"grader init":  func() string { return initUsage },
}

// parseInterleaved parses flags that may come before or after the
// positional arguments ("grader check problem2 --dir x" as well as
// "grader check --dir x problem2"), which the flag package alone stops at.
// The flag package prints nothing: a mistake is a usage error that points
// to the command's help, and -h or --help is that help.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequested{helpFor(fs)}
			}
			return nil, usagef("%v (%s --help lists the options)", err, fs.Name())
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return rest, nil
}

// helpFor is a command's help: written out, or its options listed.
func helpFor(fs *flag.FlagSet) string {
	if h, ok := commandHelp[fs.Name()]; ok {
		return h()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s [options]\n\nOptions:\n", fs.Name())
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		opt := "--" + f.Name
		if name != "" {
			opt += " " + name
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(&b, "  %-22s %s%s\n", opt, usage, def)
	})
	b.WriteString("\n" + exitStatusText)
	return b.String()
}
