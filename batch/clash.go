package batch

import (
	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// Two submissions that hard-code the same port cannot listen at the same
// time where programs share one network (--sandbox none, and systems that
// refuse namespaces): the second one's bind
// fails, and so would a verdict it does not deserve. A result that shows a
// program refused its port is therefore not kept from a run beside others;
// the student is graded again once nothing else runs, which is what a
// single run would have seen.

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
			if (e.Kind == result.Stderr || e.Kind == result.Stdout) && checks.AddressInUse(e.Data) {
				return true
			}
		}
		if checks.AddressInUse(c.Got) {
			return true
		}
	}
	return false
}
