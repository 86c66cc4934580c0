package checks

// restartStep stops the program, resets its connections, and starts it
// again; connect steps that follow reach the new one. Needed to play many
// rounds against a server that ends after each game. The program is
// stopped before its connections are reset, as at the end of a check: a
// reset it saw first would make it print a "connection reset" traceback
// that it did not deserve; reset right after, its side of the connection
// leaves no TIME_WAIT on its port.
type restartStep struct{}

// restarts tells whether the steps restart the program somewhere.
func restarts(steps []Step) bool {
	for _, s := range steps {
		switch s := s.(type) {
		case restartStep:
			return true
		case *repeatStep:
			if restarts(s.steps) {
				return true
			}
		}
	}
	return false
}

var restartKind = &StepKind{
	Doc:     "stops the program (resetting its connections) and starts it again",
	Value:   vObject(),
	Example: "- restart: {}",
	decode:  func(*decoder, *opts, *Exercise) Step { return restartStep{} },
}

func (restartStep) run(r *runner) error {
	r.stop()
	r.abortConns()
	return r.start()
}
