package batch

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Submission is one row of a class: a student and the folder they handed in.
type Submission struct {
	Student string
	// Path is the folder as the instructor gave it (SUBMISSIONS/NAME, or
	// the manifest's path): what reports show and `grader check --dir`
	// takes to replay the run.
	Path string
	// Dir is the folder itself, absolute, links resolved. Empty when
	// Problem is set.
	Dir string
	// Problem says why the row cannot be graded (the folder is missing,
	// outside SUBMISSIONS…): the student gets 0 with this reason, and the
	// rest of the class is graded as usual.
	Problem string
}

// Roster reads SUBMISSIONS: a folder holding one folder per student (the
// folder's name is the student; `gh classroom clone student-repos` and LMS
// bulk downloads give this layout), or a CSV manifest with the columns
// student,path (a header row is optional; paths are relative to the
// manifest's folder and must lie inside it). Students come sorted by name.
// Entries of the folder that are not folders (a README) are not students;
// they are returned as notes. An error is the instructor's to fix (no such
// folder, a malformed manifest); a problem with one student's folder is that
// row's Problem instead.
func Roster(submissions string) (rows []Submission, notes []string, err error) {
	st, err := os.Stat(submissions)
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("%s: no such folder or manifest", submissions)
	case st.IsDir():
		rows, notes, err = fromFolder(submissions)
	default:
		rows, err = fromManifest(submissions)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Student < rows[j].Student })
	return rows, notes, err
}

func fromFolder(root string) ([]Submission, []string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", root, err)
	}
	base, err := realPath(root)
	if err != nil {
		return nil, nil, err
	}
	var rows []Submission
	var notes []string
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // .git, .DS_Store, an editor's files
		}
		path := filepath.Join(root, name)
		if e.Type()&os.ModeSymlink == 0 && !e.IsDir() {
			notes = append(notes, fmt.Sprintf("%s is not a folder, so not a student's submission; it is left alone.", path))
			continue
		}
		// A folder name that is not UTF-8 (a zip made on another system)
		// still names a student; reports need text.
		student := strings.ToValidUTF8(name, "\uFFFD")
		row := Submission{Student: student, Path: path}
		switch {
		case seen[student]:
			row.Problem = fmt.Sprintf("Another folder of %s has a name that reads the same (%q); rename one of them.", root, student)
		case nameProblem(student) != "":
			row.Problem = nameProblem(student)
		default:
			row.Dir, row.Problem = resolve(path, base, root)
		}
		seen[student] = true
		rows = append(rows, row)
	}
	return rows, notes, nil
}

func fromManifest(manifest string) ([]Submission, error) {
	f, err := os.Open(manifest)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	root := filepath.Dir(manifest)
	base, err := realPath(root)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var rows []Submission
	var errs []string
	seen := map[string]int{}
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %v", manifest, pe.Line, pe.Column, pe.Err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", manifest, err)
		}
		if first && len(rec) == 2 && strings.EqualFold(strings.TrimSpace(rec[0]), "student") && strings.EqualFold(strings.TrimSpace(rec[1]), "path") {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != 2 {
			errs = append(errs, fmt.Sprintf("%s:%d: a row is student,path; this one has %d fields", manifest, line, len(rec)))
			continue
		}
		student, path := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if p := nameProblem(student); p != "" {
			errs = append(errs, fmt.Sprintf("%s:%d: %s", manifest, line, p))
			continue
		}
		if prev, ok := seen[student]; ok {
			errs = append(errs, fmt.Sprintf("%s:%d: %s is already listed on line %d", manifest, line, student, prev))
			continue
		}
		seen[student] = line
		row := Submission{Student: student, Path: path}
		if !filepath.IsAbs(path) {
			row.Path = filepath.Join(root, path)
		}
		if path == "" {
			row.Problem = "The manifest gives no folder for this student."
		} else {
			row.Dir, row.Problem = resolve(row.Path, base, root)
		}
		rows = append(rows, row)
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return rows, nil
}

// resolve finds a student's folder, which must be a folder inside base
// (SUBMISSIONS, links resolved): a manifest or a link cannot send the grader
// to read /etc or another course's files.
func resolve(path, base, root string) (dir, problem string) {
	real, err := realPath(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Sprintf("The folder %s does not exist.", path)
		}
		return "", fmt.Sprintf("The folder %s could not be read: %v.", path, unwrapPath(err))
	}
	if rel, err := filepath.Rel(base, real); err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Sprintf("The folder %s is outside %s; only folders inside it are graded.", path, root)
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", fmt.Sprintf("The folder %s could not be read: %v.", path, unwrapPath(err))
	}
	if !st.IsDir() {
		return "", fmt.Sprintf("%s is a file, not a folder.", path)
	}
	return real, ""
}

// realPath is path absolute, with every link resolved.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// nameProblem says why a name cannot stand for a student, or "". A student's
// reports go in OUT/students/NAME, so the name must be one folder's name;
// spaces, accents and shell metacharacters are fine.
func nameProblem(name string) string {
	switch {
	case name == "":
		return "A student has no name."
	case name == "." || name == ".." || strings.ContainsAny(name, `/\`):
		return fmt.Sprintf("The student name %q cannot be a folder's name (no / or \\, not . or ..).", name)
	case len(name) > 200:
		return fmt.Sprintf("The student name %.40q… is longer than 200 bytes.", name)
	case !utf8.ValidString(name):
		return fmt.Sprintf("The student name %q is not UTF-8 text.", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Sprintf("The student name %q holds a control character.", name)
		}
	}
	return ""
}

// unwrapPath drops the path an *os.PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
