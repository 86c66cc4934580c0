package checks

import (
	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/result"
)

// hiding reads a check's hidden key. true keeps the title and points in
// students' reports and hides what went wrong, so a test suite's secrets
// stay secret while students still see where their points come from; all
// hides the check itself. false, or no key, shows everything.
//
//	hidden: true   # details hidden
//	hidden: all    # the whole check hidden
func (d *decoder) hiding(n *yaml.Node) result.Hiding {
	if n == nil || !d.scalar(n, "hidden") {
		return result.NotHidden
	}
	switch {
	case n.Tag == "!!bool" && d.boolean(n, "hidden"):
		return result.HiddenDetails
	case n.Tag == "!!bool":
		return result.NotHidden
	case n.Value == string(result.HiddenAll):
		return result.HiddenAll
	}
	d.errorf(n, "hidden must be true (details hidden, title and points shown), all (the whole check hidden) or false, not %q", n.Value)
	return result.NotHidden
}
