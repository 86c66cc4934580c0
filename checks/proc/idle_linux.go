//go:build linux

package proc

import (
	"bytes"
	"os"
	"strconv"
	"strings"
)

// Idle tells whether the whole tree waits: every thread of the program and
// of its children is asleep in the kernel (in accept, recv, a read of its
// input, a sleep), none running or ready to run. A program that is idle
// does nothing until something reaches it, so a step that watches for
// what it might still do (a traceback after a close, a second response)
// can stop watching. Children are found from the main process down.
func (p *Process) Idle() (idle, known bool) {
	if p.Exited() {
		return true, true
	}
	seen := 0
	pids := []int{p.Pid}
	for len(pids) > 0 {
		pid := pids[0]
		pids = pids[1:]
		dir := "/proc/" + strconv.Itoa(pid) + "/task/"
		tasks, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, t := range tasks {
			stat, err := os.ReadFile(dir + t.Name() + "/stat")
			if err != nil {
				continue
			}
			i := bytes.LastIndexByte(stat, ')')
			if i < 0 || i+2 >= len(stat) {
				return false, false
			}
			switch stat[i+2] {
			case 'S', 'Z', 'X', 'I':
			default: // R running, D in disk wait, T stopped, t traced
				return false, true
			}
			seen++
			children, err := os.ReadFile(dir + t.Name() + "/children")
			if err != nil {
				continue
			}
			for _, c := range strings.Fields(string(children)) {
				if n, err := strconv.Atoi(c); err == nil {
					pids = append(pids, n)
				}
			}
		}
	}
	return seen > 0, seen > 0
}
