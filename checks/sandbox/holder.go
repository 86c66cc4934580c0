package sandbox

// Holder is the process that listens on a port of the machine.
type Holder struct {
	Pid     int
	Command string // its command line, as ps shows it
}
