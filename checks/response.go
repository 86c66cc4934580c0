package checks

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acme-lab/grader/checks/httpwire"
	"github.com/acme-lab/grader/checks/result"
)

// exchange is one request and what came back.
type exchange struct {
	raw   []byte // every byte received
	resp  *httpwire.Response
	err   error // the parser's *httpwire.Error, when nothing HTTP came back
	ended error // how the stream ended, if it did
	took  time.Duration
	early int // bytes the program sent before the request
}

// lingerTime is how long the grader keeps reading after a complete
// response on a connection it will not reuse: long enough to catch a second
// response, short next to a program's start-up.
const lingerTime = 50 * time.Millisecond

// exchange sends req (its pieces gap apart) and reads one response, until
// it is complete, the stream ends, or the wait is over.
func (r *runner) exchange(c *conn, req [][]byte, gap time.Duration, method string, wait time.Duration, linger bool) (*exchange, error) {
	ex := &exchange{}
	// A server that answers before it reads (or greets) is caught here.
	_ = c.fill(time.Now().Add(time.Millisecond))
	ex.early = len(c.pending)
	var start time.Time
	for i, piece := range req {
		if i > 0 && !c.await(gap) {
			// The program answered and hung up before the request was all
			// there: what it answered is judged.
			r.event(result.Note, c.name, fmt.Sprintf("the grader does not send the rest of the request (%d bytes): the connection is closed", restLen(req[i:])))
			break
		}
		start = time.Now()
		if err := c.send(piece, r.until(wait)); err != nil {
			if i == 0 && ex.early == 0 {
				return nil, failf("The grader could not send its request: %s.", endedWords(err))
			}
			break
		}
	}
	deadline := r.until(wait)
	complete := false
	for {
		resp, perr := httpwire.ParseResponse(c.pending[ex.early:], method, false)
		if !errors.Is(perr, httpwire.ErrNeedMore) {
			complete = perr == nil
			if perr != nil {
				break
			}
			ex.resp = resp
			ex.took = time.Since(start)
			if !linger {
				c.consume(ex.early + resp.End)
				return ex, nil
			}
			deadline = time.Now().Add(lingerTime)
		}
		if err := c.fill(deadline); err != nil {
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				ex.ended = err
			}
			break
		}
	}
	if !complete || ex.took == 0 {
		ex.took = time.Since(start)
	}
	ex.raw = c.pending[ex.early:]
	ex.resp, ex.err = httpwire.ParseResponse(ex.raw, method, true)
	c.consume(len(c.pending))
	return ex, nil
}

func restLen(pieces [][]byte) int {
	n := 0
	for _, p := range pieces {
		n += len(p)
	}
	return n
}

// judge applies the tolerance and the expectations to one exchange.
func (s *requestStep) judge(r *runner, what string, ex *exchange) error {
	if within := s.expect.within; within > 0 && ex.resp == nil && len(ex.raw) == 0 && ex.ended == nil {
		return failf("%s was not answered within %s (the grader waited %s).", what, within, ex.took.Round(100*time.Millisecond))
	}
	if ex.early > 0 {
		return failf("Your server sent %d bytes before the grader sent %s: it must read the request first, then answer.", ex.early, what)
	}
	if ex.err != nil || ex.resp == nil {
		return noResponse(what, ex)
	}
	for _, d := range ex.resp.Deviations {
		// No Content-Length already says the body ends at close.
		if d.Kind == httpwire.BodyByClose && ex.resp.Has(httpwire.NoContentLength) {
			continue
		}
		if d.Severity == httpwire.Notice || slices.Contains(s.tolerate, d.Kind) {
			r.noticeOnce(string(d.Kind), "%s: %s.", what, d.Detail)
			continue
		}
		f := failf("The response to %s is not valid HTTP: %s.", what, d.Detail)
		f.Got, f.GotAt = string(ex.raw), d.Offset
		return f
	}
	if errors.Is(ex.ended, errReset) {
		r.notice("%s: your server reset the connection after its response instead of closing it.", what)
	}
	if s.capture != "" {
		r.env[s.capture] = responseValue(ex.resp)
	}
	return s.expect.check(r, what, ex)
}

func noResponse(what string, ex *exchange) error {
	var werr *httpwire.Error
	switch {
	case len(ex.raw) == 0 && errors.Is(ex.ended, io.EOF):
		return failf("Your server closed the connection without answering %s. If it crashed, its traceback is in the transcript.", what)
	case len(ex.raw) == 0 && ex.ended != nil:
		return failf("Your server sent nothing back to %s: %s.", what, endedWords(ex.ended))
	case len(ex.raw) == 0:
		return failf("Your server sent nothing back to %s within %s.", what, ex.took.Round(100*time.Millisecond))
	case errors.As(ex.err, &werr):
		f := failf("The response to %s is not HTTP: %s.", what, werr.Detail)
		f.Got, f.GotAt = string(ex.raw), werr.Offset
		return f
	}
	f := failf("The response to %s is cut short: %v.", what, ex.err)
	f.Got = string(ex.raw)
	return f
}

// responseValue is what expressions see of a response.
func responseValue(resp *httpwire.Response) map[string]any {
	headers := map[string]any{}
	for _, h := range resp.Headers {
		name := strings.ToLower(h.Name)
		if _, ok := headers[name]; !ok {
			headers[name] = h.Value
		}
	}
	return map[string]any{"status": resp.Status, "reason": resp.Reason, "proto": resp.Proto, "headers": headers, "body": string(resp.Body)}
}

// kinds reads a list of deviation kinds, refusing unknown ones.
func (d *decoder) kinds(n *yaml.Node, what string) []httpwire.Kind {
	known := []string{}
	for _, k := range httpwire.Kinds() {
		known = append(known, string(k))
	}
	var out []httpwire.Kind
	for _, s := range d.strs(n, what) {
		if !slices.Contains(known, s) {
			d.errorf(n, "%s: %q is not a kind of HTTP deviation%s", what, s, suggest(s, known))
		}
		out = append(out, httpwire.Kind(s))
	}
	return out
}

// statusSpec is a code (200) or a class (2xx).
type statusSpec struct {
	code, class int
}

func (d *decoder) statuses(n *yaml.Node) []statusSpec {
	var out []statusSpec
	for _, s := range d.strs(n, "expect.status") {
		switch {
		case len(s) == 3 && strings.HasSuffix(s, "xx") && s[0] >= '1' && s[0] <= '5':
			out = append(out, statusSpec{class: int(s[0] - '0')})
		default:
			code, err := strconv.Atoi(s)
			if err != nil || code < 100 || code > 599 {
				d.errorf(n, "expect.status: %q must be a status code such as 200 or a class such as 2xx", s)
			}
			out = append(out, statusSpec{code: code})
		}
	}
	return out
}

func (st statusSpec) String() string {
	if st.class != 0 {
		return fmt.Sprintf("%dxx", st.class)
	}
	return strconv.Itoa(st.code)
}

func (st statusSpec) match(code int) bool {
	if st.class != 0 {
		return code/100 == st.class
	}
	return code == st.code
}
