package world

import (
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

func TestParseDate(t *testing.T) {
	today := school.Date(2025, time.March, 5) // a Wednesday
	tests := []struct {
		in, want string // want "" for an error
	}{
		{"2025-03-04", "2025-03-04"},
		{"today", "2025-03-05"},
		{"today+3d", "2025-03-08"},
		{"today-2w", "2025-02-19"},
		{"Today+1d", "2025-03-06"},
		{"monday", "2025-03-03"},
		{"friday+1w", "2025-03-14"},
		{"sunday-1w", "2025-03-02"},
		{"maandag+2d", "2025-03-05"},
		{"tue", "2025-03-04"},
		{"2025-02-30", ""},
		{"today+3", ""},
		{"today+3x", ""},
		{"yesterday", ""},
		{"", ""},
	}
	for _, tc := range tests {
		got, err := parseDate(tc.in, today)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("parseDate(%q) = %s, want an error", tc.in, school.FormatDate(got))
		case tc.want != "" && (err != nil || school.FormatDate(got) != tc.want):
			t.Errorf("parseDate(%q) = %s, %v; want %s", tc.in, school.FormatDate(got), err, tc.want)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	today := school.Date(2025, time.March, 5)
	for in, want := range map[string]string{
		"2025-03-04 10:15": "2025-03-04T10:15:00+01:00",
		"2025-03-04T10:15": "2025-03-04T10:15:00+01:00",
		"today-1d 09:00":   "2025-03-04T09:00:00+01:00",
		"2025-03-04":       "2025-03-04T16:00:00+01:00",
		"2025-03-31 08:30": "2025-03-31T08:30:00+02:00", // after the change to summer time
		"tuesday":          "2025-03-04T16:00:00+01:00",
	} {
		got, _, err := parseDateTime(in, today, clock{16, 0})
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("parseDateTime(%q) = %s, %v; want %s", in, got.Format(time.RFC3339), err, want)
		}
	}
}

func TestSplitName(t *testing.T) {
	for in, want := range map[string]nameDoc{
		"Emma de Jong":          {First: "Emma", Prefix: "de", Last: "Jong"},
		"Jan van der Berg":      {First: "Jan", Prefix: "van der", Last: "Berg"},
		"Anna Maria Visser":     {First: "Anna", Last: "Maria Visser"},
		"Kees van":              {First: "Kees", Last: "van"},
		"Madonna":               {First: "Madonna"},
		"  Piet   ter  Horst  ": {First: "Piet", Prefix: "ter", Last: "Horst"},
	} {
		if got := splitName(in); got != want {
			t.Errorf("splitName(%q) = %+v, want %+v", in, got, want)
		}
	}
}
