package batch

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"sort"

	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/report"
)

// writeSorted writes the lines of the results files sources to dest, one
// per student, sorted by name. Within one file the last line of a student
// wins; a student in two files (two shards that overlap) is an error. Lines
// are copied as they are, byte for byte, never re-encoded, and only their
// places are held in memory, whatever the size of the class.
func writeSorted(dest string, sources []string) error {
	var refs []lineRef
	owner := map[string]int{} // student → index in refs
	files := make([]*os.File, len(sources))
	for i, src := range sources {
		got, _, err := index(src)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, r := range got {
			r.file = i
			if j, ok := owner[r.student]; ok {
				if refs[j].file != i {
					return fmt.Errorf("%s is graded both in %s and in %s: were they graded as different shards of one class?", r.student, sources[refs[j].file], src)
				}
				refs[j] = r
				continue
			}
			owner[r.student] = len(refs)
			refs = append(refs, r)
		}
		if files[i], err = os.Open(src); err != nil {
			return err
		}
		defer files[i].Close()
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].student < refs[j].student })
	return WriteAtomic(dest, func(w io.Writer) error {
		for _, r := range refs {
			if err := copyLine(w, files[r.file], r); err != nil {
				return err
			}
		}
		return nil
	})
}

// Results reads OUT's results.jsonl for the class reports: each call goes
// through the file again, one line in memory at a time.
func Results(dir string) report.Class {
	path := filepath.Join(dir, ResultsFile)
	return report.Class{Students: func() iter.Seq2[*result.Graded, error] {
		return func(yield func(*result.Graded, error) bool) {
			f, err := os.Open(path)
			if err != nil {
				yield(nil, err)
				return
			}
			defer f.Close()
			r := bufio.NewReaderSize(f, 64<<10)
			for n := 1; ; n++ {
				line, err := r.ReadBytes('\n')
				if errors.Is(err, io.EOF) && len(line) == 0 {
					return
				}
				if err != nil && !errors.Is(err, io.EOF) {
					yield(nil, err)
					return
				}
				g := &result.Graded{}
				if err := json.Unmarshal(line, g); err != nil || g.Result == nil {
					yield(nil, fmt.Errorf("%s:%d: not a result: %v", path, n, err))
					return
				}
				if !yield(g, nil) {
					return
				}
			}
		}
	}}
}
