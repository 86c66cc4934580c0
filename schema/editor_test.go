package schema_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/acme-lab/grader/checks"
	"github.com/acme-lab/grader/exercises"
	"github.com/acme-lab/grader/schema"
)

// editor is a real yaml-language-server (the YAML language server of VS
// Code and other editors) spoken to over stdio as an editor would: the
// modeline points it at the schema beside each file.
type editor struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	mu     sync.Mutex
	nextID int
	msgs   chan map[string]any
}

// yamllsScript is where scripts/setup.sh installs the server.
func yamllsScript() string {
	return filepath.Join(repoRoot(), "tools", "yamlls", "node_modules", "yaml-language-server", "bin", "yaml-language-server")
}

var settings = map[string]any{"validate": true, "completion": true, "hover": true,
	"schemaStore": map[string]any{"enable": false}, "format": map[string]any{"enable": false}}

func startEditor() *editor {
	GinkgoHelper()
	_, err := os.Stat(yamllsScript())
	Expect(err).NotTo(HaveOccurred(), "yaml-language-server is not installed: run scripts/setup.sh")
	cmd := exec.Command("node", yamllsScript(), "--stdio")
	in, err := cmd.StdinPipe()
	Expect(err).NotTo(HaveOccurred())
	out, err := cmd.StdoutPipe()
	Expect(err).NotTo(HaveOccurred())
	cmd.Stderr = GinkgoWriter
	Expect(cmd.Start()).To(Succeed())
	e := &editor{cmd: cmd, in: in, msgs: make(chan map[string]any, 256)}
	DeferCleanup(func() {
		_ = in.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	go e.read(bufio.NewReader(out))
	root := "file://" + repoRoot()
	e.call("initialize", map[string]any{"processId": os.Getpid(), "rootUri": root,
		"capabilities": map[string]any{"workspace": map[string]any{"configuration": true},
			"textDocument": map[string]any{"completion": map[string]any{"completionItem": map[string]any{"snippetSupport": false}}}}})
	e.notify("initialized", map[string]any{})
	e.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"yaml": settings}})
	return e
}

// read delivers the server's messages, and answers its requests: the
// settings it asks for, and null to the rest.
func (e *editor) read(r *bufio.Reader) {
	defer close(e.msgs)
	for {
		length := 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var m map[string]any
		if json.Unmarshal(body, &m) != nil {
			continue
		}
		if method, ok := m["method"].(string); ok && m["id"] != nil {
			var result any
			if method == "workspace/configuration" {
				items, _ := m["params"].(map[string]any)["items"].([]any)
				answers := make([]any, len(items))
				for i := range answers {
					answers[i] = settings
				}
				result = answers
			}
			e.send(map[string]any{"jsonrpc": "2.0", "id": m["id"], "result": result})
			continue
		}
		e.msgs <- m
	}
}

func (e *editor) send(m map[string]any) {
	data, err := json.Marshal(m)
	Expect(err).NotTo(HaveOccurred())
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err = fmt.Fprintf(e.in, "Content-Length: %d\r\n\r\n%s", len(data), data)
	Expect(err).NotTo(HaveOccurred())
}

func (e *editor) notify(method string, params any) {
	e.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// wait returns the first message that matches, within 30 seconds.
func (e *editor) wait(what string, match func(map[string]any) bool) map[string]any {
	GinkgoHelper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-e.msgs:
			Expect(ok).To(BeTrue(), "yaml-language-server ended while the spec waited for "+what)
			if match(m) {
				return m
			}
		case <-deadline:
			Fail("yaml-language-server gave no " + what + " within 30s")
		}
	}
}

func (e *editor) call(method string, params any) any {
	GinkgoHelper()
	e.mu.Lock()
	e.nextID++
	id := e.nextID
	e.mu.Unlock()
	e.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	m := e.wait("answer to "+method, func(m map[string]any) bool { return m["id"] == float64(id) })
	Expect(m["error"]).To(BeNil(), method)
	return m["result"]
}

// open shows the server a file as an editor opens it, and returns the
// diagnostics it publishes for it.
func (e *editor) open(path, text string) []any {
	GinkgoHelper()
	uri := "file://" + path
	e.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
	m := e.wait("diagnostics of "+path, func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == uri
	})
	diags, _ := m["params"].(map[string]any)["diagnostics"].([]any)
	return diags
}

func messages(diags []any) []string {
	var out []string
	for _, d := range diags {
		out = append(out, fmt.Sprint(d.(map[string]any)["message"]))
	}
	return out
}

var _ = Describe("Editing exercises in an editor with yaml-language-server", Ordered, func() {
	var e *editor
	var dir string
	BeforeAll(func() {
		e = startEditor()
		dir = GinkgoT().TempDir()
		Expect(os.WriteFile(filepath.Join(dir, schema.FileName), schema.JSON(), 0o644)).To(Succeed())
	})

	It("finds nothing wrong in any built-in exercise", func() {
		for _, name := range exercises.Names() {
			path := filepath.Join(repoRoot(), "exercises", name+".yaml")
			src, err := os.ReadFile(path)
			Expect(err).NotTo(HaveOccurred())
			Expect(messages(e.open(path, string(src)))).To(BeEmpty(), name)
		}
	})

	It("marks a misspelt key and a wrong type", func() {
		src := schema.Modeline + "\ntitle: T\nsubmission: {command: python3 s.py}\nchecks:\n  - id: a\n    titel: A\n    points: lots\n    steps: [{connect: {}}]\n"
		diags := messages(e.open(filepath.Join(dir, "broken.yaml"), src))
		Expect(diags).To(ContainElement(ContainSubstring("titel")))
		Expect(diags).To(ContainElement(ContainSubstring("Incorrect type")))
	})

	It("offers every step kind where a step begins", func() {
		src := schema.Modeline + "\ntitle: T\nsubmission: {command: python3 s.py}\nchecks:\n  - id: a\n    title: A\n    steps:\n      - \n"
		path := filepath.Join(dir, "new.yaml")
		e.open(path, src)
		res := e.call("textDocument/completion", map[string]any{
			"textDocument": map[string]any{"uri": "file://" + path},
			"position":     map[string]any{"line": 7, "character": 8},
		})
		var items []any
		switch r := res.(type) {
		case map[string]any:
			items, _ = r["items"].([]any)
		case []any:
			items = r
		}
		var labels []string
		for _, it := range items {
			labels = append(labels, fmt.Sprint(it.(map[string]any)["label"]))
		}
		for _, k := range checks.StepKinds() {
			Expect(labels).To(ContainElement(k))
		}
	})
})
