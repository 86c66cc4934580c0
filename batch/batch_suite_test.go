package batch

import (
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestBatch(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Class grading")
}

// tree makes files (path → content; a path ending in / is a folder) under a
// fresh folder and returns it.
func tree(files map[string]string) string {
	root := GinkgoT().TempDir()
	for path, content := range files {
		full := filepath.Join(root, path)
		if path[len(path)-1] == '/' {
			Expect(os.MkdirAll(full, 0o755)).To(Succeed())
			continue
		}
		Expect(os.MkdirAll(filepath.Dir(full), 0o755)).To(Succeed())
		Expect(os.WriteFile(full, []byte(content), 0o644)).To(Succeed())
	}
	return root
}

func students(rows []Submission) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Student)
	}
	return out
}

func problems(rows []Submission) map[string]string {
	out := map[string]string{}
	for _, r := range rows {
		if r.Problem != "" {
			out[r.Student] = r.Problem
		}
	}
	return out
}
