package httpwire_test

import (
	"errors"
	"testing"

	"github.com/acme-lab/grader/checks/httpwire"
)

// The fuzz tests start from every input of the tables (responseSeeds and
// requestSeeds are filled as the tables are built, when the package is
// initialized) and check what must hold for any bytes at all: no panic,
// every offset within the input, End within the input, ErrNeedMore only
// before the stream has ended, and the same End whether or not the stream
// has ended once a message is complete.

func FuzzParseResponse(f *testing.F) {
	for _, s := range responseSeeds {
		f.Add([]byte(s), "GET", true)
		f.Add([]byte(s), "HEAD", false)
	}
	f.Fuzz(func(t *testing.T, raw []byte, method string, ended bool) {
		r, err := httpwire.ParseResponse(raw, method, ended)
		checkOutcome(t, raw, ended, err)
		if r == nil {
			return
		}
		checkMessage(t, raw, r.HeaderEnd, r.End, len(r.Body), r.Deviations)
		if !ended {
			r2, err := httpwire.ParseResponse(raw, method, true)
			if err != nil || r2.End != r.End {
				t.Fatalf("complete before the end (End %d), but at the end: %v, %+v", r.End, err, r2)
			}
		}
	})
}

func FuzzParseRequest(f *testing.F) {
	for _, s := range requestSeeds {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, raw []byte, ended bool) {
		r, err := httpwire.ParseRequest(raw, ended)
		checkOutcome(t, raw, ended, err)
		if r == nil {
			return
		}
		checkMessage(t, raw, r.HeaderEnd, r.End, len(r.Body), r.Deviations)
		if !ended {
			// A malformed request line is malformed at the end too.
			r2, err2 := httpwire.ParseRequest(raw, true)
			if r2 == nil || r2.End != r.End || (err == nil) != (err2 == nil) {
				t.Fatalf("complete before the end (End %d, %v), but at the end: %v, %+v", r.End, err, err2, r2)
			}
		}
	})
}

// checkOutcome checks the error of a parse: ErrNeedMore only before the
// end, otherwise an *httpwire.Error with an offset within raw.
func checkOutcome(t *testing.T, raw []byte, ended bool, err error) {
	t.Helper()
	var e *httpwire.Error
	switch {
	case err == nil:
	case errors.Is(err, httpwire.ErrNeedMore):
		if ended {
			t.Fatalf("ErrNeedMore after the stream ended")
		}
	case errors.As(err, &e):
		if e.Offset < 0 || e.Offset > len(raw) || e.Kind == "" || e.Detail == "" {
			t.Fatalf("bad error %+v for %d bytes", e, len(raw))
		}
	default:
		t.Fatalf("error of type %T: %v", err, err)
	}
}

// checkMessage checks the offsets of a parsed message and its deviations.
func checkMessage(t *testing.T, raw []byte, headerEnd, end, bodyLen int, ds []httpwire.Deviation) {
	t.Helper()
	if headerEnd < 0 || headerEnd > end || end > len(raw) {
		t.Fatalf("HeaderEnd %d, End %d for %d bytes", headerEnd, end, len(raw))
	}
	if bodyLen > len(raw) {
		t.Fatalf("a body of %d bytes from %d bytes", bodyLen, len(raw))
	}
	for i, d := range ds {
		if d.Offset < 0 || d.Offset > len(raw) || d.Kind == "" || d.Detail == "" {
			t.Fatalf("bad deviation %+v for %d bytes", d, len(raw))
		}
		if i > 0 && ds[i-1].Offset > d.Offset {
			t.Fatalf("deviations out of order: %v", ds)
		}
	}
}
