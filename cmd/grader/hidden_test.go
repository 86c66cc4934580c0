package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// An exercise with a check hidden by its details and one hidden whole,
// graded through the binary: what students see, and what --show-hidden
// shows instructors.
const hiddenExercise = `title: Hidden checks
submission:
  files: [simple_server.py]
  command: python3 simple_server.py
checks:
  - id: listens
    title: It listens
    steps: [{connect: {}}]
  - id: secret-reply
    title: SECRET title
    hidden: all
    hint: SECRET hint
    needs: [listens]
    steps:
      - connect: {}
      - send: hi
      - expect: {exact: SECRET expected, timeout: 300ms}
  - id: detail-reply
    title: Replies exactly
    hidden: true
    hint: SECRET detail hint
    points: 2
    needs: [listens]
    steps:
      - connect: {}
      - send: hi
      - expect: {exact: SECRET exact, timeout: 300ms}
`

var _ = Describe("Hidden checks through the command", Serial, Ordered, func() {
	var exercise string
	BeforeAll(func() {
		exercise = filepath.Join(GinkgoT().TempDir(), "hidden.yaml")
		Expect(os.WriteFile(exercise, []byte(hiddenExercise), 0o644)).To(Succeed())
	})

	grade := func(extra ...string) (ids []string, score, max int, out string) {
		GinkgoHelper()
		args := append([]string{"check", exercise, "--dir", "fixtures/problem1/hostile-forged-output", "--format", "json", "--seed", "1"}, extra...)
		s := grader(args...)
		Expect(s).To(gexecExit(1))
		var res jsonResult
		Expect(json.Unmarshal(s.Out.Contents(), &res)).To(Succeed())
		for _, c := range res.Checks {
			ids = append(ids, c.ID)
		}
		return ids, res.Score, res.MaxScore, string(s.Out.Contents())
	}

	It("shows students the title and points of a check hidden by its details, and only the points of one hidden whole", func() {
		ids, score, max, out := grade()
		Expect(ids).To(Equal([]string{"listens", "detail-reply", "hidden"}))
		Expect(out).NotTo(ContainSubstring("SECRET"))
		Expect(out).To(ContainSubstring("Replies exactly"))
		Expect([]int{score, max}).To(Equal([]int{1, 4}))
	})

	It("shows instructors everything with --show-hidden, with the same score", func() {
		ids, score, max, out := grade("--show-hidden")
		Expect(ids).To(Equal([]string{"listens", "secret-reply", "detail-reply"}))
		Expect(out).To(ContainSubstring("SECRET hint"))
		Expect([]int{score, max}).To(Equal([]int{1, 4}))
	})

	It("lists a check hidden by its details in grader show, and counts the points of those hidden whole", func() {
		s := grader("show", exercise)
		Expect(s).To(gexecExit(0))
		out := string(s.Out.Contents())
		Expect(out).To(ContainSubstring("detail-reply (2 pt) — hidden"))
		Expect(out).To(ContainSubstring("Hidden checks (1 pt)"))
		Expect(out).NotTo(ContainSubstring("SECRET"))
		Expect(out).NotTo(ContainSubstring("secret-reply"))
	})
})
