//go:build !linux

package proc

import "time"

// Idle cannot be told here; known is false, and callers wait the full
// time they would have.
func (p *Process) Idle() (idle, known bool) { return p.Exited(), p.Exited() }

// QuietUntil cannot be told here either.
func (p *Process) QuietUntil(time.Time) (quiet, known bool) { return p.Idle() }

// IdleKnowable tells whether Idle can know, on this system.
func IdleKnowable() bool { return false }
