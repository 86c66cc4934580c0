// Package sandbox runs each start of a submission's program apart from the
// grader, from other graders and from the machine: on Linux, in network,
// PID and mount namespaces of its own, as an unprivileged user, with writes
// confined to the submission folder and limits on what it may use.
//
// The process layer (checks/proc) asks a Sandbox for a start and a Net for
// sockets; it does not know how isolation is done. A Sandbox lives for one
// graded submission and a Net for one network namespace (a check, or one
// start of the program). Everything here is safe for concurrent use by
// several runs in one grader and by several graders on one machine.
//
// Programs are started through init modes of the grader binary itself (no
// second binary to ship), which the package's init function recognises.
// As root, one starter per run confines itself once and forks each of the
// run's programs into a PID namespace of its own (starter_linux.go);
// otherwise an init per start sets up its namespaces from inside and
// executes the student's command in place of itself. Either way the
// program is PID 1 of its namespace and killing it ends everything it
// started. See ../shared/ISOLATION.md in the project's notes for the
// measured costs and the pitfalls that shaped this code.
package sandbox
