package exercises

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/acme-lab/grader/checks"
)

// EnvVar names the course folders every command takes exercises from, a
// list like PATH.
const EnvVar = "GRADER_EXERCISES"

// Catalog is the exercises a command can use: the built-in ones and those
// of course folders. A course folder holds NAME.yaml files; its fixtures
// are beside it, in ../fixtures/NAME/CASE/ (the layout of the grader's own
// repository: exercises/ and fixtures/ side by side), and its starter
// files in starters/NAME/. A folder's exercise overrides a built-in one of
// the same name, and an earlier folder a later one, as PATH does.
type Catalog struct {
	entries map[string]*Entry
	// Notices say which exercise hides which; a command prints them.
	Notices []string
}

// Entry is one exercise of a catalog, not loaded yet.
type Entry struct {
	Name string
	// File is the file's path, or exercises/NAME.yaml for a built-in one:
	// what messages name.
	File string
	// Folder is the course folder, or "" for a built-in exercise.
	Folder string
	data   []byte
}

// BuiltIn tells whether the exercise comes with the grader.
func (e *Entry) BuiltIn() bool { return e.Folder == "" }

// Origin says where the exercise comes from, for grader list.
func (e *Entry) Origin() string {
	if e.BuiltIn() {
		return "built-in"
	}
	return e.File
}

// Load reads and checks the exercise.
func (e *Entry) Load() (*checks.Exercise, error) { return checks.Load(e.File, e.data) }

// Fixtures is the folder of the exercise's sample submissions: one folder
// per case, each with a fixture.yaml. Built-in exercises have theirs in the
// grader's repository, which is a course folder too (--exercises exercises).
func (e *Entry) Fixtures() string {
	if e.BuiltIn() {
		return ""
	}
	return FixturesOf(e.Folder, e.Name)
}

// FixturesOf is where the fixtures of exercise name in a course folder go.
func FixturesOf(folder, name string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(folder)), "fixtures", name)
}

// Starter returns the exercise's starter files, which grader init writes,
// and whether it has any.
func (e *Entry) Starter() (fs.FS, bool) {
	if e.BuiltIn() {
		return Starter(e.Name)
	}
	dir := filepath.Join(e.Folder, "starters", e.Name)
	if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 {
		return nil, false
	}
	return os.DirFS(dir), true
}

// Folders lists the course folders: those given on the command line, then
// those of GRADER_EXERCISES (env), in order; empty entries are skipped.
func Folders(flags []string, env string) []string {
	out := append([]string(nil), flags...)
	for _, f := range filepath.SplitList(env) {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// FromEnvironment opens the catalog of the given --exercises folders and of
// GRADER_EXERCISES: what every command (and a batch) grades from.
func FromEnvironment(flags []string) (*Catalog, error) {
	return Open(Folders(flags, os.Getenv(EnvVar)))
}

// FolderError is a course folder that cannot be read.
type FolderError struct {
	Folder string
	Err    error
}

func (e *FolderError) Error() string {
	return fmt.Sprintf("course folder %s: %v (it comes from --exercises or %s)", e.Folder, e.Err, EnvVar)
}

// Open reads the built-in exercises and every course folder's *.yaml.
func Open(folders []string) (*Catalog, error) {
	c := &Catalog{entries: map[string]*Entry{}}
	for _, name := range Names() {
		data, _ := fs.ReadFile(FS, name+".yaml")
		c.entries[name] = &Entry{Name: name, File: "exercises/" + name + ".yaml", data: data}
	}
	seen := map[string]string{} // name → the folder it came from
	for _, folder := range folders {
		st, err := os.Stat(folder)
		if err == nil && !st.IsDir() {
			err = fmt.Errorf("not a folder")
		}
		if err != nil {
			return nil, &FolderError{Folder: folder, Err: unwrapPath(err)}
		}
		files, err := filepath.Glob(filepath.Join(folder, "*.yaml"))
		if err != nil {
			return nil, &FolderError{Folder: folder, Err: err}
		}
		for _, file := range files {
			name := strings.TrimSuffix(filepath.Base(file), ".yaml")
			if first, ok := seen[name]; ok {
				c.Notices = append(c.Notices, fmt.Sprintf("%s is hidden by %s, which comes first", file, filepath.Join(first, name+".yaml")))
				continue
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return nil, &FolderError{Folder: folder, Err: unwrapPath(err)}
			}
			if old, ok := c.entries[name]; ok && old.BuiltIn() && !bytes.Equal(old.data, data) {
				c.Notices = append(c.Notices, fmt.Sprintf("%s replaces the built-in exercise %s", file, name))
			}
			seen[name] = folder
			c.entries[name] = &Entry{Name: name, File: file, Folder: folder, data: data}
		}
	}
	return c, nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// Names lists the catalog's exercises, sorted.
func (c *Catalog) Names() []string {
	out := make([]string, 0, len(c.entries))
	for n := range c.entries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Entries lists the catalog's exercises, sorted by name.
func (c *Catalog) Entries() []*Entry {
	var out []*Entry
	for _, n := range c.Names() {
		out = append(out, c.entries[n])
	}
	return out
}

// IsPath tells whether an argument names an exercise file rather than an
// exercise: any argument ending in .yaml or .yml.
func IsPath(arg string) bool {
	return strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml")
}

// Resolve finds an exercise by name, or by path for an exercise file being
// written (its folder is then taken as its course folder).
func (c *Catalog) Resolve(arg string) (*Entry, error) {
	if IsPath(arg) {
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
		return &Entry{Name: name, File: arg, Folder: filepath.Dir(arg), data: data}, nil
	}
	if e, ok := c.entries[arg]; ok {
		return e, nil
	}
	return nil, &UnknownError{Name: arg, Nearest: checks.Nearest(arg, c.Names())}
}

// Find loads an exercise by name or path.
func (c *Catalog) Find(arg string) (*checks.Exercise, error) {
	e, err := c.Resolve(arg)
	if err != nil {
		return nil, err
	}
	return e.Load()
}
