//go:build windows

package proc

import (
	"syscall"
	"time"
)

func enableSubreaper() {}

func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killTree on Windows ends the main process only; its children are not
// tracked (no process groups to signal as on Unix).
func killTree(p *Process, grace time.Duration) {
	_ = p.cmd.Process.Kill()
}
