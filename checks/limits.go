package checks

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/sandbox"
)

// limits reads what one start of the program may use into l, which holds
// the defaults (sandbox.DefaultLimits) of what is not given.
//
//	limits: {processes: 64, memory: 256MiB, cpu: 10s, file_size: 16MiB, open_files: 128}
func (d *decoder) limits(o *opts, l *sandbox.Limits) {
	l.Processes = o.integer("processes", l.Processes)
	if n := o.node("memory"); n != nil {
		l.Memory = d.size(n, "limits.memory", 16<<20)
	}
	if o.has("cpu") {
		n := o.node("cpu")
		if l.CPU = o.duration("cpu"); l.CPU > 0 && l.CPU < time.Second {
			d.errorf(n, "limits.cpu must be at least 1s, not %s", n.Value)
		}
	}
	if n := o.node("file_size"); n != nil {
		l.FileSize = d.size(n, "limits.file_size", 1<<10)
	}
	l.OpenFiles = o.integer("open_files", l.OpenFiles)
}

var sizeSyntax = regexp.MustCompile(`^\s*([0-9]+)\s*(B|KiB|MiB|GiB)?\s*$`)

// size reads "512MiB", "64 KiB", "1GiB" or a number of bytes.
func (d *decoder) size(n *yaml.Node, what string, least int64) int64 {
	if !d.scalar(n, what) {
		return 0
	}
	m := sizeSyntax.FindStringSubmatch(n.Value)
	if m == nil {
		d.errorf(n, "%s must be a size such as 512MiB, 64KiB or 1GiB, not %q", what, n.Value)
		return 0
	}
	v, err := strconv.ParseInt(m[1], 10, 64)
	shift := map[string]uint{"": 0, "B": 0, "KiB": 10, "MiB": 20, "GiB": 30}[m[2]]
	if err != nil || v > 1<<40>>shift {
		d.errorf(n, "%s is too large: %q", what, n.Value)
		return 0
	}
	v <<= shift
	if v < least {
		d.errorf(n, "%s must be at least %s, not %s", what, sandbox.Size(least), strings.TrimSpace(n.Value))
	}
	return v
}
