package sandbox

import (
	"fmt"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Landlock confines the program's file system access to a list of folders,
// without privileges, and for good: neither the program nor anything it
// starts can lift it. The rights it knows grow with the kernel's ABI
// version; asking for one the kernel does not know is an error, so the set
// handled is computed from the version.
const (
	llRead = unix.LANDLOCK_ACCESS_FS_EXECUTE | unix.LANDLOCK_ACCESS_FS_READ_FILE | unix.LANDLOCK_ACCESS_FS_READ_DIR
	// Rights that apply to a file, not only to a folder.
	llFileRights = unix.LANDLOCK_ACCESS_FS_EXECUTE | unix.LANDLOCK_ACCESS_FS_WRITE_FILE |
		unix.LANDLOCK_ACCESS_FS_READ_FILE | unix.LANDLOCK_ACCESS_FS_TRUNCATE | unix.LANDLOCK_ACCESS_FS_IOCTL_DEV
)

var (
	landlockOnce sync.Once
	landlockABI  int
)

// LandlockABI is the kernel's Landlock version, 0 where it has none.
func LandlockABI() int {
	landlockOnce.Do(func() {
		v, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
		if e == 0 {
			landlockABI = int(v)
		}
	})
	return landlockABI
}

func handledRights(abi int) uint64 {
	r := uint64(unix.LANDLOCK_ACCESS_FS_EXECUTE | unix.LANDLOCK_ACCESS_FS_WRITE_FILE | unix.LANDLOCK_ACCESS_FS_READ_FILE |
		unix.LANDLOCK_ACCESS_FS_READ_DIR | unix.LANDLOCK_ACCESS_FS_REMOVE_DIR | unix.LANDLOCK_ACCESS_FS_REMOVE_FILE |
		unix.LANDLOCK_ACCESS_FS_MAKE_CHAR | unix.LANDLOCK_ACCESS_FS_MAKE_DIR | unix.LANDLOCK_ACCESS_FS_MAKE_REG |
		unix.LANDLOCK_ACCESS_FS_MAKE_SOCK | unix.LANDLOCK_ACCESS_FS_MAKE_FIFO | unix.LANDLOCK_ACCESS_FS_MAKE_BLOCK |
		unix.LANDLOCK_ACCESS_FS_MAKE_SYM)
	if abi >= 2 {
		r |= unix.LANDLOCK_ACCESS_FS_REFER
	}
	if abi >= 3 {
		r |= unix.LANDLOCK_ACCESS_FS_TRUNCATE
	}
	if abi >= 5 {
		r |= unix.LANDLOCK_ACCESS_FS_IOCTL_DEV
	}
	return r
}

// prepareLandlock builds the rule set while the init may still open every
// path, and returns the call that puts it in force, made after the uid
// change and no_new_privs.
func prepareLandlock(p *landlockPlan) (func() error, error) {
	abi := LandlockABI()
	if abi == 0 {
		return nil, fmt.Errorf("the kernel has no Landlock")
	}
	handled := handledRights(abi)
	// The first three fields of struct landlock_ruleset_attr, which every
	// kernel with Landlock accepts (x/sys's type has newer ones).
	var attr struct{ fs, net, scoped uint64 }
	attr.fs = handled
	if abi >= 6 {
		// Nor may it signal, or reach an abstract unix socket of, anything
		// outside its own domain: the grader, other programs.
		attr.scoped = unix.LANDLOCK_SCOPE_SIGNAL | unix.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
	}
	fd, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if e != 0 {
		return nil, fmt.Errorf("create ruleset: %w", e)
	}
	add := func(path string, rights uint64) error {
		st, err := os.Stat(path)
		if err != nil {
			return nil // a folder this machine does not have
		}
		if !st.IsDir() {
			rights &= llFileRights
		}
		pfd, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil
		}
		defer unix.Close(pfd)
		rule := unix.LandlockPathBeneathAttr{Allowed_access: rights & handled, Parent_fd: int32(pfd)}
		_, _, e := unix.Syscall6(unix.SYS_LANDLOCK_ADD_RULE, fd, unix.LANDLOCK_RULE_PATH_BENEATH, uintptr(unsafe.Pointer(&rule)), 0, 0, 0)
		if e != 0 {
			return fmt.Errorf("allow %s: %w", path, e)
		}
		return nil
	}
	for _, path := range p.Read {
		if err := add(path, llRead); err != nil {
			return nil, err
		}
	}
	for _, path := range p.Files {
		if err := add(path, unix.LANDLOCK_ACCESS_FS_READ_FILE|unix.LANDLOCK_ACCESS_FS_WRITE_FILE|unix.LANDLOCK_ACCESS_FS_TRUNCATE|unix.LANDLOCK_ACCESS_FS_IOCTL_DEV); err != nil {
			return nil, err
		}
	}
	for _, path := range p.Write {
		if err := add(path, handled); err != nil {
			return nil, err
		}
	}
	return func() error {
		defer unix.Close(int(fd))
		if _, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0); e != 0 {
			return fmt.Errorf("restrict self: %w", e)
		}
		return nil
	}, nil
}
