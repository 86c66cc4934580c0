// Package batch grades a whole class: one submission folder per student,
// each graded by checks.Run in a private copy, several at a time. It
// schedules, copies, streams each result to OUT/results.jsonl as soon as it
// is known (so a rerun resumes where an interrupted one stopped), splits a
// class into shards for several machines and merges their outputs; the
// class reports themselves are reporters in package report. It knows
// nothing of how a check runs: everything it learns of a submission is the
// Result that checks.Run returns.
package batch
