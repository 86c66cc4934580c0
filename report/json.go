package report

import (
	"encoding/json"
	"io"

	"github.com/acme-lab/grader/checks/result"
)

// JSON writes the result as one indented JSON document; its form is
// result.Result's, versioned by its "version" field (docs/json.md).
func JSON(w io.Writer, r *result.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
