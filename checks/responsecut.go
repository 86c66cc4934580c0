package checks

import (
	"errors"
	"fmt"

	"github.com/acme-lab/grader/checks/httpwire"
)

// cutShort says why the grader stopped reading a response that had not
// arrived whole: its wait was over, or more than maxPending bytes came.
// The program did not end the stream, so the message never says it did;
// it says how much arrived, and what was still missing.
func cutShort(what string, ex *exchange) error {
	resp, n := ex.resp, len(ex.raw)
	var f *Failure
	switch {
	case errors.Is(ex.cut, errFlood):
		f = failf("More than 1 MiB of the response to %s arrived, and it had not ended, so the grader stopped reading there%s. The answer to this request is a few bytes: send only that.", what, announced(resp))
	case n == 0:
		return failf("Your server sent nothing back to %s within %s.", what, ex.wait)
	case resp == nil:
		f = failf("Only %s of the response to %s arrived within %s, not yet a whole status line: send the whole response at once (sendall), and promptly.", plural(n, "byte"), what, ex.wait)
	case resp.Has(httpwire.NoBlankLine):
		f = failf("The header section of the response to %s had not ended after %s: the empty line \"\\r\\n\" that ends it did not arrive (%s did). Send it after the last header, then the body.", what, ex.wait, plural(n, "byte"))
	case resp.Framing == httpwire.FramingContentLength:
		length, _ := resp.Get("Content-Length")
		f = failf("Only %s of the %s bytes of body that the Content-Length of the response to %s announces arrived within %s: send the whole body, or set Content-Length to the number of bytes you send.", plural(len(resp.Body), "byte"), length, what, ex.wait)
	case resp.Framing == httpwire.FramingChunked:
		f = failf("The chunked body of the response to %s had not ended after %s (%s had arrived): end it with the last chunk \"0\\r\\n\\r\\n\".", what, ex.wait, plural(n, "byte"))
	default:
		f = failf("Only %s of the response to %s arrived within %s, and it was not complete.", plural(n, "byte"), what, ex.wait)
	}
	f.Got = string(ex.raw[:min(n, 4096)])
	return f
}

// announced says what a response's Content-Length claims, if it has one.
func announced(resp *httpwire.Response) string {
	if resp == nil || resp.Framing != httpwire.FramingContentLength {
		return ""
	}
	length, _ := resp.Get("Content-Length")
	return fmt.Sprintf(" (its Content-Length announces %s bytes)", length)
}

// plural is "1 byte", "2 bytes".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
