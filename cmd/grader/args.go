package main

import (
	"errors"
	"flag"
	"io"
)

// helpRequested is -h or --help: the command's help goes to stdout and the
// grader exits 0.
type helpRequested struct{ text string }

func (h *helpRequested) Error() string { return "help requested" }

// parseInterleaved parses flags that may come before or after the
// positional arguments ("grader check problem2 --dir x" as well as
// "grader check --dir x problem2"), which the flag package alone stops at.
// The flag package prints nothing: a mistake is a usage error that points
// to the command's help, and -h or --help is that help.
func parseInterleaved(fs *flag.FlagSet, args []string, help string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequested{help}
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
