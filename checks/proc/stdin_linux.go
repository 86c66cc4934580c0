//go:build linux

package proc

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

// readSyscall is the number of read(2) on this machine, as the first field
// of /proc/PID/task/TID/syscall shows it.
var readSyscall = map[string]string{"amd64": "0", "arm64": "63", "riscv64": "63", "386": "3", "arm": "3", "ppc64le": "3", "s390x": "3"}[runtime.GOARCH]

// WaitingForInput tells whether a process of the tree is blocked reading
// its standard input (file descriptor 0), as input() does: a server that
// asks for something before it listens waits for ever, since nobody types.
func (p *Process) WaitingForInput() bool {
	if readSyscall == "" {
		return false
	}
	for _, info := range p.tree() {
		dir := "/proc/" + strconv.Itoa(info.pid) + "/task/"
		tasks, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, t := range tasks {
			b, err := os.ReadFile(dir + t.Name() + "/syscall")
			if err != nil {
				continue
			}
			f := strings.Fields(string(b))
			if len(f) >= 2 && f[0] == readSyscall && f[1] == "0x0" {
				return true
			}
		}
	}
	return false
}
