package batch

import (
	"regexp"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// Two submissions that hard-code the same port cannot listen at the same
// time where programs share one network (before every program gets a
// network of its own, and on systems where none can): the second one's bind
// fails, and so would a verdict it does not deserve. A result that shows a
// program refused its port is therefore not kept from a run beside others;
// the student is graded again once nothing else runs, which is what a
// single run would have seen.

// addressInUse is what bind's EADDRINUSE prints: Python's OSError (98 on
// Linux, 48 on macOS, 10048 on Windows), Node's, Java's, C's perror.
var addressInUse = regexp.MustCompile(`(?i)address already in use|EADDRINUSE|\[Errno (98|48)\]|WinError 10048`)

// portClash tells whether a program of the run could not bind its port
// while sharing the grader's network. In a sandbox every program has a
// loopback of its own, and a port it could not bind is its own doing.
func portClash(r *result.Result) bool {
	if r.Sandbox != string(sandbox.None) {
		return false
	}
	for _, c := range r.Checks {
		if c.Status == result.Passed {
			continue
		}
		for _, e := range c.Transcript {
			if (e.Kind == result.Stderr || e.Kind == result.Stdout) && addressInUse.MatchString(e.Data) {
				return true
			}
		}
		if addressInUse.MatchString(c.Got) {
			return true
		}
	}
	return false
}
