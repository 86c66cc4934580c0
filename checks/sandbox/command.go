package sandbox

// Command is a program to start, as exec would run it.
type Command struct {
	Path string   // resolved already (exec.LookPath)
	Args []string // Args[0] is the name it sees
	Env  []string // its whole environment
	Dir  string   // its working folder; empty: the sandbox's
}
