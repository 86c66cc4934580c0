// Command validate checks Kubernetes manifests strictly against the API's
// own Go types (k8s.io/api), as kubeconform checks them against the API's
// schemas, but with no schema to download: a misspelt field, a value of the
// wrong type or an unknown kind is an error, and so are the mistakes the
// API server would refuse that a schema does not see (a container without
// an image, a mount of a volume nobody declared, an Indexed Job without
// completions, a claim no manifest defines).
//
//	go run . ../*.yaml
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(files []string, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprintln(stderr, "usage: validate MANIFEST.yaml...")
		return 2
	}
	m := &manifests{claims: map[string]bool{}}
	for _, f := range files {
		m.file(f)
	}
	m.crossCheck()
	for _, e := range m.errs {
		fmt.Fprintln(stderr, e)
	}
	if len(m.errs) > 0 {
		return 1
	}
	fmt.Fprintf(stdout, "%d manifests in %d files are valid\n", m.docs, len(files))
	return 0
}

// manifests gathers what the files declare, for the checks across files.
type manifests struct {
	errs    []string
	docs    int
	claims  map[string]bool // PersistentVolumeClaims defined
	claimed []claimUse      // claims used by pods
}

type claimUse struct{ where, name string }

func (m *manifests) errorf(where, format string, args ...any) {
	m.errs = append(m.errs, where+": "+fmt.Sprintf(format, args...))
}

func (m *manifests) file(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		m.errorf(path, "%v", err)
		return
	}
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for n := 1; ; n++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			m.errorf(path, "%v", err)
			return
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		m.docs++
		m.document(fmt.Sprintf("%s (document %d)", path, n), doc)
	}
}

func stripComments(doc []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' && !bytes.Equal(t, []byte("---")) {
			out = append(out, line...)
			out = append(out, '\n')
		}
	}
	return out
}

// document decodes one manifest into the type its apiVersion and kind name,
// refusing any field that type lacks, then checks what the type cannot say.
func (m *manifests) document(where string, doc []byte) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		m.errorf(where, "not YAML: %v", err)
		return
	}
	where += " " + head.Kind
	switch head.APIVersion + " " + head.Kind {
	case "batch/v1 Job":
		var job batchv1.Job
		if m.strict(where, doc, &job) {
			m.job(where, &job)
		}
	case "v1 PersistentVolumeClaim":
		var pvc corev1.PersistentVolumeClaim
		if m.strict(where, doc, &pvc) {
			m.meta(where, pvc.Name, pvc.Labels)
			m.claims[pvc.Name] = true
			if len(pvc.Spec.AccessModes) == 0 {
				m.errorf(where, "spec.accessModes: at least one access mode is required")
			}
			if _, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; !ok {
				m.errorf(where, "spec.resources.requests.storage is required")
			}
		}
	default:
		m.errorf(where, "apiVersion %q, kind %q: not a kind this validator knows (batch/v1 Job, v1 PersistentVolumeClaim)", head.APIVersion, head.Kind)
	}
}

// strict decodes as the API server does: field names match exactly (the
// standard library's encoding/json would take completionmode for
// completionMode), and a field the type lacks or a key given twice is an
// error.
func (m *manifests) strict(where string, doc []byte, into any) bool {
	data, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		m.errorf(where, "%v", err)
		return false
	}
	strictErrs, err := sigsjson.UnmarshalStrict(data, into, sigsjson.DisallowUnknownFields, sigsjson.DisallowDuplicateFields)
	if err != nil {
		m.errorf(where, "%v", err)
		return false
	}
	for _, e := range strictErrs {
		m.errorf(where, "%v", e)
	}
	return len(strictErrs) == 0
}

func (m *manifests) crossCheck() {
	for _, c := range m.claimed {
		if !m.claims[c.name] {
			m.errorf(c.where, "the claim %q is not defined by any of these manifests", c.name)
		}
	}
}
