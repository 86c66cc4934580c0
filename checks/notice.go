package checks

// noticeStep tells the student something worth knowing that is not a
// failure; it is shown with the check's verdict, passed or not.
type noticeStep struct{ text *Template }

var noticeKind = &StepKind{
	Doc:   "tells the student something worth knowing that is not a failure; it is shown with the check's verdict",
	Value: vTemplate,
	Example: `- file: {path: request.txt, parse: http-request, capture: req}
- notice: 'Your lines end with "\n" alone: nc sends that, and servers accept it.'
  when: '"bare-lf" in req.kinds'`,
	decode: decodeNotice,
}

func decodeNotice(d *decoder, o *opts, _ *Exercise) Step {
	return &noticeStep{text: d.template(o.n, "notice")}
}

func (s *noticeStep) run(r *runner) error {
	msg, err := s.text.Render(r.env, nil)
	if err != nil {
		return err
	}
	r.notice("%s", msg)
	return nil
}
