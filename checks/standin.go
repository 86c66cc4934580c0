package checks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/acme-lab/grader/checks/httpwire"
)

// parseHTTPRequest reads bytes that a student would type into a TCP
// connection to a web server (`nc www.google.com 80`), the way a stand-in
// web server of the grader's own would, and gives an exercise's
// expressions what it saw:
//
//	raw        the bytes, as text
//	line       the request line as typed: "GET / HTTP/1.1"
//	method, target, proto   "GET", "/", "HTTP/1.1" ("" when absent)
//	headers    {"host": "www.google.com"}: names in lower case, first value
//	complete   the headers were ended by an empty line
//	kinds      every deviation's kind: ["bare-lf", "missing-host"]
//	first      by kind, the first deviation: {kind, detail, offset, caret, notice}
//	deviations all of them, in order
//	rest       bytes after the end of the request
//	status     what a real server would answer: 200, 400, or 0 for nothing yet
//	answer     "200 OK", "400 Bad Request", or "no answer yet"
//	why        the reason, when status is not 200
//	outcome    the answer in a sentence: `A real web server would answer "400 Bad Request".`
//	verdict    the same with the reason
//
// The stand-in answers as common servers do: a line ended by "\n" alone is
// accepted (RFC 9112 section 2.2 lets a server accept it, and nc sends
// nothing else); a request whose empty line has not come yet gets no
// answer, since the server waits for the rest; any other fault gets
// "400 Bad Request".
func parseHTTPRequest(raw []byte) (any, string) {
	req, err := httpwire.ParseRequest(raw, true)
	v := map[string]any{"raw": string(raw), "line": requestLineOf(raw), "method": "", "target": "", "proto": "",
		"headers": map[string]any{}, "complete": false, "rest": ""}
	var devs []httpwire.Deviation
	var perr *httpwire.Error
	switch {
	case errors.As(err, &perr) && req == nil:
		devs = []httpwire.Deviation{{Kind: perr.Kind, Offset: perr.Offset, Detail: perr.Detail}}
		v["complete"] = blankLineAfterFirst(raw)
	case err != nil && req == nil:
		devs = []httpwire.Deviation{{Kind: httpwire.Incomplete, Detail: err.Error()}}
	default:
		// A malformed request line comes with what followed it: the
		// headers are judged on their own (a Host header after a line that
		// a byte order mark spoilt is still the right one).
		headers := map[string]any{}
		for _, h := range req.Headers {
			if _, seen := headers[strings.ToLower(h.Name)]; !seen {
				headers[strings.ToLower(h.Name)] = h.Value
			}
		}
		v["method"], v["target"], v["proto"], v["headers"] = req.Method, req.Target, req.Proto, headers
		v["complete"] = !req.Has(httpwire.NoBlankLine) && !req.Has(httpwire.Incomplete)
		v["rest"] = string(raw[req.End:])
		devs = req.Deviations
		if perr != nil {
			devs = append([]httpwire.Deviation{{Kind: perr.Kind, Offset: perr.Offset, Detail: perr.Detail}}, devs...)
		}
	}
	kinds, list, first := []any{}, []any{}, map[string]any{}
	for _, d := range devs {
		m := map[string]any{"kind": string(d.Kind), "detail": d.Detail, "offset": d.Offset,
			"caret": httpwire.Caret(raw, d.Offset), "notice": d.Severity == httpwire.Notice}
		list = append(list, m)
		if _, seen := first[string(d.Kind)]; !seen {
			first[string(d.Kind)] = m
			kinds = append(kinds, string(d.Kind))
		}
	}
	v["kinds"], v["deviations"], v["first"] = kinds, list, first
	status, why := standIn(devs)
	v["status"], v["why"] = status, why
	v["answer"] = map[int]string{200: "200 OK", 400: "400 Bad Request", 0: "no answer yet"}[status]
	switch status {
	case 200:
		v["outcome"] = `A real web server would answer "200 OK" and send the page.`
		v["verdict"] = v["outcome"]
	case 400:
		v["outcome"] = `A real web server would answer "400 Bad Request".`
		v["verdict"] = fmt.Sprintf(`A real web server would answer "400 Bad Request": %s.`, why)
	default:
		v["outcome"] = `A real web server would not answer yet: it would wait for the rest of the request.`
		v["verdict"] = fmt.Sprintf(`A real web server would not answer yet: it would wait for the rest of the request (%s).`, why)
	}
	return v, "stand-in web server: " + v["verdict"].(string)
}

// standIn decides a stand-in server's answer from the deviations, in the
// order a server meets them: the request line first, then the end of the
// headers, then the rest.
func standIn(devs []httpwire.Deviation) (status int, why string) {
	find := func(ks ...httpwire.Kind) *httpwire.Deviation {
		for i, d := range devs {
			for _, k := range ks {
				if d.Kind == k && d.Severity == httpwire.Fault {
					return &devs[i]
				}
			}
		}
		return nil
	}
	if d := find(httpwire.RequestLineMalformed, httpwire.HeaderTooLarge); d != nil {
		return 400, d.Detail
	}
	if d := find(httpwire.NoBlankLine, httpwire.Incomplete, httpwire.LengthMismatch); d != nil {
		return 0, d.Detail
	}
	for _, d := range devs {
		if d.Severity == httpwire.Fault && d.Kind != httpwire.BareLF {
			return 400, d.Detail
		}
	}
	return 200, ""
}

// requestLineOf is the first line that is not empty, without its ending.
func requestLineOf(raw []byte) string {
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			return l
		}
	}
	return ""
}

// blankLineAfterFirst reports whether an empty line follows the first line
// that is not empty: where no request could be parsed, whether the typing
// was at least ended as a request is.
func blankLineAfterFirst(raw []byte) bool {
	s := strings.ReplaceAll(string(raw), "\r\n", "\n")
	s = strings.TrimLeft(s, "\n")
	_, after, ok := strings.Cut(s, "\n")
	return ok && (strings.HasPrefix(after, "\n") || strings.Contains(after, "\n\n"))
}
