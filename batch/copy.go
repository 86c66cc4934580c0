package batch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// copyLimit bounds a private copy: a folder holding a data set or a virtual
// environment is that student's problem, not a full disk.
var copyLimit int64 = 256 << 20

var errTooBig = errors.New("it holds more than the grader copies")

// privateCopy copies a student's folder to dst, so that whatever the
// program writes, deletes or leaves running touches neither the original
// nor another student's files. Regular files and folders are copied, modes
// kept; a .git folder is left out (history is not the submission); a link is
// copied as the file it points to when that file is inside the folder, and
// left out otherwise; pipes, sockets and devices are left out (opening a
// pipe would wait forever).
func privateCopy(src, dst string) error {
	var total int64
	return copyDir(src, dst, src, &total)
}

func copyDir(src, dst, root string, total *int64) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		switch mode := e.Type(); {
		case e.IsDir() && e.Name() == ".git":
		case e.IsDir():
			if err := copyDir(from, to, root, total); err != nil {
				return err
			}
		case mode.IsRegular():
			if err := copyFile(from, to, total); err != nil {
				return err
			}
		case mode&os.ModeSymlink != 0:
			if target, ok := insideFile(from, root); ok {
				if err := copyFile(target, to, total); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// insideFile resolves a link to a regular file inside root.
func insideFile(link, root string) (string, bool) {
	target, err := filepath.EvalSymlinks(link)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	st, err := os.Stat(target)
	return target, err == nil && st.Mode().IsRegular()
}

func copyFile(from, to string, total *int64) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return nil // replaced since it was listed
	}
	if *total += st.Size(); *total > copyLimit {
		return errTooBig
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm()|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, io.LimitReader(in, st.Size())); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyProblem says, for the student's row, why their folder (dir, shown as
// path) could not be copied.
func copyProblem(path, dir string, err error) string {
	if errors.Is(err, errTooBig) {
		return fmt.Sprintf("The folder %s could not be graded: it holds more than %d MiB (a .git folder aside).", path, copyLimit>>20)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		if rel, rerr := filepath.Rel(dir, pe.Path); rerr == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return fmt.Sprintf("The folder %s could not be read: %s: %v.", path, rel, pe.Err)
		}
		return fmt.Sprintf("The folder %s could not be read: %v.", path, pe.Err)
	}
	return fmt.Sprintf("The folder %s could not be read: %v.", path, err)
}
