package demo

import (
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// firstWeek is the ISO week of a holiday's first Monday.
func firstWeek(h Holiday) int {
	_, wk := h.From.AddDate(0, 0, 2).ISOWeek()
	return wk
}

func TestRegionHolidays(t *testing.T) {
	for _, year := range []int{2024, 2025, 2026, 2027} {
		summers := map[int]Region{}
		for _, r := range Regions {
			hs := r.Holidays(year)
			if len(hs) != 5 {
				t.Fatalf("%s %d: %d holidays, want 5", r, year, len(hs))
			}
			for i, h := range hs {
				if h.Name != Holidays(year)[i].Name {
					t.Errorf("%s %d: holiday %d is %q", r, year, i, h.Name)
				}
				if h.From.Weekday() != time.Saturday || h.To.Weekday() != time.Sunday {
					t.Errorf("%s %d %s: %v to %v", r, year, h.Name, h.From, h.To)
				}
				if i > 0 && !hs[i-1].To.Before(h.From) {
					t.Errorf("%s %d %s overlaps the one before", r, year, h.Name)
				}
			}
			wantAutumn := map[Region]int{RegionNorth: 43, RegionMiddle: 43, RegionSouth: 42}[r]
			if wk := firstWeek(hs[0]); wk != wantAutumn {
				t.Errorf("%s %d: autumn in week %d, want %d", r, year, wk, wantAutumn)
			}
			summer := hs[4]
			if days := summer.To.Sub(summer.From).Hours() / 24; days < 43 || days > 44 {
				t.Errorf("%s %d: summer lasts %v days", r, year, days)
			}
			if wk := firstWeek(summer); wk < 28 || wk > 30 {
				t.Errorf("%s %d: summer from week %d, want 28 to 30", r, year, wk)
			} else if other, ok := summers[wk]; ok {
				t.Errorf("%d: %s and %s start the summer in one week %d", year, other, r, wk)
			}
			summers[firstWeek(summer)] = r
			// Christmas and May are the same everywhere.
			for _, i := range []int{1, 3} {
				if !hs[i].From.Equal(Holidays(year)[i].From) {
					t.Errorf("%s %d: %s differs from the demo's", r, year, hs[i].Name)
				}
			}
		}
	}
}

func TestRegionSchoolDays(t *testing.T) {
	for _, r := range Regions {
		for _, year := range []int{2025, 2026} {
			days := r.SchoolDays(year)
			if len(days) < 185 || len(days) > 215 {
				t.Errorf("%s %d: %d school days", r, year, len(days))
			}
			free := append(r.Holidays(year-1), r.Holidays(year)...)
			for _, d := range days {
				if h := inHoliday(d, free); h != "" {
					t.Errorf("%s %d: school day %s in the %s", r, year, school.FormatDate(d), h)
				}
			}
		}
	}
}
