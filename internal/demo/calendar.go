package demo

import (
	"fmt"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Clock is a local time of day in Europe/Amsterdam.
type Clock struct {
	Hour, Minute int
}

// String writes the clock as the lestijden endpoint does: "08:30".
func (c Clock) String() string {
	return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute)
}

// LessonHour is one lesuur of the daily grid.
type LessonHour struct {
	Number     int // nummer, 1 for the first hour
	Begin, End Clock
}

// On returns the instants the hour begins and ends on the local date of
// day. Both are built from the local clock, not by adding a duration to
// midnight, so they are right on either side of a DST change.
func (h LessonHour) On(day time.Time) (begin, end time.Time) {
	y, m, d := day.In(school.Amsterdam).Date()
	begin = time.Date(y, m, d, h.Begin.Hour, h.Begin.Minute, 0, 0, school.Amsterdam)
	end = time.Date(y, m, d, h.End.Hour, h.End.Minute, 0, 0, school.Amsterdam)
	return begin, end
}

// LessonHours is the daily grid of every demo school: eight hours of fifty
// minutes from 08:30, a short break after the second hour and a longer one
// after the fourth.
var LessonHours = []LessonHour{
	{1, Clock{8, 30}, Clock{9, 20}},
	{2, Clock{9, 20}, Clock{10, 10}},
	{3, Clock{10, 25}, Clock{11, 15}},
	{4, Clock{11, 15}, Clock{12, 5}},
	{5, Clock{12, 35}, Clock{13, 25}},
	{6, Clock{13, 25}, Clock{14, 15}},
	{7, Clock{14, 15}, Clock{15, 5}},
	{8, Clock{15, 5}, Clock{15, 55}},
}

// Holiday is a school holiday (vakantie); From and To are inclusive local
// dates at midnight.
type Holiday struct {
	Name     string // naam, e.g. "Herfstvakantie"
	From, To time.Time
}

// YearOf is the calendar year in which the school year around t starts: a
// school year runs from 1 August to 31 July.
func YearOf(t time.Time) int {
	y, m, _ := t.In(school.Amsterdam).Date()
	if m < time.August {
		return y - 1
	}
	return y
}

// Holidays lists the holidays of the school year that starts in August of
// year, in date order, ending with the summer holiday that closes it (and
// runs into the next school year). The dates follow the usual Dutch
// pattern of one region, computed rather than tabled so that any year
// works: autumn in ISO week 43, two weeks over Christmas and New Year,
// spring in week 8, the week of King's Day, and six weeks of summer from
// week 29. The demo world keeps to this one calendar; seeded worlds use
// their school's Region.
func Holidays(year int) []Holiday {
	return holidays(year, holidayWeeks{autumn: 43, spring: 8, summer: 29})
}

// holidayWeeks are the ISO weeks in which the autumn and spring holidays
// of a school year fall, and the week whose Monday is the first one of its
// summer holiday.
type holidayWeeks struct {
	autumn, spring, summer int
}

func holidays(year int, w holidayWeeks) []Holiday {
	christmasEnd := school.Date(year+1, time.January, 1)
	for christmasEnd.Weekday() != time.Sunday {
		christmasEnd = christmasEnd.AddDate(0, 0, 1)
	}
	may := mondayOf(school.Date(year+1, time.April, 27))
	summer := isoWeekMonday(year+1, w.summer)
	return []Holiday{
		weekHoliday("Herfstvakantie", isoWeekMonday(year, w.autumn)),
		{"Kerstvakantie", christmasEnd.AddDate(0, 0, -15), christmasEnd},
		weekHoliday("Voorjaarsvakantie", isoWeekMonday(year+1, w.spring)),
		weekHoliday("Meivakantie", may),
		{"Zomervakantie", summer.AddDate(0, 0, -2), summer.AddDate(0, 0, 6*7-1)},
	}
}

// Region is a holiday region of the Netherlands (noord, midden, zuid): the
// regions take their autumn, spring and summer holidays in different
// weeks. Christmas and the May holiday are the same everywhere.
type Region string

// The three regions.
const (
	RegionNorth  Region = "noord"
	RegionMiddle Region = "midden"
	RegionSouth  Region = "zuid"
)

// Regions are the regions in a fixed order.
var Regions = []Region{RegionNorth, RegionMiddle, RegionSouth}

// weeks are the region's holiday weeks of the school year from August of
// year, after the usual pattern rather than a table: the south has its
// autumn week a week early and its spring week (carnival) a week late, the
// middle its spring week late too; the summer starts in week 28, 29 or 30,
// the regions taking turns over three years.
func (r Region) weeks(year int) holidayWeeks {
	w := holidayWeeks{autumn: 43, spring: 8}
	turn := 0
	switch r {
	case RegionMiddle:
		w.spring, turn = 9, 1
	case RegionSouth:
		w.autumn, w.spring, turn = 42, 9, 2
	}
	w.summer = 28 + (year+1+turn)%3
	return w
}

// Holidays lists the region's holidays of the school year that starts in
// August of year, as Holidays does for the demo's calendar.
func (r Region) Holidays(year int) []Holiday {
	return holidays(year, r.weeks(year))
}

// SchoolDays lists the region's school days of the school year that starts
// in August of year, as SchoolDays does for the demo's calendar.
func (r Region) SchoolDays(year int) []time.Time {
	return schoolDays(year, r.Holidays)
}

// weekHoliday runs from the Saturday before monday to the Sunday after.
func weekHoliday(name string, monday time.Time) Holiday {
	return Holiday{name, monday.AddDate(0, 0, -2), monday.AddDate(0, 0, 6)}
}

// isoWeekMonday is the Monday of ISO week w of year y. 4 January is always
// in week 1.
func isoWeekMonday(y, w int) time.Time {
	return mondayOf(school.Date(y, time.January, 4)).AddDate(0, 0, (w-1)*7)
}

func mondayOf(d time.Time) time.Time {
	back := (int(d.Weekday()) + 6) % 7
	return d.AddDate(0, 0, -back)
}

// publicHolidays are the free days outside the holidays that fall on a
// weekday in spring: Easter Monday, Ascension Day and the Friday after it,
// and Whit Monday. King's Day lies in the May holiday by construction.
func publicHolidays(year int) []time.Time {
	easter := easterSunday(year + 1)
	return []time.Time{
		easter.AddDate(0, 0, 1),
		easter.AddDate(0, 0, 39),
		easter.AddDate(0, 0, 40),
		easter.AddDate(0, 0, 50),
	}
}

// easterSunday is the anonymous Gregorian computus.
func easterSunday(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return school.Date(y, time.Month(month), day)
}

// SchoolDays lists the local dates of the school year starting in August
// of year on which there are lessons: Monday to Friday, outside the
// holidays of this year and the summer holiday of the year before, and not
// on a public holiday.
func SchoolDays(year int) []time.Time {
	return schoolDays(year, Holidays)
}

// schoolDays is SchoolDays with the holidays of a calendar.
func schoolDays(year int, holidaysOf func(year int) []Holiday) []time.Time {
	var free []Holiday
	free = append(free, holidaysOf(year-1)...)
	free = append(free, holidaysOf(year)...)
	for _, d := range publicHolidays(year) {
		free = append(free, Holiday{"", d, d})
	}
	var days []time.Time
	end := school.Date(year+1, time.July, 31)
	for d := school.Date(year, time.August, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || inAny(d, free) {
			continue
		}
		days = append(days, d)
	}
	return days
}

func inAny(d time.Time, hs []Holiday) bool {
	for _, h := range hs {
		if !d.Before(h.From) && !d.After(h.To) {
			return true
		}
	}
	return false
}
