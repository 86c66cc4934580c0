package main

import (
	"errors"
	"flag"
)

// parseInterleaved parses flags that may come before or after the
// positional arguments ("grader check problem2 --dir x" as well as
// "grader check --dir x problem2"), which the flag package alone stops at.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usagef("see the usage above")
			}
			return nil, usagef("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return rest, nil
}
