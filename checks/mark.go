package checks

import "gopkg.in/yaml.v3"

// markStep names the current end of the program's output, so that an
// output step can look only at what was printed after it.
//
//	steps:
//	  - mark: round
type markStep struct{ name string }

func decodeMark(d *decoder, n *yaml.Node, _ *Exercise) Step {
	s := &markStep{name: d.str(n, "mark")}
	if s.name == "start" {
		d.errorf(n, "mark: \"start\" is taken: it always means the start of the check")
	}
	return s
}

func (s *markStep) run(r *runner) error {
	r.marks[s.name] = mark{stdout: r.stdout.Len(), stderr: r.stderr.Len()}
	return nil
}
