package checks_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/sandbox"
	"github.com/acme-lab/grader/exercises"
)

// BenchmarkGradeProblem1 grades a good problem1 submission end to end
// (four checks, four starts of Python) in the sandbox: compare with four
// times BenchmarkFloorPythonListenAndExit in checks/proc, and with the
// same run unsandboxed.
func BenchmarkGradeProblem1(b *testing.B) {
	benchGrade(b, "problem1", "good-socketserver", sandboxed(b))
}

func BenchmarkGradeProblem1Unsandboxed(b *testing.B) {
	benchGrade(b, "problem1", "good-socketserver", sandbox.None)
}

// BenchmarkGradeProblem2 grades a good problem2 submission: about 20
// starts of Python and 60 rounds.
func BenchmarkGradeProblem2(b *testing.B) {
	benchGrade(b, "problem2", "good-loop", sandboxed(b))
}

func BenchmarkGradeProblem2Unsandboxed(b *testing.B) {
	benchGrade(b, "problem2", "good-loop", sandbox.None)
}

func sandboxed(b *testing.B) sandbox.Mode {
	m, err := sandbox.Resolve(sandbox.Required)
	if err != nil {
		b.Skip(err)
	}
	return m
}

func benchGrade(b *testing.B, exercise, fixture string, mode sandbox.Mode) {
	ex, err := exercises.Find(exercise)
	if err != nil {
		b.Fatal(err)
	}
	dir, _ := filepath.Abs(filepath.Join("..", "fixtures", exercise, fixture))
	for b.Loop() {
		r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: 1, Env: os.Environ(), Sandbox: mode})
		if !r.Passed() {
			b.Fatalf("%s/%s did not pass: %+v", exercise, fixture, r.Checks)
		}
	}
}
