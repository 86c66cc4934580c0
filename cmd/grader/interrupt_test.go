package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

var _ = Describe("Interrupting the grader", func() {
	It("stops the submission, still writes the reports, and exits 130", func() {
		dir := GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, "simple_server.py"), []byte(`
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c, _ = s.accept()
time.sleep(60)
`), 0o644)).To(Succeed())
		out := filepath.Join(dir, "out", "result.json")
		w := newWatch()
		if w == nil {
			Skip("needs root and a cgroup v1 cpuacct hierarchy, to see the grader's processes")
		}
		s := w.start(exec.Command(graderBin, "check", "problem1", "--dir", dir, "--report", "json="+out))
		// The grader and its program.
		Eventually(func() int { return len(w.processes()) }).WithTimeout(10 * time.Second).Should(BeNumerically(">=", 2))
		s.Interrupt()
		Eventually(s).WithTimeout(10 * time.Second).Should(gexec.Exit(130))
		Expect(s.Err).To(gbytesSay("interrupted"))
		Expect(w.processes()).To(BeEmpty())

		var res struct {
			Score  int `json:"score"`
			Checks []struct {
				Status  string `json:"status"`
				Message string `json:"message"`
			} `json:"checks"`
		}
		data, err := os.ReadFile(out)
		Expect(err).NotTo(HaveOccurred())
		Expect(json.Unmarshal(data, &res)).To(Succeed())
		Expect(res.Checks).NotTo(BeEmpty())
		last := res.Checks[len(res.Checks)-1]
		Expect(last.Status).To(Equal("error"))
		Expect(last.Message).To(Equal("The run was interrupted before this check."))
	})
})
