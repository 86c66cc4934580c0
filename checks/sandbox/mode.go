package sandbox

import (
	"errors"
	"fmt"
)

// Mode is how programs are isolated in a run; the JSON result names it.
type Mode string

const (
	// Namespaces: a grader running as root gives every start its own
	// network, PID and mount namespaces and a per-slot uid.
	Namespaces Mode = "namespaces"
	// UserNamespaces: an unprivileged grader re-executed itself inside a
	// user namespace and does the same there, minus the per-slot uid and
	// cgroups.
	UserNamespaces Mode = "user-namespaces"
	// None: programs share the machine's loopback, as any program started
	// from a shell would; ports are locked and checked instead.
	None Mode = "none"
)

// Isolated tells whether programs get namespaces of their own.
func (m Mode) Isolated() bool { return m == Namespaces || m == UserNamespaces }

// Choice is what the user asked for with --sandbox.
type Choice string

const (
	// Auto isolates where the system allows it, and falls back otherwise.
	Auto Choice = "auto"
	// Off never isolates (for debugging a submission as it would run by hand).
	Off Choice = "none"
	// Required fails where isolation cannot be had: for CI that must never
	// grade unsandboxed.
	Required Choice = "required"
)

// Choices lists the values --sandbox accepts.
var Choices = []Choice{Auto, Off, Required}

// ParseChoice reads the value of --sandbox.
func ParseChoice(s string) (Choice, error) {
	for _, c := range Choices {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("--sandbox must be none, auto or required, not %q", s)
}

// ErrUnavailable is returned by Resolve for Required where programs cannot
// be isolated; its message says why.
var ErrUnavailable = errors.New("the sandbox is not available")

// Resolve says which mode a choice gives on this machine, in this process.
// The probe behind it runs once per process.
func Resolve(c Choice) (Mode, error) {
	if c == Off {
		return None, nil
	}
	m, why := available()
	if m == None && c == Required {
		return None, fmt.Errorf("%w: %s", ErrUnavailable, why)
	}
	return m, nil
}

// Why says, when Resolve(Auto) gives None, why isolation is not available.
func Why() string {
	_, why := available()
	return why
}
