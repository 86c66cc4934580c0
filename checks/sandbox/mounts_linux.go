package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// applyMounts runs in the init, in its own mount namespace, as root of it.
// Nothing done here is seen outside: propagation is cut first.
func applyMounts(p *mountPlan) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make / private: %w", err)
	}
	for _, c := range p.Cover {
		if err := coverWith(c); err != nil {
			return err
		}
	}
	if p.Proc {
		// A /proc of the program's own PID namespace: it sees its own
		// processes only. Refused where the machine's /proc is partly
		// masked (some containers); the program then sees the machine's,
		// which it can read but not act on.
		flags := uintptr(unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
		if !p.ProcOthersHidden || unix.Mount("proc", "/proc", "proc", flags, "hidepid=invisible") != nil &&
			unix.Mount("proc", "/proc", "proc", flags, "hidepid=2") != nil { // before Linux 5.8
			_ = unix.Mount("proc", "/proc", "proc", flags, "")
		}
	}
	if p.ReadOnly {
		return readOnlyBut(p.Writable)
	}
	return nil
}

// coverWith mounts a fresh tmpfs on c.Target and puts back, at the same
// paths, the folders of c.Keep: each is cloned before the tmpfs hides it,
// and moved onto an empty folder made for it afterwards.
func coverWith(c cover) error {
	var trees []int
	defer func() {
		for _, fd := range trees {
			unix.Close(fd)
		}
	}()
	for _, k := range c.Keep {
		fd, err := unix.OpenTree(unix.AT_FDCWD, k, unix.OPEN_TREE_CLONE|unix.OPEN_TREE_CLOEXEC|unix.AT_RECURSIVE)
		if err != nil {
			return fmt.Errorf("clone %s: %w", k, err)
		}
		trees = append(trees, fd)
	}
	opts := fmt.Sprintf("mode=%o", c.Mode)
	if c.Size > 0 {
		opts += fmt.Sprintf(",size=%d", c.Size)
	}
	if err := unix.Mount("tmpfs", c.Target, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, opts); err != nil {
		return fmt.Errorf("mount a tmpfs on %s: %w", c.Target, err)
	}
	for i, k := range c.Keep {
		if err := os.MkdirAll(k, 0o755); err != nil {
			return fmt.Errorf("make %s: %w", k, err)
		}
		if err := unix.MoveMount(trees[i], "", unix.AT_FDCWD, k, unix.MOVE_MOUNT_F_EMPTY_PATH); err != nil {
			return fmt.Errorf("put back %s: %w", k, err)
		}
	}
	return nil
}

// readOnlyBut makes every mount read-only except the folders given, which
// first become mounts of their own so they can stay writable. Devices stay
// usable: a read-only mount does not stop writes to /dev/null.
func readOnlyBut(writable []string) error {
	for _, w := range writable {
		if isMountPoint(w) {
			continue
		}
		if err := unix.Mount(w, w, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("bind %s: %w", w, err)
		}
	}
	ro := &unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY}
	if err := unix.MountSetattr(unix.AT_FDCWD, "/", unix.AT_RECURSIVE, ro); err != nil {
		return fmt.Errorf("make / read-only: %w", err)
	}
	rw := &unix.MountAttr{Attr_clr: unix.MOUNT_ATTR_RDONLY}
	for _, w := range writable {
		if err := unix.MountSetattr(unix.AT_FDCWD, w, unix.AT_RECURSIVE, rw); err != nil {
			return fmt.Errorf("make %s writable: %w", w, err)
		}
	}
	return nil
}

// isMountPoint tells whether path is the root of a mount, from mountinfo.
func isMountPoint(path string) bool {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) > 4 && filepath.Clean(unescapeMount(f[4])) == filepath.Clean(path) {
			return true
		}
	}
	return false
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var v int
			if _, err := fmt.Sscanf(s[i+1:i+4], "%3o", &v); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
