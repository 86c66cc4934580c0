//go:build windows

package proc

import "time"

func enableSubreaper() {}

// killTree on Windows ends the main process only; its children are not
// tracked (no process groups to signal as on Unix).
func killTree(p *Process, grace time.Duration) {
	p.prog.Kill()
}
