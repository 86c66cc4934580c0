package checks

import "github.com/acme-lab/grader/checks/httpwire"

// The declarations of an exercise file's sections, above the steps. The
// decoders in load.go read them; package schema and the reference are made
// from them.

// Patterns shared by declarations and decoders.
const (
	namePattern = `^[A-Za-z_][A-Za-z0-9_]*$`
	// fileNamePattern: a relative path that never climbs out with "..".
	fileNamePattern = `^([^/.]|\.[^.])([^.]|\.[^.])*\.?$`
	fileNameForm    = "a file name inside the submission folder"
	checkIDPattern  = `^[a-z0-9]+(-[a-z0-9]+)*$`
	headerPattern   = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
	sizePattern     = `^\s*[0-9]+\s*(B|KiB|MiB|GiB)?\s*$`
	sizeForm        = "a size such as 512MiB, 64KiB or 1GiB"
	definePattern   = `^[A-Za-z_][A-Za-z0-9_]*\(\s*([A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)?\s*\)$`
)

var (
	varsValue   = vMap(namePattern, vExpr).reserve(functionNames)
	defineValue = vMap(definePattern, vExpr).reserve(functionNames)

	submissionValue = vObject(
		Field{Name: "files", Value: vList(vText.pattern(fileNamePattern, fileNameForm)), Doc: "the files that must be in the submission folder; a missing one is named"},
		Field{Name: "command", Value: vTemplate, Doc: "how the program starts, in the submission folder: words split as a shell would (no shell runs); {{ port }} hands the program a free port. Without it nothing runs, and steps read files"},
		Field{Name: "env", Value: vMap(namePattern, vTemplate), Doc: "variables added to the program's environment"},
	)

	portValue = vObject(
		Field{Name: "suggested", Value: vInt(1, 65535), Doc: "the course text's port; another one is a notice (a server) or where the grader listens (a client)"},
		Field{Name: "required", Value: vBool, Doc: "a server on another port than suggested fails instead"},
		Field{Name: "env", Value: vText.pattern(namePattern, "an environment variable's name"), Doc: "hand the program a free port in this environment variable"},
		Field{Name: "client", Value: vBool, Doc: "the program is a client: the grader listens (listen, accept) and the program connects"},
		Field{Name: "udp", Value: vBool, Doc: "the program is reached by datagrams: connect opens UDP sockets to the port it bound, listen binds one for a client"},
	)

	timeoutsValue = vObject(
		Field{Name: "check", Value: vDuration, Doc: "a whole check", Default: "20s"},
		Field{Name: "step", Value: vDuration, Doc: "one wait inside a step (a reply, a close)", Default: "2s"},
		Field{Name: "start", Value: vDuration, Doc: "from starting the program to its listening", Default: "5s"},
		Field{Name: "grace", Value: vDuration, Doc: "between SIGTERM and SIGKILL when the program is stopped", Default: "200ms"},
	)

	limitsValue = vObject(
		Field{Name: "processes", Value: vInt(8, 100000), Doc: "processes and threads at once (a fork bomb stops here)", Default: "128"},
		Field{Name: "memory", Value: vText.pattern(sizePattern, sizeForm), Doc: "memory, all its processes together", Default: "512MiB"},
		Field{Name: "cpu", Value: vDuration, Doc: "CPU time of each process (at least 1s)", Default: "60s"},
		Field{Name: "file_size", Value: vText.pattern(sizePattern, sizeForm), Doc: "the largest file it may write", Default: "64MiB"},
		Field{Name: "open_files", Value: vInt(16, 1<<20), Doc: "open files and sockets of each process", Default: "256"},
	)

	httpValue = vObject(
		Field{Name: "tolerate", Value: vList(vEnum(deviationKinds()...)), Doc: "deviations from HTTP/1.x that are only notices in this exercise (a step may set its own)"},
	)

	exerciseValue = vObject(
		req(Field{Name: "title", Value: vText, Doc: "the exercise's name in every report"}),
		Field{Name: "description", Value: vText, Doc: "the exercise in the course text's words, shown by grader show"},
		Field{Name: "source", Value: vText, Doc: "where the exercise comes from (a lab, a course)"},
		req(Field{Name: "submission", Value: submissionValue, Doc: "what a student hands in and how it starts"}),
		Field{Name: "port", Value: portValue, Doc: "where the program listens, or, for a client, where the grader does"},
		Field{Name: "timeouts", Value: timeoutsValue, Doc: "the default deadlines; steps and checks may set their own"},
		Field{Name: "limits", Value: limitsValue, Doc: "what one start of the program may use; the report names the limit it meets"},
		Field{Name: "http", Value: httpValue, Doc: "choices for the request steps"},
		Field{Name: "hexdump", Value: vBool, Doc: "show transcripts as a packet view (offset, hex, ASCII, as tcpdump -X does): the exercise is about bytes, not lines"},
		Field{Name: "define", Value: defineValue, Doc: "named expressions, `name(a, b): expression`, that every expression of the exercise may call"},
		Field{Name: "vars", Value: varsValue, Doc: "variables set at the start of every check, in order"},
		req(Field{Name: "checks", Value: vList(checkValue).minLen(1), Doc: "the graded checks, in the order they run"}),
	).strict()

	checkValue = vObject(
		req(Field{Name: "id", Value: vText.pattern(checkIDPattern, "lowercase words joined by -, such as valid-moves"), Doc: "what reports and needs call the check"}),
		req(Field{Name: "title", Value: vText, Doc: "what the check proves, in a line"}),
		Field{Name: "explain", Value: vText, Doc: "what is checked, in words a student understands, for grader show"},
		Field{Name: "hint", Value: vText, Doc: "what to look at when it fails, shown under a failure"},
		Field{Name: "points", Value: vInt(0, 1000), Doc: "what it is worth", Default: "1"},
		Field{Name: "needs", Value: vTexts, Doc: "checks above this one that must pass first; otherwise it is skipped, saying why"},
		Field{Name: "hidden", Value: vOneOf(vBool, vEnum("all")), Doc: "true: students see its title and points only; all: not even that (it counts among the hidden checks)"},
		Field{Name: "timeout", Value: vDuration, Doc: "the whole check's deadline", Default: "timeouts.check"},
		Field{Name: "vars", Value: varsValue, Doc: "variables set at the start of this check, after the exercise's"},
		req(Field{Name: "steps", Value: vSteps, Doc: "what the check does, in order"}),
	).strict()

	whenField = Field{Name: "when", Value: vExpr, Doc: "run the step only when this condition holds (any step takes it)"}
)

func deviationKinds() []string {
	var out []string
	for _, k := range httpwire.Kinds() {
		out = append(out, string(k))
	}
	return out
}
