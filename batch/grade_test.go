package batch

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/checks/result"
	"github.com/acme-lab/grader/checks/sandbox"
)

// The exercise hands each program its port, so that programs graded at
// once never compete for one.
const shoutExercise = `title: Shout
submission: {files: [shout.py], command: "python3 shout.py {{ port }}"}
checks:
  - id: listens
    title: It listens
    steps: [{connect: {}}]
  - id: shouts
    title: It answers in capitals
    needs: [listens]
    steps:
      - connect: {}
      - send: "hello\n"
      - expect: {exact: HELLO}
`

const shoutGood = `import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
while True:
    c, _ = s.accept()
    c.sendall(c.recv(100).upper()); c.close()
`

// progressFunc calls a function for every result.
type progressFunc func(*result.Graded)

func (progressFunc) Begin(int, int)            {}
func (f progressFunc) Graded(g *result.Graded) { f(g) }
func (progressFunc) End(bool)                  {}

var _ = Describe("Grading a class", func() {
	var ex *checks.Exercise
	BeforeEach(func() {
		var err error
		ex, err = checks.Load("shout.yaml", []byte(shoutExercise))
		Expect(err).NotTo(HaveOccurred())
	})

	class := func() string {
		return tree(map[string]string{
			"ana/shout.py":          shoutGood,
			"ben/shout.py":          strings.Replace(shoutGood, ".upper()", "", 1),
			"cleo/shout.py":         shoutGood,
			"dev/shout.py":          shoutGood,
			"eve/notes.txt":         "I ran out of time",
			"Fátima d'Arc/shout.py": shoutGood,
		})
	}

	It("grades every student, several at once, each as a single run would", func() {
		rows, _, err := Roster(class())
		Expect(err).NotTo(HaveOccurred())
		out := GinkgoT().TempDir()
		store, meta, err := Open(out, Meta{Exercise: "shout.yaml", Seed: 3}, true, false)
		Expect(err).NotTo(HaveOccurred())
		t, err := Grade(context.Background(), rows, store, Options{Exercise: ex, Meta: meta, Jobs: 3, Env: os.Environ()})
		Expect(err).NotTo(HaveOccurred())
		Expect(store.Close()).To(Succeed())
		Expect(t).To(Equal(Tally{Graded: 6, FullMarks: 4}))

		scores := map[string]string{}
		for g, err := range Results(out).Students() {
			Expect(err).NotTo(HaveOccurred())
			var s []string
			for _, c := range g.Checks {
				s = append(s, string(c.Status))
			}
			scores[g.Student] = strings.Join(s, " ")
			Expect(g.Seed).To(Equal(uint64(3)))
			if g.Student == "eve" {
				Expect(g.Error).To(Equal("shout.py not found in " + filepath.Join(filepath.Dir(rows[0].Path), "eve") + ", which holds notes.txt."))
			}
		}
		Expect(scores).To(Equal(map[string]string{
			"ana": "passed passed", "ben": "passed failed", "cleo": "passed passed", "dev": "passed passed",
			"eve": "error error", "Fátima d'Arc": "passed passed",
		}))
	})

	It("keeps only whole results when interrupted, and the next run grades the rest", func() {
		rows, _, err := Roster(class())
		Expect(err).NotTo(HaveOccurred())
		out := GinkgoT().TempDir()
		store, meta, err := Open(out, Meta{Exercise: "shout.yaml", Seed: 3}, true, false)
		Expect(err).NotTo(HaveOccurred())
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		seen := 0
		t, err := Grade(ctx, rows, store, Options{Exercise: ex, Meta: meta, Jobs: 2, Env: os.Environ(),
			Progress: progressFunc(func(*result.Graded) {
				mu.Lock()
				defer mu.Unlock()
				if seen++; seen == 2 {
					cancel()
				}
			})})
		Expect(err).NotTo(HaveOccurred())
		Expect(store.Close()).To(Succeed())
		Expect(t.Graded).To(BeNumerically(">=", 2))
		Expect(t.Left).To(Equal(6 - t.Graded))
		Expect(t.Left).To(BeNumerically(">", 0))
		kept := 0
		for g, err := range Results(out).Students() {
			Expect(err).NotTo(HaveOccurred())
			kept++
			for _, c := range g.Checks {
				Expect(c.Message).NotTo(ContainSubstring("interrupted"), g.Student)
			}
		}
		Expect(kept).To(Equal(t.Graded))

		store, meta, err = Open(out, Meta{Exercise: "shout.yaml"}, false, false)
		Expect(err).NotTo(HaveOccurred())
		again, err := Grade(context.Background(), rows, store, Options{Exercise: ex, Meta: meta, Jobs: 2, Env: os.Environ()})
		Expect(err).NotTo(HaveOccurred())
		Expect(store.Close()).To(Succeed())
		Expect(again.Kept).To(Equal(t.Graded))
		Expect(again.Graded).To(Equal(t.Left))
		Expect(studentsIn(filepath.Join(out, ResultsFile))).To(Equal([]string{"Fátima d'Arc", "ana", "ben", "cleo", "dev", "eve"}))
	})

	It("gives students whose servers all hard-code one port the verdicts of single runs", func() {
		port := func() int {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			Expect(err).NotTo(HaveOccurred())
			defer l.Close()
			return l.Addr().(*net.TCPAddr).Port
		}()
		fixed, err := checks.Load("fixed.yaml", []byte(strings.Replace(shoutExercise, `command: "python3 shout.py {{ port }}"`, "command: python3 shout.py "+strconv.Itoa(port), 1)))
		Expect(err).NotTo(HaveOccurred())
		files := map[string]string{}
		for _, name := range []string{"a", "b", "c", "d"} {
			files[name+"/shout.py"] = shoutGood
		}
		rows, _, err := Roster(tree(files))
		Expect(err).NotTo(HaveOccurred())
		for _, mode := range []sandbox.Mode{"", sandbox.None} {
			out := GinkgoT().TempDir()
			store, meta, err := Open(out, Meta{Exercise: "fixed.yaml", Seed: 3}, true, false)
			Expect(err).NotTo(HaveOccurred())
			t, err := Grade(context.Background(), rows, store, Options{Exercise: fixed, Meta: meta, Jobs: 4, Env: os.Environ(), Sandbox: mode})
			Expect(err).NotTo(HaveOccurred())
			Expect(store.Close()).To(Succeed())
			Expect(t.Graded).To(Equal(4))
			if mode == sandbox.None {
				Expect(t.FullMarks).To(Equal(4), "unsandboxed, a server that found its port taken by a classmate's is graded again alone")
			} else {
				Expect(t.FullMarks).To(Equal(4), "each server in a network of its own")
				if m, _ := sandbox.Resolve(sandbox.Auto); m != sandbox.None {
					Expect(t.Regraded).To(BeZero(), "in a sandbox no port is ever a classmate's")
				}
			}
		}
	})
})

var _ = Describe("A port taken by another program", func() {
	DescribeTable("is seen in what the program printed",
		func(printed string, clash bool) {
			r := &result.Result{Sandbox: string(sandbox.None), Checks: []result.Check{{Status: result.Failed, Transcript: []result.Event{{Kind: result.Stderr, Data: printed}}}}}
			Expect(portClash(r)).To(Equal(clash))
		},
		Entry("Python on Linux", "OSError: [Errno 98] Address already in use", true),
		Entry("Python on macOS", "OSError: [Errno 48] Address already in use", true),
		Entry("Node", "Error: listen EADDRINUSE: address already in use :::10001", true),
		Entry("Java", "java.net.BindException: Address already in use", true),
		Entry("another error", "ConnectionResetError: [Errno 104] Connection reset by peer", false),
	)

	It("is the program's own doing in a sandbox, where no other program shares its loopback", func() {
		for _, m := range []sandbox.Mode{sandbox.Namespaces, sandbox.UserNamespaces} {
			r := &result.Result{Sandbox: string(m), Checks: []result.Check{{Status: result.Failed, Transcript: []result.Event{{Kind: result.Stderr, Data: "OSError: [Errno 98] Address already in use"}}}}}
			Expect(portClash(r)).To(BeFalse(), string(m))
		}
	})

	It("is not looked for in checks that passed", func() {
		r := &result.Result{Sandbox: string(sandbox.None), Checks: []result.Check{{Status: result.Passed, Transcript: []result.Event{{Kind: result.Stdout, Data: "Address already in use, retrying"}}}}}
		Expect(portClash(r)).To(BeFalse())
	})
})
