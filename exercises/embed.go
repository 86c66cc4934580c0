// Package exercises holds the exercise definitions, built into the grader
// so that it works from any folder. Each exercise is one YAML file; its name
// without .yaml is what students type.
package exercises

import "embed"

// FS holds every *.yaml file of this folder; starters/NAME/, the files
// `grader init NAME` writes into a student's folder; and skeletons/KIND/,
// what `grader new NAME --kind KIND` writes into a course folder.
//
//go:embed *.yaml starters skeletons
var FS embed.FS
