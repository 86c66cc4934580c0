package checks

// restartStep stops the program (its connections are reset first) and
// starts it again; connect steps that follow reach the new one. Needed to
// play many rounds against a server that ends after each game.
type restartStep struct{}

var restartKind = &StepKind{
	Doc:     "stops the program (resetting its connections) and starts it again",
	Value:   vObject(),
	Example: "- restart: {}",
	decode:  func(*decoder, *opts, *Exercise) Step { return restartStep{} },
}

func (restartStep) run(r *runner) error {
	r.abortConns()
	return r.start()
}
