package checks_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/exercises"
)

// only is the built-in exercise cut down to one check, run on its own.
func only(name, id string) *checks.Exercise {
	ex, err := exercises.Find(name)
	Expect(err).NotTo(HaveOccurred())
	cut := *ex
	for _, c := range ex.Checks {
		if c.ID == id {
			one := *c
			one.Needs = nil
			cut.Checks = []*checks.Check{&one}
		}
	}
	Expect(cut.Checks).To(HaveLen(1), id)
	return &cut
}

// fixtureCopy copies a fixture's program into a fresh folder, with its
// hard-coded port replaced (0: any free one, so runs can overlap).
func fixtureCopy(exercise, fixture, file, port, with string) string {
	src, err := os.ReadFile(filepath.Join("..", "fixtures", exercise, fixture, file))
	Expect(err).NotTo(HaveOccurred())
	dir := GinkgoT().TempDir()
	Expect(os.WriteFile(filepath.Join(dir, file), []byte(strings.ReplaceAll(string(src), port, with)), 0o644)).To(Succeed())
	return dir
}

// A check that judges a random program must not pass it by chance (below
// 1 in 1000, the exercises say how): fifty seeds would show a pass rate of
// a few in a hundred.
var _ = Describe("Checks that judge a random program, over 50 seeds", func() {
	It("problem2-client sends-typed-move fails a client that sends a random move instead of the typed one", func() {
		ex := only("problem2-client", "sends-typed-move")
		dir, _ := filepath.Abs(filepath.Join("..", "fixtures", "problem2-client", "bad-sends-typed-move-random"))
		// The grader listens on the lab's port: one run at a time.
		for seed := uint64(1); seed <= 50; seed++ {
			r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: seed, Env: os.Environ()})
			Expect(r.Checks[0].Status).To(Equal(result.Failed), "seed %d: %s", seed, r.Checks[0].Message)
		}
	})

	It("problem2 judges-correctly fails a server that answers at random", func() {
		ex := only("problem2", "judges-correctly")
		dir := fixtureCopy("problem2", "bad-judges-correctly-random", "rps_server.py", "10001", "0")
		var wg sync.WaitGroup
		verdicts := make([]result.Check, 50)
		seeds := make(chan int)
		for range 4 {
			wg.Go(func() {
				defer GinkgoRecover()
				for i := range seeds {
					r := checks.Run(context.Background(), ex, checks.Options{Dir: dir, Seed: uint64(i + 1), Env: os.Environ()})
					verdicts[i] = r.Checks[0]
				}
			})
		}
		for i := range verdicts {
			seeds <- i
		}
		close(seeds)
		wg.Wait()
		for i, c := range verdicts {
			Expect(c.Status).To(Equal(result.Failed), "seed %d: %s", i+1, c.Message)
		}
	})
})
