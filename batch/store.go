package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/acme-lab/grader/checks/result"
)

// The files of OUT.
const (
	ResultsFile = "results.jsonl" // one result a line, as each is known
	MetaFile    = "batch.json"    // what was graded how: checked when a run resumes
	prevResults = "results.prev.jsonl"
)

// Meta is what a batch was graded with. A rerun in the same OUT must agree
// with it, or its results would not be comparable with the ones it keeps.
type Meta struct {
	Exercise       string `json:"exercise"` // as typed: a name, or an exercise file
	Seed           uint64 `json:"seed"`
	SeedPerStudent bool   `json:"seed_per_student,omitempty"`
	Shard          string `json:"shard,omitempty"` // "2/4"; empty for a whole class
}

// Store is OUT while a batch runs: results are appended to results.jsonl
// one whole line at a time, so a grader stopped at any moment leaves every
// finished student's result and at most one cut line, which the next run
// drops.
type Store struct {
	dir  string
	mu   sync.Mutex
	f    *os.File
	done map[string]bool
}

// Open prepares dir for a batch graded as meta says. Results already there
// are kept and their students skipped, unless regrade, which sets them aside
// in results.prev.jsonl and starts afresh. When seedGiven is false, a rerun
// takes the seed of the run it resumes; the meta returned is the one in force.
func Open(dir string, meta Meta, seedGiven, regrade bool) (*Store, Meta, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, meta, err
	}
	results := filepath.Join(dir, ResultsFile)
	if old, err := readMeta(dir); err == nil && !regrade {
		if err := old.agrees(meta, seedGiven, dir); err != nil {
			return nil, meta, err
		}
		meta.Seed = old.Seed
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, meta, err
	}
	if regrade {
		if err := os.Rename(results, filepath.Join(dir, prevResults)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, meta, err
		}
	}
	s := &Store{dir: dir, done: map[string]bool{}}
	refs, good, err := index(results)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, meta, err
	}
	for _, r := range refs {
		s.done[r.student] = true
	}
	// A line cut by a stop in mid-write is dropped.
	if err := truncate(results, good); err != nil {
		return nil, meta, err
	}
	if err := writeJSON(filepath.Join(dir, MetaFile), meta); err != nil {
		return nil, meta, err
	}
	if s.f, err = os.OpenFile(results, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err != nil {
		return nil, meta, err
	}
	return s, meta, nil
}

func (m Meta) agrees(now Meta, seedGiven bool, dir string) error {
	again := "; grade into another --out folder, or pass --regrade to grade everyone again"
	switch {
	case m.Exercise != now.Exercise:
		return fmt.Errorf("%s holds results of %s, not %s%s", dir, m.Exercise, now.Exercise, again)
	case m.Shard != now.Shard:
		return fmt.Errorf("%s holds results of shard %q, not %q%s", dir, m.Shard, now.Shard, again)
	case m.SeedPerStudent != now.SeedPerStudent:
		return fmt.Errorf("%s was graded with --seed-per-student=%v%s", dir, m.SeedPerStudent, again)
	case seedGiven && m.Seed != now.Seed:
		return fmt.Errorf("%s was graded with --seed %d, not %d%s", dir, m.Seed, now.Seed, again)
	}
	return nil
}

func readMeta(dir string) (Meta, error) {
	var m Meta
	data, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s: %v", filepath.Join(dir, MetaFile), err)
	}
	return m, nil
}

// Done tells whether the student's result is already in OUT.
func (s *Store) Done(student string) bool { return s.done[student] }

// Add appends one result, in one write.
func (s *Store) Add(g *result.Graded) error {
	line, err := json.Marshal(g)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.f.Write(append(line, '\n'))
	return err
}

// Close ends the run's writes and rewrites results.jsonl in the order of
// the students' names, so that the same class graded in any order, in one
// run or several, gives the same file.
func (s *Store) Close() error {
	if err := s.f.Close(); err != nil {
		return err
	}
	path := filepath.Join(s.dir, ResultsFile)
	return writeSorted(path, []string{path})
}

// lineRef is where one student's line is in a results file.
type lineRef struct {
	student string
	file    int
	off     int64
	len     int
}

// index lists the lines of a results file and returns the length of its
// whole lines: a last line without its newline was cut short.
func index(path string) ([]lineRef, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var refs []lineRef
	r := bufio.NewReaderSize(f, 64<<10)
	var off int64
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return refs, off, nil // a cut line, if any, is not counted
		}
		if err != nil {
			return nil, 0, err
		}
		var head struct {
			Student *string `json:"student"`
		}
		if err := json.Unmarshal(line, &head); err != nil || head.Student == nil {
			return nil, 0, fmt.Errorf("%s:%d is not a result line; move the file away to grade afresh", path, n)
		}
		refs = append(refs, lineRef{student: *head.Student, off: off, len: len(line)})
		off += int64(len(line))
	}
}

func truncate(path string, size int64) error {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && st.Size() == size) {
		return nil
	}
	if err != nil {
		return err
	}
	return os.Truncate(path, size)
}

// writeJSON writes v, indented, atomically.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// WriteAtomic writes a file through a temporary one in the same folder,
// renamed over it once complete: a reader sees the old file or the whole
// new one, never half of one.
func WriteAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	w := bufio.NewWriterSize(f, 64<<10)
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// copyLine copies one indexed line from an open file.
func copyLine(w io.Writer, f *os.File, ref lineRef) error {
	buf := make([]byte, ref.len)
	if _, err := f.ReadAt(buf, ref.off); err != nil {
		return err
	}
	if !bytes.HasSuffix(buf, []byte("\n")) {
		return fmt.Errorf("%s changed while it was read", f.Name())
	}
	_, err := w.Write(buf)
	return err
}
