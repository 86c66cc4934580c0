//go:build !linux

package proc

import "time"

// Idle cannot be told here; known is false, and callers wait the full
// time they would have.
func (p *Process) Idle() (idle, known bool) { return p.Exited(), p.Exited() }

// QuietUntil cannot be told here either.
func (p *Process) QuietUntil(time.Time) (quiet, known bool) { return p.Idle() }

// Look is what one look at the program saw (idle_linux.go).
type Look struct {
	Quiet, Known bool
	Mark         uint64
}

// Look knows only whether the program ended.
func (p *Process) Look(time.Time) Look { return Look{Quiet: p.Exited(), Known: p.Exited()} }

// IdleKnowable tells whether Idle can know, on this system.
func IdleKnowable() bool { return false }
