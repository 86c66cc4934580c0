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
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/result"
)

// fileStep reads a file of the submission into a variable: as text, or
// parsed. It grades what a student writes rather than runs, such as the
// request they would type into nc; such an exercise needs no command.
//
//	steps:
//	  - file: {path: notes.txt, capture: notes}                      # the text
//	  - file: {path: request.txt, parse: http-request, capture: req} # see standin.go
//	  - assert: {that: 'req.method == "GET"', message: 'The method is "{{ req.method }}".'}
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

func decodeFile(d *decoder, n *yaml.Node, _ *Exercise) Step {
	f := d.fields(n, "file", []string{"path", "parse", "capture"}, "path", "capture")
	s := &fileStep{path: d.str(f["path"], "file.path"), parse: "text", capture: d.str(f["capture"], "file.capture")}
	if f["path"] != nil && (s.path == "" || filepath.IsAbs(s.path) || strings.Contains(s.path, "..")) {
		d.errorf(f["path"], "file.path: %q must be a file name inside the submission folder", s.path)
	}
	if v := f["parse"]; v != nil {
		s.parse = d.str(v, "file.parse")
		if _, ok := fileParsers[s.parse]; !ok {
			d.errorf(v, "file.parse must be one of %s, not %q", strings.Join(slices.Sorted(maps.Keys(fileParsers)), ", "), s.parse)
		}
	}
	if f["capture"] != nil && (!identifier.MatchString(s.capture) || slices.Contains(functionNames, s.capture)) {
		d.errorf(f["capture"], "file.capture: %q is not a usable variable name", s.capture)
	}
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
