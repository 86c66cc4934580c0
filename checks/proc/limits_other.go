//go:build !linux

package proc

type cgroups struct{}

// LimitsEnforced: outside Linux no limits are enforced.
func LimitsEnforced() bool { return false }

func confine(pid int, tag string, l Limits) *cgroups { return nil }
func (cg *cgroups) members() []int                   { return nil }
func (cg *cgroups) hitLimit() []string               { return nil }
func (cg *cgroups) remove()                          {}
func (cg *cgroups) freeze() bool                     { return false }
func (cg *cgroups) thaw()                            {}
