package result

// Graded is one student's result in a class: a line of a batch's
// results.jsonl, which is the JSON result of `grader check` with the student
// and the submission folder in front.
type Graded struct {
	Student string `json:"student"`
	// Submission is the student's folder as the batch was given it (the
	// SUBMISSIONS folder joined with the student's, or the manifest's path):
	// what an instructor passes to `grader check --dir` to replay the run.
	Submission string `json:"submission"`
	*Result
}
