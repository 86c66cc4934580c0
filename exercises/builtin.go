package exercises

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/acme-lab/grader/checks"
)

// Names lists the built-in exercises. Commands use a Catalog, which adds
// the course folders.
func Names() []string {
	var out []string
	entries, _ := fs.ReadDir(FS, ".")
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
		}
	}
	sort.Strings(out)
	return out
}

// UnknownError reports a name that is neither a built-in exercise nor a file.
type UnknownError struct {
	Name    string
	Nearest string
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("unknown exercise %q", e.Name)
	if e.Nearest != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", e.Nearest)
	}
	return msg + "; `grader list` shows them all"
}

// Find loads a built-in exercise by name, or an exercise file by path (any
// argument ending in .yaml or .yml, for authors trying a new exercise). It
// knows no course folder: commands use FromEnvironment(...).Find.
func Find(name string) (*checks.Exercise, error) {
	c, err := Open(nil)
	if err != nil {
		return nil, err
	}
	return c.Find(name)
}

// Starter returns the starter files of a built-in exercise, by name, and
// whether it has any.
func Starter(name string) (fs.FS, bool) {
	sub, err := fs.Sub(FS, "starters/"+name)
	if err != nil {
		return nil, false
	}
	if entries, err := fs.ReadDir(sub, "."); err != nil || len(entries) == 0 {
		return nil, false
	}
	return sub, true
}

// Skeleton returns what grader new writes for a kind of exercise:
// exercise.yaml, and fixtures/CASE/ for a good and a bad fixture.
func Skeleton(kind string) (fs.FS, bool) {
	sub, err := fs.Sub(FS, "skeletons/"+kind)
	if err != nil {
		return nil, false
	}
	if _, err := fs.Stat(sub, "exercise.yaml"); err != nil {
		return nil, false
	}
	return sub, true
}

// SkeletonKinds lists the kinds grader new knows.
func SkeletonKinds() []string {
	var out []string
	entries, _ := fs.ReadDir(FS, "skeletons")
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}
