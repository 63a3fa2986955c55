package school

import (
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{"2024-03-04", "2024-03-04"},
		{"2024-3-4", "2024-03-04"},
		{" 2022-1-5 ", "2022-01-05"},
		{"2024-03-04T10:15:00.000", "2024-03-04"},
		{"2024-02-29", "2024-02-29"},
		{"2023-02-29", ""},
		{"2024-13-01", ""},
		{"2024-00-10", ""},
		{"2024-01-32", ""},
		{"24-01-01", ""},
		{"2024/01/01", ""},
		{"2024-01", ""},
		{"abcd-01-01", ""},
		{"2024-+1-01", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if tc.want == "" {
				if !errors.Is(err, ErrBadDate) {
					t.Fatalf("ParseDate(%q) = %v, %v; want ErrBadDate", tc.in, got, err)
				}
				return
			}
			if err != nil || FormatDate(got) != tc.want || got.Location() != Amsterdam {
				t.Fatalf("ParseDate(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestFormatTimestamp(t *testing.T) {
	tests := []struct{ utc, want string }{
		{"2018-10-31T16:32:15.218Z", "2018-10-31T17:32:15.218+01:00"},
		{"2019-09-10T11:41:11.805Z", "2019-09-10T13:41:11.805+02:00"},
		{"2024-03-31T00:59:59.999Z", "2024-03-31T01:59:59.999+01:00"},
		{"2024-03-31T01:00:00Z", "2024-03-31T03:00:00.000+02:00"},
	}
	for _, tc := range tests {
		in, err := time.Parse(time.RFC3339Nano, tc.utc)
		if err != nil {
			t.Fatal(err)
		}
		got := FormatTimestamp(in)
		if got != tc.want {
			t.Errorf("FormatTimestamp(%s) = %s, want %s", tc.utc, got, tc.want)
		}
		if _, err := time.Parse(time.RFC3339, got); err != nil {
			t.Errorf("%s is not RFC 3339: %v", got, err)
		}
	}
}

func TestAverage(t *testing.T) {
	g := func(tenths, weight int) Grade {
		return Grade{Tenths: tenths, Current: tenths, HasValue: true, Weight: weight}
	}
	notCounting := g(10, 5)
	notCounting.NotCounting = true
	notMade := Grade{Weight: 3, NotMade: true}
	resit := g(90, 2)
	resit.ResitNumber = 1
	improved := g(40, 2)
	improved.Current = 90 // first attempt, after a better re-sit
	label := Grade{Label: "V", Weight: 1}
	tests := []struct {
		name   string
		grades []Grade
		want   int
		ok     bool
	}{
		{"none", nil, 0, false},
		{"one", []Grade{g(78, 1)}, 78, true},
		{"weighted", []Grade{g(60, 1), g(80, 3)}, 75, true},
		// (65*1 + 70*1) / 2 = 67.5 tenths -> half up to 68
		{"half up", []Grade{g(65, 1), g(70, 1)}, 68, true},
		// (64+65+65)/3 = 64.666.. -> 65; float64 would agree, but exactness matters
		// at .x5 boundaries: (55*1 + 60*2)/3 = 58.333 -> 58
		{"thirds", []Grade{g(55, 1), g(60, 2)}, 58, true},
		{"weight zero left out", []Grade{g(80, 1), g(10, 0)}, 80, true},
		{"not counting left out", []Grade{g(80, 1), notCounting}, 80, true},
		{"not made left out", []Grade{g(80, 1), notMade}, 80, true},
		{"label left out", []Grade{g(80, 1), label}, 80, true},
		{"resit uses current", []Grade{improved, resit, g(60, 2)}, 75, true},
		{"only not counting", []Grade{notCounting}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Average(tc.grades)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("Average = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestFormatTenths(t *testing.T) {
	for tenths, want := range map[int]string{0: "0.0", 7: "0.7", 79: "7.9", 100: "10.0"} {
		if got := FormatTenths(tenths); got != want {
			t.Errorf("FormatTenths(%d) = %q, want %q", tenths, got, want)
		}
	}
	if got := string(AppendTenths(nil, 81, ',')); got != "8,1" {
		t.Errorf("comma form = %q", got)
	}
}
