package proc

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

var (
	pythonName  = regexp.MustCompile(`^python[0-9.]*$`)
	interpMu    sync.Mutex
	interpCache = map[string]string{}
)

// ResolveInterpreter replaces a Python launcher script (pyenv's shim) by the
// interpreter it would run. A shim costs about 300 ms a start, ten times the
// interpreter's own start-up, and a check may start a server thirty times.
// The answer is asked once per name and kept.
func ResolveInterpreter(argv []string) []string {
	name := argv[0]
	if strings.ContainsRune(name, filepath.Separator) || !pythonName.MatchString(name) {
		return argv
	}
	interpMu.Lock()
	defer interpMu.Unlock()
	real, ok := interpCache[name]
	if !ok {
		real = askInterpreter(name)
		interpCache[name] = real
	}
	out := append([]string{real}, argv[1:]...)
	return out
}

func askInterpreter(name string) string {
	path, err := exec.LookPath(name)
	if err != nil {
		return name
	}
	head := make([]byte, 2)
	f, err := os.Open(path)
	if err != nil {
		return path
	}
	_, _ = f.Read(head)
	f.Close()
	if string(head) != "#!" {
		return path
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-c", "import sys; print(sys.executable)").Output()
	real := string(bytes.TrimSpace(out))
	if err != nil || real == "" {
		return path
	}
	return real
}
