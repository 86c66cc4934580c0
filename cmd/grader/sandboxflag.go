package main

import (
	"flag"

	"github.com/acme-lab/grader/checks/sandbox"
)

// sandboxFlag is --sandbox, for every command that runs programs.
type sandboxFlag struct{ choice sandbox.Choice }

func addSandboxFlag(fs *flag.FlagSet) *sandboxFlag {
	f := &sandboxFlag{choice: sandbox.Auto}
	fs.Func("sandbox", "how programs are isolated: `auto` (namespaces where Linux allows them), none, or required (fail where they are refused)", func(v string) error {
		c, err := sandbox.ParseChoice(v)
		f.choice = c
		return err
	})
	return f
}

// mode is the sandbox the programs run in; a usage error where
// --sandbox required cannot be had.
func (f *sandboxFlag) mode() (sandbox.Mode, error) {
	m, err := sandbox.Resolve(f.choice)
	if err != nil {
		return m, usagef("--sandbox required: %v", err)
	}
	return m, nil
}
