package sandbox

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// A grader running as root grades a private copy of the submission folder,
// owned by the slot's uid: the program may write in it (its own files, a
// database, a log) and nowhere else, and the student's folder is left as it
// was. The copy is removed when the run ends, or, if the grader was killed,
// by the next grader.
const workPrefix = "grader-run-"

// copyTree copies src into dst (which must not exist), owned by uid:gid.
// Symbolic links are copied as links, not followed; sockets, devices and
// pipes are left out, and so is .git.
func copyTree(src, dst string, uid, gid int) error {
	var bytes int64
	files := 0
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		if d.IsDir() && d.Name() == ".git" && path != src {
			return filepath.SkipDir
		}
		if files++; files > CopyMaxFiles {
			return ErrTooBig
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		mode := info.Mode()
		switch {
		case mode.IsDir():
			if err := os.Mkdir(to, 0o700); err != nil {
				return err
			}
			if err := os.Chmod(to, mode.Perm()|0o700); err != nil {
				return err
			}
		case mode&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			if err := os.Symlink(target, to); err != nil {
				return err
			}
		case mode.IsRegular():
			if bytes += info.Size(); bytes > CopyMaxBytes {
				return ErrTooBig
			}
			if err := copyFile(path, to, mode.Perm()|0o600); err != nil {
				return err
			}
		default:
			return nil
		}
		return os.Lchown(to, uid, gid)
	})
}

func copyFile(from, to string, perm fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

var sweepOnce sync.Once

// sweepStaleCopies removes the copies of graders that are gone.
func sweepStaleCopies() {
	sweepOnce.Do(func() {
		dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), workPrefix+"*"))
		for _, dir := range dirs {
			rest := strings.TrimPrefix(filepath.Base(dir), workPrefix)
			pidText, _, _ := strings.Cut(rest, "-")
			if pid, err := strconv.Atoi(pidText); err == nil && pid != os.Getpid() && !processExists(pid) {
				_ = os.RemoveAll(dir)
			}
		}
	})
}
