package checks

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/acme-lab/grader/checks/result"
)

// fileStep reads a file of the submission into a variable: as text, or
// parsed. It grades what a student writes rather than runs, such as the
// request they would type into nc; such an exercise needs no command.
type fileStep struct {
	path    string
	parse   string
	capture string
}

// fileParsers turn a file's bytes into the value an exercise reads.
var fileParsers = map[string]func([]byte) (any, string){
	"text":         func(b []byte) (any, string) { return string(b), "" },
	"http-request": parseHTTPRequest,
}

// maxFile bounds what a file step reads; no hand-written file is larger.
const maxFile = 1 << 20

var fileKind = &StepKind{
	Doc: "reads a file of the submission into a variable, as text or parsed; an exercise of such steps needs no command",
	Value: vObject(
		req(Field{Name: "path", Value: vText.pattern(fileNamePattern, fileNameForm), Doc: "the file, in the submission folder"}),
		Field{Name: "parse", Value: vEnum(slices.Sorted(maps.Keys(fileParsers))...), Doc: "text, or http-request: what a web server makes of it (method, target, proto, headers, kinds, status, verdict…; see the reference)", Default: "text"},
		req(Field{Name: "capture", Value: vName, Doc: "the variable that holds it"}),
	).strict(),
	Example: `- file: {path: notes.txt, capture: notes}
- file: {path: request.txt, parse: http-request, capture: req}
- assert: {that: 'req.method == "GET"', message: 'The method is "{{ req.method }}".'}`,
	decode: decodeFile,
}

func decodeFile(d *decoder, o *opts, _ *Exercise) Step {
	s := &fileStep{path: o.str("path", ""), parse: o.enum("parse", "text"), capture: o.name("capture")}
	d.define(s.capture)
	return s
}

func (s *fileStep) run(r *runner) error {
	f, err := os.Open(filepath.Join(r.opts.Dir, s.path))
	if errors.Is(err, fs.ErrNotExist) {
		return failf("%s was not found in your folder %s: save it there, under exactly that name.", s.path, r.opts.Dir)
	}
	if err != nil {
		return failf("%s could not be read: %v.", s.path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return failf("%s could not be read: %v.", s.path, err)
	}
	if len(data) > maxFile {
		return failf("%s is larger than 1 MiB; it should hold only what the exercise asks for.", s.path)
	}
	r.event(result.Note, "", fmt.Sprintf("%s (%d bytes): %s", s.path, len(data), quoteCut(data, 4096)))
	v, note := fileParsers[s.parse](data)
	if note != "" {
		r.event(result.Note, "", note)
	}
	r.env[s.capture] = v
	return nil
}

// quoteCut quotes b as a Go string, cut after limit bytes.
func quoteCut(b []byte, limit int) string {
	if len(b) > limit {
		return fmt.Sprintf("%q… (%d more bytes)", b[:limit], len(b)-limit)
	}
	return fmt.Sprintf("%q", b)
}
