package sandbox

import (
	"fmt"
	"time"
)

// Limits bound what one started program and everything it spawns may use.
// A zero field takes its value from DefaultLimits.
type Limits struct {
	Processes int           // processes and threads at once (a fork bomb stops here)
	Memory    int64         // bytes, all its processes together
	CPU       time.Duration // CPU time of each process
	FileSize  int64         // bytes: the largest file it may write
	OpenFiles int           // open files and sockets of each process
}

// DefaultLimits are generous for a student's server, which needs a handful
// of threads, a few tens of MiB and little CPU while it waits for clients,
// and small enough that a fork bomb, a leak or a runaway loop cannot take
// the machine down. The CPU limit is above what a check's own deadline
// (20 s by default) lets even a program spinning on two cores use, so it
// never fails a program that a check's timeout would have passed.
var DefaultLimits = Limits{Processes: 128, Memory: 512 << 20, CPU: 60 * time.Second, FileSize: 64 << 20, OpenFiles: 256}

// WithDefaults fills the zero fields.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.Processes == 0 {
		l.Processes = d.Processes
	}
	if l.Memory == 0 {
		l.Memory = d.Memory
	}
	if l.CPU == 0 {
		l.CPU = d.CPU
	}
	if l.FileSize == 0 {
		l.FileSize = d.FileSize
	}
	if l.OpenFiles == 0 {
		l.OpenFiles = d.OpenFiles
	}
	return l
}

// Limit names one of the Limits, as the exercise format spells it.
type Limit string

const (
	LimitProcesses Limit = "processes"
	LimitMemory    Limit = "memory"
	LimitCPU       Limit = "cpu"
	LimitFileSize  Limit = "file_size"
	LimitOpenFiles Limit = "open_files"
)

// Describe names the one limit and its value, for a sentence: "the memory
// limit of 512 MiB".
func (l Limits) Describe(k Limit) string {
	l = l.WithDefaults()
	switch k {
	case LimitProcesses:
		return fmt.Sprintf("the limit of %d processes and threads", l.Processes)
	case LimitMemory:
		return "the memory limit of " + Size(l.Memory)
	case LimitCPU:
		return "the CPU time limit of " + l.CPU.String()
	case LimitFileSize:
		return "the file size limit of " + Size(l.FileSize)
	case LimitOpenFiles:
		return fmt.Sprintf("the limit of %d open files", l.OpenFiles)
	}
	return "a limit"
}

// Notice is what a report tells the student whose program ran into k: what
// happened and what to look at.
func (l Limits) Notice(k Limit) string {
	d := l.Describe(k)
	switch k {
	case LimitProcesses:
		return "Your program ran into " + d + ", so some of its forks or threads failed. A server needs only a few."
	case LimitMemory:
		return "Your program ran into " + d + " and was stopped. A server needs a few MiB; look for data that grows without end."
	case LimitCPU:
		return "Your program ran into " + d + " and was stopped. Look for a loop that spins instead of waiting: accept, recv and select wait without using the CPU."
	case LimitFileSize:
		return "Your program ran into " + d + ", so a write to a file failed."
	case LimitOpenFiles:
		return "Your program ran into " + d + ", so opening a file or socket failed. Close each connection when you are done with it."
	}
	return "Your program ran into " + d + "."
}

// Size writes a number of bytes the way the exercise format reads them.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
