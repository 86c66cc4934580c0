package sandbox

// Command is a program to start, as exec would run it.
type Command struct {
	Path string   // resolved already (exec.LookPath)
	Args []string // Args[0] is the name it sees
	Env  []string // its whole environment
	Dir  string   // its working folder; empty: the sandbox's
	// Again says that the program will be started again in the same
	// network (the grader restarts a client it listens for).
	Again bool
}
