package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

// A grader running as root runs each submission's programs as a uid and gid
// of their own, a slot: a fork bomb then meets RLIMIT_NPROC (which uid 0
// ignores), and the program cannot signal the grader, write cgroup files or
// read what is not readable by all. A slot is held, through a lock on a
// file, by one run at a time, across every grader on the machine; a killed
// grader's locks go with it.
const (
	slotBase  = 1_600_000_000 // far above the uids of people and services
	slotCount = 4096
)

var slotMu sync.Mutex

type slot struct {
	n    int
	lock *os.File
}

func (s *slot) uid() int { return slotBase + s.n }

func slotDir() string {
	if st, err := os.Stat("/run"); err == nil && st.IsDir() && unix.Access("/run", unix.W_OK) == nil {
		return "/run/grader-slots"
	}
	return filepath.Join(os.TempDir(), "grader-slots")
}

// takeSlot locks the lowest free slot.
func takeSlot() (*slot, error) {
	slotMu.Lock()
	defer slotMu.Unlock()
	dir := slotDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make %s: %w", dir, err)
	}
	for n := range slotCount {
		f, err := os.OpenFile(filepath.Join(dir, "slot-"+strconv.Itoa(n)), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return nil, err
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
			return &slot{n: n, lock: f}, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("all %d sandbox slots are in use", slotCount)
}

func (s *slot) release() {
	if s != nil && s.lock != nil {
		s.lock.Close() // the lock goes with the file
		s.lock = nil
	}
}
