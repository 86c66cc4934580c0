package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/acme-lab/grader/exercises"
	"github.com/acme-lab/grader/schema"
)

const newUsage = `Usage: grader new NAME --kind KIND [--exercises DIR]

Writes a new exercise into a course folder (--exercises, else the first
folder of $GRADER_EXERCISES, else ./exercises): DIR/NAME.yaml with one
working check, and a good and a bad fixture in DIR/../fixtures/NAME/, such
that grader selftest NAME passes at once. It also writes the editor schema
DIR/exercise.schema.json if the folder has none. It never overwrites.

Kinds: tcp-server, http-server, tcp-client, udp-server, file.

  grader new echo --kind tcp-server
  grader new greeter --kind http-server --exercises course/exercises
`

var exerciseName = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)

// runNew writes an exercise skeleton. Every file is checked first: if any
// is there already, nothing is written.
func runNew(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("grader new", flag.ContinueOnError)
	flags.SetOutput(stderr)
	course := addCourseFlag(flags)
	kind := flags.String("kind", "", "tcp-server, http-server, tcp-client, udp-server or file")
	flags.Usage = func() { fmt.Fprint(stderr, newUsage+"\n"); flags.PrintDefaults() }
	rest, err := parseInterleaved(flags, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("new takes one exercise name, e.g. grader new echo --kind tcp-server")
	}
	name := rest[0]
	if !exerciseName.MatchString(name) {
		return usagef("%q cannot be an exercise name: lowercase letters and digits, words joined by - (students type it: grader check %s)", name, strings.ToLower(name))
	}
	skel, ok := exercises.Skeleton(*kind)
	if !ok {
		msg := "new needs --kind: one of " + strings.Join(exercises.SkeletonKinds(), ", ")
		if *kind != "" {
			msg = fmt.Sprintf("--kind %q is not a kind of exercise; the kinds are %s", *kind, strings.Join(exercises.SkeletonKinds(), ", "))
		}
		return usagef("%s", msg)
	}
	dir := "exercises"
	if folders := exercises.Folders(*course, os.Getenv(exercises.EnvVar)); len(folders) > 0 {
		dir = folders[0]
	}
	files, err := skeletonFiles(skel, dir, name)
	if err != nil {
		return err
	}
	// Every fixture file is inside the fixtures folder, so the exercise
	// file and that folder are what could be there already.
	var present []string
	fixtures := exercises.FixturesOf(dir, name)
	for _, path := range []string{filepath.Join(dir, name+".yaml"), fixtures} {
		if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
			present = append(present, path)
		}
	}
	if len(present) > 0 {
		return usagef("%s already there; nothing was written (choose another name, or move it away)", strings.Join(present, ", "))
	}
	schemaFile := filepath.Join(dir, schema.FileName)
	if _, err := os.Lstat(schemaFile); errors.Is(err, fs.ErrNotExist) {
		files[schemaFile] = schema.JSON()
	}
	for _, path := range sortedPaths(files) {
		if err := writeNew(path, files[path]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", path)
	}
	if slices.Contains(exercises.Names(), name) {
		fmt.Fprintf(stdout, "note: %s is also a built-in exercise; yours replaces it where its course folder is used\n", name)
	}
	fmt.Fprintf(stdout, "\nNext: edit %s into your exercise, and its fixtures in %s; then\n  grader selftest %s --exercises %s\n  grader lint %s\n",
		filepath.Join(dir, name+".yaml"), fixtures, name, dir, dir)
	return nil
}

// skeletonFiles maps each path to write to its content, NAME and EXERCISES
// filled in.
func skeletonFiles(skel fs.FS, dir, name string) (map[string][]byte, error) {
	out := map[string][]byte{}
	fill := strings.NewReplacer("NAME", name, "EXERCISES", dir)
	err := fs.WalkDir(skel, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(skel, p)
		if err != nil {
			return err
		}
		var to string
		switch {
		case p == "exercise.yaml":
			to = filepath.Join(dir, name+".yaml")
			data = []byte(fill.Replace(string(data)))
		case strings.HasPrefix(p, "fixtures/"):
			to = filepath.Join(exercises.FixturesOf(dir, name), filepath.FromSlash(strings.TrimPrefix(p, "fixtures/")))
		default:
			return fmt.Errorf("skeleton file %s has no place", p)
		}
		out[to] = data
		return nil
	})
	return out, err
}

func sortedPaths(m map[string][]byte) []string { return slices.Sorted(maps.Keys(m)) }

// writeNew creates a file that must not exist (O_EXCL: one that appeared
// meanwhile is still not overwritten).
func writeNew(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
