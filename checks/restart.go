package checks

import "gopkg.in/yaml.v3"

// restartStep stops the program (its connections are reset first) and
// starts it again; connect steps that follow reach the new one. Needed to
// play many rounds against a server that ends after each game.
//
//	steps:
//	  - restart: {}
type restartStep struct{}

func decodeRestart(d *decoder, n *yaml.Node, _ *Exercise) Step {
	d.opts(n, "restart", nil, "")
	return restartStep{}
}

func (restartStep) run(r *runner) error {
	r.abortConns()
	return r.start()
}
