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
	ended error // how the program ended the stream, if it did
	// cut is why the grader stopped reading before the response was whole:
	// os.ErrDeadlineExceeded when its wait was over, errFlood when more
	// than maxPending bytes arrived. nil when the response came whole or
	// the program ended the stream.
	cut   error
	wait  time.Duration
	took  time.Duration
	early int // bytes the program sent before the request
}

// lingerTime bounds how long the grader keeps reading after a complete
// response on a connection it will not reuse, to catch a second response
// or bytes the Content-Length did not count. The wait ends as soon as the
// program closes the connection, as the request's "Connection: close"
// asks, or settles (what it sent before is then here to read).
const lingerTime = 50 * time.Millisecond

// lingerLook is how often a lingering read looks whether the program
// settled.
const lingerLook = 250 * time.Microsecond

// exchange sends req (its pieces gap apart) and reads one response, until
// it is complete, the stream ends, or the wait is over.
func (r *runner) exchange(c *conn, req [][]byte, gap time.Duration, method string, wait time.Duration, linger bool) (*exchange, error) {
	ex := &exchange{wait: wait}
	// A server that answers before it reads (or greets) is caught here.
	c.drain()
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
	lingering := false
	var settle settler
	settle.r = r
	for {
		resp, perr := httpwire.ParseResponse(c.pending[ex.early:], method, false)
		if !errors.Is(perr, httpwire.ErrNeedMore) {
			if perr != nil {
				break
			}
			if !lingering {
				ex.resp, ex.took = resp, time.Since(start)
			}
			if !linger {
				c.consume(ex.early + resp.End)
				return ex, nil
			}
			if !lingering {
				lingering = true
				deadline = time.Now().Add(lingerTime)
			}
		}
		until := deadline
		if lingering {
			if settle.settled(deadline) {
				c.drain()
				break
			}
			if next := time.Now().Add(lingerLook); next.Before(deadline) {
				until = next
			}
		}
		if err := c.fill(until); err != nil {
			switch {
			case errors.Is(err, os.ErrDeadlineExceeded) && lingering && time.Now().Before(deadline):
				continue
			case errors.Is(err, os.ErrDeadlineExceeded):
				if !lingering {
					ex.cut = err
				}
			case errors.Is(err, errFlood):
				ex.cut = err
			default:
				ex.ended = err
			}
			break
		}
	}
	if ex.resp == nil {
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

// judge applies the tolerance and the expectations to one exchange. A
// fault of HTTP is charged to the step that judges HTTP (one without
// expectations): a step that judges content does so whenever a client
// could read what it judges, and only notes the fault.
func (s *requestStep) judge(r *runner, what string, ex *exchange) error {
	if within := s.expect.within; within > 0 && ex.resp == nil && len(ex.raw) == 0 && ex.ended == nil {
		return failf("%s was not answered within %s (the grader waited %s).", what, within, ex.took.Round(100*time.Millisecond))
	}
	if ex.early > 0 {
		return failf("Your server sent %d bytes before the grader sent %s: it must read the request first, then answer.", ex.early, what)
	}
	if ex.cut != nil && (ex.resp == nil || !ex.resp.Complete) {
		return cutShort(what, ex)
	}
	if ex.err != nil || ex.resp == nil {
		return noResponse(what, ex)
	}
	readable := s.expect.readable(ex.resp)
	openEnded := ex.cut != nil && ex.resp.Framing == httpwire.FramingClose
	if openEnded {
		if !readable {
			f := failf("The response to %s has no Content-Length, so its body ends only when the connection closes, but your server kept the connection open: after %s the grader stopped waiting, and a client would still be waiting. Send \"Content-Length: %d\" before the empty line, or close the connection after the response.", what, ex.wait, len(ex.resp.Body))
			f.Got, f.GotAt = string(ex.raw), ex.resp.HeaderEnd
			return f
		}
		r.noticeOnce("open-ended", "The response to %s has no Content-Length and your server kept the connection open, so a client cannot tell when the body ends; this check judged the %s that had arrived after %s.", what, plural(len(ex.resp.Body), "byte"), ex.wait)
	}
	for _, d := range ex.resp.Deviations {
		// No Content-Length already says the body ends at close.
		if d.Kind == httpwire.BodyByClose && (ex.resp.Has(httpwire.NoContentLength) || openEnded) {
			continue
		}
		if openEnded && d.Kind == httpwire.NoContentLength {
			continue
		}
		if d.Severity == httpwire.Notice || slices.Contains(s.tolerate, d.Kind) {
			r.noticeOnce(string(d.Kind), "%s: %s.", what, d.Detail)
			continue
		}
		if readable {
			r.noticeOnce("content:"+string(d.Kind), "The response to %s is not valid HTTP: %s. This check judges what a client would read of it; HTTP validity is judged on its own.", what, d.Detail)
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
		return failf("Your server closed the connection without answering %s.", what)
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

// statusSpec is a code (200), a class (2xx), or any status at all.
type statusSpec struct {
	code, class int
	any         bool
}

func (d *decoder) statuses(n *yaml.Node) []statusSpec {
	var out []statusSpec
	for _, s := range d.strs(n, "expect.status") {
		switch {
		case s == "any":
			out = append(out, statusSpec{any: true})
		case len(s) == 3 && strings.HasSuffix(s, "xx") && s[0] >= '1' && s[0] <= '5':
			out = append(out, statusSpec{class: int(s[0] - '0')})
		default:
			code, err := strconv.Atoi(s)
			if err != nil || code < 100 || code > 599 {
				d.errorf(n, "expect.status: %q must be a status code such as 200, a class such as 2xx, or any", s)
			}
			out = append(out, statusSpec{code: code})
		}
	}
	return out
}

func (st statusSpec) String() string {
	if st.any {
		return "any status"
	}
	if st.class != 0 {
		return fmt.Sprintf("%dxx", st.class)
	}
	return strconv.Itoa(st.code)
}

func (st statusSpec) match(code int) bool {
	if st.any {
		return true
	}
	if st.class != 0 {
		return code/100 == st.class
	}
	return code == st.code
}
