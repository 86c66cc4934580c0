package batch

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Reading the class", func() {
	Context("from a folder of students' folders", func() {
		It("takes each folder as a student, sorted, whatever the characters of the name", func() {
			root := tree(map[string]string{
				"zoë/rps_server.py":             "",
				"Ana María (2)/rps_server.py":   "",
				"$(touch pwned); rm -rf ~/x.py": "",
				"<img src=x onerror=alert(1)>/": "",
				".git/HEAD":                     "",
				"README.md":                     "the class",
			})
			rows, notes, err := Roster(root)
			Expect(err).NotTo(HaveOccurred())
			Expect(students(rows)).To(Equal([]string{"$(touch pwned); rm -rf ~", "<img src=x onerror=alert(1)>", "Ana María (2)", "zoë"}))
			Expect(problems(rows)).To(BeEmpty())
			Expect(rows[3].Path).To(Equal(filepath.Join(root, "zoë")))
			Expect(notes).To(ConsistOf(filepath.Join(root, "README.md") + " is not a folder, so not a student's submission; it is left alone."))
		})

		It("makes a link that points nowhere, or outside the class, that student's problem", func() {
			root := tree(map[string]string{"alice/a.py": ""})
			outside := GinkgoT().TempDir()
			Expect(os.Symlink(filepath.Join(root, "gone"), filepath.Join(root, "bob"))).To(Succeed())
			Expect(os.Symlink(outside, filepath.Join(root, "carol"))).To(Succeed())
			rows, _, err := Roster(root)
			Expect(err).NotTo(HaveOccurred())
			Expect(students(rows)).To(Equal([]string{"alice", "bob", "carol"}))
			Expect(problems(rows)).To(Equal(map[string]string{
				"bob":   "The folder " + filepath.Join(root, "bob") + " does not exist.",
				"carol": "The folder " + filepath.Join(root, "carol") + " is outside " + root + "; only folders inside it are graded.",
			}))
		})

		It("takes a relative path as well as an absolute one", func() {
			root := tree(map[string]string{"class/alice/a.py": "", "class/bob/a.py": ""})
			GinkgoT().Chdir(root)
			rows, _, err := Roster("class")
			Expect(err).NotTo(HaveOccurred())
			Expect(problems(rows)).To(BeEmpty())
			Expect(rows[0].Path).To(Equal(filepath.Join("class", "alice")))
		})

		It("says so when there is no such folder", func() {
			_, _, err := Roster("/no/such/class")
			Expect(err).To(MatchError("/no/such/class: no such folder or manifest"))
		})
	})

	Context("from a CSV manifest", func() {
		It("reads student,path rows, with or without a header, paths relative to the manifest", func() {
			root := tree(map[string]string{
				"repos/a1/x.py": "", "repos/b 2/x.py": "",
				"roster.csv": "Student,Path\n\"Smith, Jo\",repos/a1\nLee,  repos/b 2\n\n",
			})
			rows, _, err := Roster(filepath.Join(root, "roster.csv"))
			Expect(err).NotTo(HaveOccurred())
			Expect(students(rows)).To(Equal([]string{"Lee", "Smith, Jo"}))
			Expect(problems(rows)).To(BeEmpty())
			Expect(rows[0].Path).To(Equal(filepath.Join(root, "repos/b 2")))
		})

		It("makes a path outside the manifest's folder, or a missing one, that row's problem only", func() {
			root := tree(map[string]string{"class/ok/x.py": "", "secret/x.py": ""})
			manifest := filepath.Join(root, "class", "roster.csv")
			Expect(os.WriteFile(manifest, []byte("ok,ok\nsneaky,../secret\nabsolute,/etc\nlost,nowhere\nempty,\n"), 0o644)).To(Succeed())
			rows, _, err := Roster(manifest)
			Expect(err).NotTo(HaveOccurred())
			class := filepath.Join(root, "class")
			Expect(problems(rows)).To(Equal(map[string]string{
				"sneaky":   "The folder " + filepath.Join(class, "../secret") + " is outside " + class + "; only folders inside it are graded.",
				"absolute": "The folder /etc is outside " + class + "; only folders inside it are graded.",
				"lost":     "The folder " + filepath.Join(class, "nowhere") + " does not exist.",
				"empty":    "The manifest gives no folder for this student.",
			}))
		})

		DescribeTable("refuses a manifest it cannot read as a class, naming the line",
			func(content, message string) {
				root := tree(map[string]string{"a/x.py": "", "m.csv": content})
				_, _, err := Roster(filepath.Join(root, "m.csv"))
				Expect(err).To(HaveOccurred())
				Expect(err.Error()).To(Equal(filepath.Join(root, "m.csv") + message))
			},
			Entry("a row of three fields", "a,a\nb,a,extra\n", ":2: a row is student,path; this one has 3 fields"),
			Entry("a student twice", "a,a\nb,a\na,a\n", ":3: a is already listed on line 1"),
			Entry("a name that cannot be a folder's", "x/y,a\n", `:1: The student name "x/y" cannot be a folder's name (no / or \, not . or ..).`),
			Entry("a name with a control character", "\"a\tb\",a\n", `:1: The student name "a\tb" holds a control character.`),
			Entry("a nameless row", ",a\n", ":1: A student has no name."),
			Entry("a stray quote", "a,\"a\n", `:1:6: extraneous or missing " in quoted-field`),
		)
	})
})

var _ = Describe("Shards", func() {
	names := func(n int, prefix string) []string {
		var out []string
		for i := range n {
			out = append(out, prefix+string(rune('A'+i%26))+string(rune('a'+i/26%26)))
		}
		return out
	}

	It("put every student in exactly one of N shards", func() {
		for _, n := range []int{1, 2, 3, 4, 7} {
			for _, s := range names(200, "") {
				in := 0
				for i := 1; i <= n; i++ {
					if (Shard{i, n}).Has(s) {
						in++
					}
				}
				Expect(in).To(Equal(1), "%s in %d shards of %d", s, in, n)
			}
		}
	})

	It("keep each student in the same shard when students are added", func() {
		before := map[string]int{}
		for _, s := range names(100, "x") {
			for i := 1; i <= 4; i++ {
				if (Shard{i, 4}).Has(s) {
					before[s] = i
				}
			}
		}
		// The assignment depends on the name alone: a class of 300 puts
		// the first 100 where a class of 100 did.
		for s, i := range before {
			Expect(Shard{i, 4}.Has(s)).To(BeTrue())
		}
	})

	It("share a class out roughly evenly", func() {
		count := make([]int, 4)
		for _, s := range names(400, "s") {
			for i := 1; i <= 4; i++ {
				if (Shard{i, 4}).Has(s) {
					count[i-1]++
				}
			}
		}
		for _, c := range count {
			Expect(c).To(BeNumerically("~", 100, 30))
		}
	})

	DescribeTable("are written I/N",
		func(s string, want Shard, message string) {
			got, err := ParseShard(s)
			if message != "" {
				Expect(err).To(MatchError(message))
				return
			}
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(Equal(want))
		},
		Entry("the second of four", "2/4", Shard{2, 4}, ""),
		Entry("counted from 1", "0/4", Shard{}, `--shard is I/N with 1 ≤ I ≤ N (e.g. 2/4 is the second of four), not "0/4"`),
		Entry("not past N", "5/4", Shard{}, `--shard is I/N with 1 ≤ I ≤ N (e.g. 2/4 is the second of four), not "5/4"`),
		Entry("with a slash", "2", Shard{}, `--shard is I/N with 1 ≤ I ≤ N (e.g. 2/4 is the second of four), not "2"`),
	)
})

var _ = Describe("Seeds", func() {
	It("are the class's for everyone, unless derived per student", func() {
		Expect(SeedFor(4242, "alice", false)).To(Equal(uint64(4242)))
		a, b := SeedFor(4242, "alice", true), SeedFor(4242, "bob", true)
		Expect(a).NotTo(Equal(b))
		Expect(SeedFor(4242, "alice", true)).To(Equal(a), "the same every time: replayable")
		Expect(SeedFor(4243, "alice", true)).NotTo(Equal(a))
		Expect(a).To(BeNumerically(">=", 1))
		Expect(a).To(BeNumerically("<=", 999999))
	})
})
