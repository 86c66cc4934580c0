package sandbox

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Within tells whether path is dir or beneath it.
func Within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// The largest submission folder a sandbox copies (see copy_linux.go).
const (
	CopyMaxBytes = 256 << 20
	CopyMaxFiles = 20000
)

// ErrTooBig is returned for a submission folder too large to copy.
var ErrTooBig = fmt.Errorf("the submission folder holds more than %s or %d files", Size(CopyMaxBytes), CopyMaxFiles)
