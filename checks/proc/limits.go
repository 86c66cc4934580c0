package proc

// Limits bound what one started program and its descendants may use. Zero
// means the default; where the platform cannot enforce a limit, it is not
// enforced, and Enforced says so.
type Limits struct {
	Procs  int   // processes and threads at once (a fork bomb stops here)
	Memory int64 // bytes of memory, all processes together
}

// DefaultLimits are generous for a student's server, which needs a handful
// of threads and a few tens of MiB, and small enough to keep a fork bomb or
// a leak from taking the machine down.
var DefaultLimits = Limits{Procs: 128, Memory: 512 << 20}
