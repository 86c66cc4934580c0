//go:build !linux

package proc

// Idle cannot be told here; known is false, and callers wait the full
// time they would have.
func (p *Process) Idle() (idle, known bool) { return p.Exited(), p.Exited() }

// IdleKnowable tells whether Idle can know, on this system.
func IdleKnowable() bool { return false }
