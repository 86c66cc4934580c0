package report

import "github.com/acme-lab/grader/checks/result"

// HiddenID names the one entry that stands, in students' reports, for every
// check whose exercise hides it whole (hidden: all).
const HiddenID = "hidden"

// hiddenDetails replaces the message of a check whose details are hidden.
const hiddenDetails = "The details of this check are hidden."

// ForStudents returns a copy of r that students may see. A check hidden by
// its details keeps its title, status and points and loses everything else;
// checks hidden whole are folded into one entry, HiddenID, that holds their
// points and nothing that names them. The score and maximum stay true and
// equal to the sum over the checks, so every format agrees with the grade,
// including GitHub Classroom's, which sums the tests itself. r is not
// changed.
func ForStudents(r *result.Result) *result.Result {
	out := *r
	out.Checks = make([]result.Check, 0, len(r.Checks))
	var all *result.Check
	for _, c := range r.Checks {
		switch c.Hidden {
		case result.HiddenDetails:
			out.Checks = append(out.Checks, withoutDetails(c))
		case result.HiddenAll:
			if all == nil {
				all = &result.Check{ID: HiddenID, Title: "Hidden checks", Status: result.Passed, Hidden: result.HiddenAll, Transcript: []result.Event{}}
			}
			all.Score += c.Score
			all.MaxScore += c.MaxScore
			all.Duration += c.Duration
			all.Status = worse(all.Status, c.Status)
		default:
			out.Checks = append(out.Checks, c)
		}
	}
	if all != nil {
		if all.Status != result.Passed {
			all.Message = "Some hidden checks did not pass; their details are hidden."
		}
		out.Checks = append(out.Checks, *all)
	}
	return &out
}

func withoutDetails(c result.Check) result.Check {
	out := result.Check{ID: c.ID, Title: c.Title, Status: c.Status, Score: c.Score, MaxScore: c.MaxScore, Hidden: c.Hidden, Duration: c.Duration, Transcript: []result.Event{}}
	if c.Status != result.Passed {
		out.Message = hiddenDetails
	}
	return out
}

// worse orders verdicts for the folded entry: it passed only when every
// hidden check passed, and otherwise takes the gravest verdict among them.
func worse(a, b result.Status) result.Status {
	rank := map[result.Status]int{result.Passed: 0, result.Skipped: 1, result.Error: 2, result.Failed: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
