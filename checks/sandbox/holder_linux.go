package sandbox

import (
	"os"
	"strconv"
	"strings"
)

// PortHolder finds the process listening on TCP port of the machine's own
// network, through sock_diag (the socket's inode) and /proc/PID/fd (who
// holds it). It scans every process, which is slow, and is meant for the
// rare case of a port in use; false if none is found or it may not be seen.
func PortHolder(port int) (Holder, bool) {
	socks, err := HostNet().Listening()
	if err != nil {
		return Holder{}, false
	}
	want := map[string]bool{}
	for _, s := range socks {
		if s.Port == port {
			want["socket:["+strconv.FormatUint(uint64(s.Inode), 10)+"]"] = true
		}
	}
	if len(want) == 0 {
		return Holder{}, false
	}
	procs, _ := os.ReadDir("/proc")
	for _, e := range procs {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		dir := "/proc/" + e.Name() + "/fd/"
		fds, _ := os.ReadDir(dir)
		for _, fd := range fds {
			if link, err := os.Readlink(dir + fd.Name()); err == nil && want[link] {
				return Holder{Pid: pid, Command: commandLine(pid)}, true
			}
		}
	}
	return Holder{}, false
}

func commandLine(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(b) == 0 {
		comm, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
		return strings.TrimSpace(string(comm))
	}
	return strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " "))
}
