//go:build !linux

package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"time"
)

// PortHolder asks lsof (shipped with macOS) which process listens on TCP
// port; false where it cannot tell.
func PortHolder(port int) (Holder, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "lsof", "-nP", "-iTCP:"+strconv.Itoa(port), "-sTCP:LISTEN", "-Fpc").Output()
	if err != nil {
		return Holder{}, false
	}
	var h Holder
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case len(line) > 1 && line[0] == 'p' && h.Pid == 0:
			h.Pid, _ = strconv.Atoi(line[1:])
		case len(line) > 1 && line[0] == 'c' && h.Command == "":
			h.Command = line[1:]
		}
	}
	return h, h.Pid != 0
}
