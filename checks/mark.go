package checks

// markStep names the current end of the program's output, so that an
// output step can look only at what was printed after it.
type markStep struct{ name string }

var markKind = &StepKind{
	Doc:     "names the current end of the program's output, for an output step's since",
	Value:   vText,
	Example: "- mark: round",
	decode:  decodeMark,
}

func decodeMark(d *decoder, o *opts, _ *Exercise) Step {
	s := &markStep{name: d.str(o.n, "mark")}
	if s.name == "start" {
		d.errorf(o.n, "mark: \"start\" is taken: it always means the start of the check")
	}
	d.sc.marks[s.name] = true
	return s
}

func (s *markStep) run(r *runner) error {
	r.marks[s.name] = mark{stdout: r.stdout.Len(), stderr: r.stderr.Len()}
	return nil
}
