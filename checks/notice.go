package checks

import "gopkg.in/yaml.v3"

// noticeStep tells the student something worth knowing that is not a
// failure; it is shown with the check's verdict, passed or not.
//
//	steps:
//	  - notice: 'Your lines end with "\n" alone: nc sends that, and servers accept it.'
//	    when: '"bare-lf" in req.kinds'
type noticeStep struct{ text *Template }

func decodeNotice(d *decoder, n *yaml.Node, _ *Exercise) Step {
	return &noticeStep{text: d.template(n, "notice")}
}

func (s *noticeStep) run(r *runner) error {
	msg, err := s.text.Render(r.env, nil)
	if err != nil {
		return err
	}
	r.notice("%s", msg)
	return nil
}
