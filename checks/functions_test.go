package checks

import (
	"testing"
	"time"
)

func TestTimeNear(t *testing.T) {
	now := time.Date(2026, 11, 24, 13, 5, 9, 0, time.Local)
	cases := []struct {
		text string
		want bool
	}{
		{"hello abc 13:05:09", true},
		{"Tue Nov 24 13:05:10 2026 | hello", true},
		{"[13:05:07] hello", true},
		{"01:05:09 PM hello", true},
		{"hello 13:05:12", false},
		{"hello 12:05:09", false},
		{"hello 1305", false},
		{"hello 23:59:59", false},
	}
	for _, c := range cases {
		if got := timeNear(c.text, 2, now); got != c.want {
			t.Errorf("timeNear(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	midnight := time.Date(2026, 11, 24, 0, 0, 1, 0, time.Local)
	if !timeNear("23:59:59", 2, midnight) {
		t.Error("midnight does not wrap")
	}
}
