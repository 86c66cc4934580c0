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
// interpreter it would run from dir. A shim costs about 300 ms a start, ten
// times the interpreter's own start-up, and a check may start a server
// thirty times. The answer is kept per name and folder.
func ResolveInterpreter(argv []string, dir string) []string {
	name := argv[0]
	if strings.ContainsRune(name, filepath.Separator) || !pythonName.MatchString(name) {
		return argv
	}
	key := name + "\x00" + dir
	interpMu.Lock()
	defer interpMu.Unlock()
	real, ok := interpCache[key]
	if !ok {
		real = findInterpreter(name, dir)
		interpCache[key] = real
	}
	return append([]string{real}, argv[1:]...)
}

func findInterpreter(name, dir string) string {
	path, err := exec.LookPath(name)
	if err != nil || !isScript(path) {
		return name
	}
	if real := pyenvTarget(name, path, dir); real != "" {
		return real
	}
	// Some other launcher: ask it once.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-c", "import sys; print(sys.executable)").Output()
	if real := string(bytes.TrimSpace(out)); err == nil && real != "" {
		return real
	}
	return path
}

func isScript(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := f.Read(head)
	return n == 2 && string(head) == "#!"
}

// pyenvTarget follows pyenv's own rules without running it: PYENV_VERSION,
// else the nearest .python-version from dir upwards, else the global version
// file; "system" means the next interpreter on PATH after the shims.
func pyenvTarget(name, shim, dir string) string {
	shims := filepath.Dir(shim)
	if filepath.Base(shims) != "shims" {
		return ""
	}
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		root = filepath.Dir(shims)
	}
	versions := strings.Fields(os.Getenv("PYENV_VERSION"))
	if len(versions) == 0 {
		versions = versionFile(dir, root)
	}
	for _, v := range versions {
		if v == "system" {
			return nextOnPath(name, shims)
		}
		cand := filepath.Join(root, "versions", v, "bin", name)
		if st, err := os.Stat(cand); err == nil && !st.IsDir() {
			return cand
		}
	}
	return ""
}

func versionFile(dir, root string) []string {
	if abs, err := filepath.Abs(dir); err == nil {
		for d := abs; ; d = filepath.Dir(d) {
			if b, err := os.ReadFile(filepath.Join(d, ".python-version")); err == nil {
				return strings.Fields(string(b))
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(root, "version")); err == nil {
		return strings.Fields(string(b))
	}
	return []string{"system"}
}

func nextOnPath(name, skip string) string {
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if d == skip {
			continue
		}
		cand := filepath.Join(d, name)
		if st, err := os.Stat(cand); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return cand
		}
	}
	return ""
}
