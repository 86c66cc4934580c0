package selftest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/result"
)

// Hostile is what a fixture of a hostile submission says beyond its
// verdicts: what the report must say, and what the run must not leave.
type Hostile struct {
	// Sandbox "required": the program would kill the grader, or every
	// process of the machine, if it were not isolated; it is graded only
	// where programs are.
	Sandbox string
	// Messages: the message of the check must hold the text.
	Messages map[string]string
	// Notices: some check's notices must hold each.
	Notices []string
	// Outside: files the program tries to write outside its folder; none
	// may exist after a run ("~/" is the home folder, a relative path is
	// from the submission folder).
	Outside []string
	// Copy: the program writes in its own folder, so a copy is graded and
	// the fixture stays as it is.
	Copy bool
	// HostListener: a server of the machine's own listens on this port (or
	// the next free one below 30000) while it is graded, for a program
	// that hunts for other servers.
	HostListener int
}

var hostileKeys = []string{"sandbox", "messages", "notices", "outside", "copy", "host_listener"}

// decode reads one of the hostile keys; false for another key.
func (h *Hostile) decode(k, v *yaml.Node, errorf func(*yaml.Node, string, ...any)) bool {
	var err error
	switch k.Value {
	case "sandbox":
		if err = v.Decode(&h.Sandbox); err == nil && h.Sandbox != "required" {
			errorf(v, "sandbox can only be required, not %q", h.Sandbox)
		}
	case "messages":
		err = v.Decode(&h.Messages)
	case "notices":
		err = v.Decode(&h.Notices)
	case "outside":
		err = v.Decode(&h.Outside)
	case "copy":
		err = v.Decode(&h.Copy)
	case "host_listener":
		if err = v.Decode(&h.HostListener); err == nil && (h.HostListener < 1 || h.HostListener > 29999) {
			errorf(v, "host_listener must be a port below 30000, not %d", h.HostListener)
		}
	default:
		return false
	}
	if err != nil {
		errorf(v, "%s: %v", k.Value, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return true
}

// judge lists where a run breaks what the fixture says beyond verdicts.
func (h *Hostile) judge(f *Fixture, dir string, r *result.Result, run int) []Mismatch {
	var out []Mismatch
	for _, c := range r.Checks {
		if want, ok := h.Messages[c.ID]; ok && !strings.Contains(c.Message, want) {
			out = append(out, Mismatch{Check: c.ID, Got: c.Status, Run: run, Why: fmt.Sprintf("its message should say %q, and is %q", want, c.Message)})
		}
	}
	var notices []string
	for _, c := range r.Checks {
		notices = append(notices, c.Notices...)
	}
	for _, want := range h.Notices {
		if !containsPart(notices, want) {
			out = append(out, Mismatch{Run: run, Why: fmt.Sprintf("no notice says %q", want)})
		}
	}
	for _, p := range h.Outside {
		path := outsidePath(dir, p)
		if _, err := os.Lstat(path); err == nil {
			out = append(out, Mismatch{Run: run, Why: "the program wrote outside its folder: " + path})
			_ = os.Remove(path)
		}
	}
	return out
}

func containsPart(list []string, part string) bool {
	for _, s := range list {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

func outsidePath(dir, p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		home, _ := os.UserHomeDir()
		return filepath.Join(home, rest)
	}
	if !filepath.IsAbs(p) {
		return filepath.Join(dir, p)
	}
	return p
}

// listenOnHost starts the fixture's server of the machine's own.
func (h *Hostile) listenOnHost() (net.Listener, error) {
	if h.HostListener == 0 {
		return nil, nil
	}
	for port := h.HostListener; port < 30000; port++ {
		if l, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			return l, nil
		}
	}
	return nil, errors.New("no free port below 30000 for host_listener")
}

// gradedCopy copies the fixture's folder when it says copy, beside a
// folder that the caller removes; otherwise it returns the folder itself.
func (h *Hostile) gradedCopy(dir string) (graded, cleanup string, err error) {
	if !h.Copy {
		return dir, "", nil
	}
	tmp, err := os.MkdirTemp("", "grader-selftest-")
	if err != nil {
		return "", "", err
	}
	graded = filepath.Join(tmp, filepath.Base(dir))
	if err := os.CopyFS(graded, os.DirFS(dir)); err != nil {
		os.RemoveAll(tmp)
		return "", "", err
	}
	// An ordinary user's grader runs the program as that user, and root's
	// as a user of its own that writes in a copy of this copy.
	_ = os.Chmod(tmp, 0o755)
	return graded, tmp, nil
}
