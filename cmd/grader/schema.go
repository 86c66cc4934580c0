package main

import (
	"io"

	"github.com/acme-lab/grader/schema"
)

// runSchema prints the JSON Schema of exercise files, for editors (the
// same as exercises/exercise.schema.json in the grader's repository).
func runSchema(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usagef("schema takes no arguments: grader schema > exercise.schema.json")
	}
	_, err := stdout.Write(schema.JSON())
	return err
}
