package sandbox

// The grader and an init talk over a unix socket (SOCK_SEQPACKET, one
// message each) on the init's fd 3:
//
//	grader → init   initSetup (JSON): how to confine itself
//	init → grader   "ready PID" once confined, PID as /proc numbers it
//	grader → init   execRequest (JSON), with the program's stdin, stdout
//	                and stderr attached (SCM_RIGHTS)
//	init → grader   nothing: the socket closes on exec; or "STAGE: error"
//
// The first half can run ahead of time, so that a start costs no more
// than the exec (see spare.go). An init that is closed before it got its
// request exits.

// initSetup is everything the init does before it waits for the program.
// Two setups that are equal give interchangeable inits.
type initSetup struct {
	Dir string // the program's working folder

	Uid, Gid int  // -1: keep the init's own
	DropCaps bool // uid 0 of a user namespace: no capabilities, for good

	Rlimits  []rlimit
	Mounts   *mountPlan
	Landlock *landlockPlan
}

// execRequest is the program to become.
type execRequest struct {
	Path string // resolved already
	Argv []string
	Env  []string // the whole environment
}

type rlimit struct {
	Resource int
	Cur, Max uint64
}

// mountPlan is what the init does in its own mount namespace before the
// program starts.
type mountPlan struct {
	// Cover mounts an empty tmpfs over each folder, keeping visible, at
	// their own paths, the folders in Keep beneath it: /tmp becomes the
	// program's own, and root's home no longer hides an interpreter
	// installed in it from the per-slot uid.
	Cover []cover
	Proc  bool // a /proc of the program's own PID namespace
	// ProcOthersHidden mounts that /proc with hidepid=invisible: the
	// starter's, whose PID namespace holds the run's programs and the
	// starter itself, shows each program the processes of its own uid.
	ProcOthersHidden bool
	// ReadOnly makes every mount read-only but Writable: the confinement
	// used where the kernel has no Landlock.
	ReadOnly bool
	Writable []string
}

type cover struct {
	Target string
	Mode   uint32
	Size   int64
	Keep   []string
}

// landlockPlan lists what the program may touch; everything else is denied.
type landlockPlan struct {
	Read  []string // read and execute
	Write []string // anything
	Files []string // device files it may read and write (/dev/null...)
}

// initFd is the init's end of the socket.
const initFd = 3

// initEnv in the environment selects the init mode; its value says which.
const initEnv = "GRADER_SANDBOX_INIT"
