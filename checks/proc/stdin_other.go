//go:build !linux

package proc

// WaitingForInput cannot tell here whether the program waits for input.
func (p *Process) WaitingForInput() bool { return false }
