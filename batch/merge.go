package batch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/acme-lab/grader/report"
)

// StudentsDir holds each student's reports: OUT/students/NAME/FILE.
const StudentsDir = "students"

// StudentReport is one --report format, written for every student as
// OUT/students/NAME/File.
type StudentReport struct {
	Name   string
	File   string
	Format report.Format
}

// WriteClassReports writes OUT/grades.csv and OUT/index.html from OUT's
// results.jsonl.
func WriteClassReports(dir, exercise string) error {
	class := Results(dir)
	class.Exercise = exercise
	if err := WriteAtomic(filepath.Join(dir, "grades.csv"), func(w io.Writer) error { return report.GradesCSV(w, class) }); err != nil {
		return fmt.Errorf("grades.csv: %w", err)
	}
	if err := WriteAtomic(filepath.Join(dir, "index.html"), func(w io.Writer) error { return report.ClassHTML(w, class) }); err != nil {
		return fmt.Errorf("index.html: %w", err)
	}
	return nil
}

// WriteStudentReports writes every student's reports from OUT's
// results.jsonl; students see what they would see from `grader check`
// (hidden checks' details only with showHidden).
func WriteStudentReports(dir string, reports []StudentReport, showHidden bool) error {
	if len(reports) == 0 {
		return nil
	}
	for g, err := range Results(dir).Students() {
		if err != nil {
			return err
		}
		if nameProblem(g.Student) != "" {
			continue // no folder can be named after it; its row says why
		}
		o := report.Options{ShowHidden: showHidden, Dir: g.Submission}
		for _, r := range reports {
			path := filepath.Join(dir, StudentsDir, g.Student, r.File)
			if err := WriteAtomic(path, func(w io.Writer) error { return r.Format.Render(w, g.Result, o) }); err != nil {
				return fmt.Errorf("the %s report of %s: %w", r.Name, g.Student, err)
			}
		}
	}
	return nil
}

// Merge combines the OUT folders of one class's shards into dest, as one
// run over the whole class would have left it: results.jsonl (sorted, each
// line as the shard wrote it), batch.json, and the students' reports. The
// shards must be of the same exercise and seed, and all of them unless
// partial; no student may be in two. The caller then writes the class
// reports (WriteClassReports).
func Merge(outs []string, dest string, partial bool) (Meta, error) {
	var meta Meta
	if len(outs) == 0 {
		return meta, errors.New("merge needs the OUT folders of the shards")
	}
	absDest, _ := filepath.Abs(dest)
	shards := map[int]string{}
	count := 0
	var sources []string
	for i, out := range outs {
		if abs, _ := filepath.Abs(out); abs == absDest {
			return meta, fmt.Errorf("--out %s is one of the folders to merge; merge into a new folder", dest)
		}
		m, err := readMeta(out)
		if errors.Is(err, os.ErrNotExist) {
			return meta, fmt.Errorf("%s holds no batch (no %s): is it the --out folder of a grader batch?", out, MetaFile)
		}
		if err != nil {
			return meta, err
		}
		if i == 0 {
			meta = Meta{Exercise: m.Exercise, Seed: m.Seed, SeedPerStudent: m.SeedPerStudent}
		} else if m.Exercise != meta.Exercise || m.Seed != meta.Seed || m.SeedPerStudent != meta.SeedPerStudent {
			return meta, fmt.Errorf("%s was graded as %s with seed %d, but %s as %s with seed %d: merge only shards of one batch", outs[0], meta.Exercise, meta.Seed, out, m.Exercise, m.Seed)
		}
		if m.Shard != "" {
			s, err := ParseShard(m.Shard)
			if err != nil {
				return meta, fmt.Errorf("%s: %v", filepath.Join(out, MetaFile), err)
			}
			if count != 0 && s.Count != count {
				return meta, fmt.Errorf("%s is shard %s, but another folder is a shard of %d", out, s, count)
			}
			if prev, ok := shards[s.Index]; ok {
				return meta, fmt.Errorf("%s and %s are both shard %s", prev, out, s)
			}
			count, shards[s.Index] = s.Count, out
		}
		sources = append(sources, filepath.Join(out, ResultsFile))
	}
	var missing []string
	for i := 1; i <= count; i++ {
		if shards[i] == "" {
			missing = append(missing, Shard{i, count}.String())
		}
	}
	if len(missing) > 0 && !partial {
		return meta, fmt.Errorf("shard %s missing: merge all %d shards, or pass --partial to merge what is there", strings.Join(missing, ", "), count)
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return meta, err
	}
	if err := writeSorted(filepath.Join(dest, ResultsFile), sources); err != nil {
		return meta, err
	}
	if err := writeJSON(filepath.Join(dest, MetaFile), meta); err != nil {
		return meta, err
	}
	for _, out := range outs {
		if err := copyReports(filepath.Join(out, StudentsDir), filepath.Join(dest, StudentsDir)); err != nil {
			return meta, err
		}
	}
	return meta, nil
}

// copyReports copies students/NAME/FILE from a shard.
func copyReports(from, to string) error {
	students, err := os.ReadDir(from)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, s := range students {
		files, err := os.ReadDir(filepath.Join(from, s.Name()))
		if err != nil {
			return err
		}
		sort.Slice(files, func(i, j int) bool { return files[i].Name() < files[j].Name() })
		for _, f := range files {
			if !f.Type().IsRegular() || strings.HasPrefix(f.Name(), ".") {
				continue
			}
			src := filepath.Join(from, s.Name(), f.Name())
			err := WriteAtomic(filepath.Join(to, s.Name(), f.Name()), func(w io.Writer) error {
				in, err := os.Open(src)
				if err != nil {
					return err
				}
				defer in.Close()
				_, err = io.Copy(w, in)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
