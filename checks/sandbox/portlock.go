package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Where programs share the machine's loopback, two graders must not run
// programs on the same port at once: each holds a lock per port, a file
// lock in a folder every user may write (the locks of a grader that is
// killed go with it). Locks are per open file, so two runs in one grader
// exclude each other as two graders do.

// PortLock is a held lock on one port.
type PortLock struct {
	Port int
	f    *os.File
}

// ErrPortBusy is returned by LockPort when another grader held the port
// until the deadline.
var ErrPortBusy = errors.New("another grader holds the port")

// lockPoll is how often a wait for a port lock tries again.
const lockPoll = 20 * time.Millisecond

// LockPort takes the lock of port, trying until deadline (a zero deadline:
// once). waiting, if not nil, is called once if it has to wait.
func LockPort(port int, deadline time.Time, waiting func()) (*PortLock, error) {
	dir := filepath.Join(os.TempDir(), "grader-ports")
	if err := os.Mkdir(dir, 0o777); err == nil {
		_ = os.Chmod(dir, 0o1777) // whatever the umask
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("make %s: %w", dir, err)
	}
	path := filepath.Join(dir, strconv.Itoa(port)+".lock")
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return &PortLock{Port: port, f: f}, nil
		}
		if !time.Now().Add(lockPoll).Before(deadline) {
			f.Close()
			return nil, ErrPortBusy
		}
		if waiting != nil {
			waiting()
			waiting = nil
		}
		time.Sleep(lockPoll)
	}
}

// Unlock lets the port go.
func (l *PortLock) Unlock() {
	if l != nil && l.f != nil {
		l.f.Close() // the lock goes with the file
		l.f = nil
	}
}
