package sandbox

// Confinement says how a sandboxed program's writes are confined.
type Confinement string

const (
	// ConfineAuto: Landlock where the kernel has it, else ConfineMount.
	ConfineAuto Confinement = ""
	// ConfineMount: a mount namespace where everything is read-only but
	// the submission folder and a /tmp of the program's own.
	ConfineMount Confinement = "mount"
)

// Config is what a Sandbox is made for: one graded submission.
type Config struct {
	Mode   Mode
	Dir    string // the submission folder, absolute
	Limits Limits
	// Confinement forces a way to confine writes (tests); zero: the best.
	Confinement Confinement
}
