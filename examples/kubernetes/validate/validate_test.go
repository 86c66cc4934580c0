package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestValidate(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Kubernetes manifests")
}

// check validates manifests written to files, and returns the exit status
// and what was said.
func check(docs ...string) (int, string) {
	dir := GinkgoT().TempDir()
	var files []string
	for i, d := range docs {
		f := filepath.Join(dir, string(rune('a'+i))+".yaml")
		Expect(os.WriteFile(f, []byte(d), 0o644)).To(Succeed())
		files = append(files, f)
	}
	var out, errs bytes.Buffer
	code := run(files, &out, &errs)
	return code, strings.ReplaceAll(out.String()+errs.String(), dir+"/", "")
}

const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: results}
spec:
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 1Gi}}
`

const job = `apiVersion: batch/v1
kind: Job
metadata: {name: grade}
spec:
  completionMode: Indexed
  completions: 4
  parallelism: 4
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: grade
          image: grader:1
          command: [sh, -c, 'grader batch x /s --shard $((JOB_COMPLETION_INDEX + 1))/4']
          volumeMounts: [{name: results, mountPath: /results}]
      volumes:
        - name: results
          persistentVolumeClaim: {claimName: results}
`

var _ = Describe("Validating manifests", func() {
	It("passes the examples of this folder", func() {
		files, err := filepath.Glob("../*.yaml")
		Expect(err).NotTo(HaveOccurred())
		Expect(files).To(HaveLen(3))
		var out, errs bytes.Buffer
		Expect(run(files, &out, &errs)).To(Equal(0), errs.String())
		Expect(out.String()).To(Equal("4 manifests in 3 files are valid\n"))
	})

	It("passes a well-formed Indexed Job and its claim", func() {
		code, said := check(job, claim)
		Expect(said).To(Equal("2 manifests in 2 files are valid\n"))
		Expect(code).To(Equal(0))
	})

	DescribeTable("refuses what the API server would, saying where",
		func(edit func(string) string, message string) {
			code, said := check(edit(job), claim)
			Expect(said).To(ContainSubstring(message))
			Expect(code).To(Equal(1))
		},
		Entry("a misspelt field", func(s string) string { return strings.Replace(s, "completionMode", "completionmode", 1) },
			`a.yaml (document 1) Job: unknown field "spec.completionmode"`),
		Entry("a number that is text", func(s string) string { return strings.Replace(s, "completions: 4", "completions: four", 1) },
			`a.yaml (document 1) Job: json: cannot unmarshal`),
		Entry("an Indexed Job without completions", func(s string) string { return strings.Replace(s, "  completions: 4\n", "", 1) },
			"spec.completions: an Indexed Job needs its number of completions"),
		Entry("a container without an image", func(s string) string { return strings.Replace(s, "image: grader:1", "imagePullPolicy: Always", 1) },
			"container grade: image is required"),
		Entry("a mount of no volume", func(s string) string {
			return strings.Replace(s, "{name: results, mountPath", "{name: result, mountPath", 1)
		},
			`container grade: volumeMounts: "result" is not a volume of the pod`),
		Entry("a claim nobody defines", func(s string) string { return strings.Replace(s, "{claimName: results}", "{claimName: other}", 1) },
			`the claim "other" is not defined by any of these manifests`),
		Entry("a pod that restarts always", func(s string) string { return strings.Replace(s, "restartPolicy: Never", "restartPolicy: Always", 1) },
			`restartPolicy: a Job's pods restart Never or OnFailure, not "Always"`),
		Entry("a shard not read from the index", func(s string) string { return strings.Replace(s, "JOB_COMPLETION_INDEX", "INDEX", 1) },
			"an Indexed Job's container should read its shard from JOB_COMPLETION_INDEX"),
		Entry("an unknown kind", func(s string) string { return strings.Replace(s, "kind: Job", "kind: CronJobs", 1) },
			`apiVersion "batch/v1", kind "CronJobs": not a kind this validator knows`),
		Entry("a name in capitals", func(s string) string { return strings.Replace(s, "{name: grade}", "{name: Grade}", 1) },
			`metadata.name "Grade": a lowercase RFC 1123 subdomain`),
	)
})
