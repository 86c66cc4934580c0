package checks

import (
	"fmt"
)

// Failure is a check that ran and found the submission wrong. Its message is
// for the student: a full sentence that says what happened.
type Failure struct {
	Msg      string
	Expected string
	// ExpectedBytes are the exact bytes wanted, when bytes were compared.
	ExpectedBytes []byte
	Got           string
	GotAt         int // offset into Got where it goes wrong; -1 when none
	// explainsCrash: the message says why the program ended (another
	// program held its port), so the crash is not put before it.
	explainsCrash bool
}

func (f *Failure) Error() string { return f.Msg }

func failf(format string, args ...any) *Failure {
	return &Failure{Msg: fmt.Sprintf(format, args...), GotAt: -1}
}

// ExerciseError is a fault of the exercise file found while running (an
// expression that fails on the values it met): the check's status is error.
type ExerciseError struct {
	Line int
	Err  error
}

func (e *ExerciseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *ExerciseError) Unwrap() error { return e.Err }

// machineError is a fault of the machine that grades (a command its
// sandbox may not run): neither the student's nor the exercise's. Its
// check is an error, with the message as it is.
type machineError struct{ msg string }

func (e *machineError) Error() string { return e.msg }

func exerciseError(line int, err error) error {
	switch err.(type) {
	case *Failure, *ExerciseError, *machineError:
		return err
	}
	return &ExerciseError{Line: line, Err: err}
}
