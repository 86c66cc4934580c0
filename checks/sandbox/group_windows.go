//go:build windows

package sandbox

import "syscall"

// groupAttr gives the program a process group of its own, so that a
// Ctrl-C at the console reaches the grader only.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}
