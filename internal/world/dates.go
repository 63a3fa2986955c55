package world

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// weekdays by every name the format takes: English, short English and
// Dutch. The value counts from Monday (0), as the timetable does.
var weekdays = map[string]int{
	"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
	"saturday": 5, "sunday": 6,
	"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
	"maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4,
	"zaterdag": 5, "zondag": 6,
}

// weekday counts from Monday (0).
func weekday(d time.Time) int {
	return (int(d.Weekday()) + 6) % 7
}

// mondayOf is the Monday of d's ISO week.
func mondayOf(d time.Time) time.Time {
	return d.AddDate(0, 0, -weekday(d))
}

// parseDate reads a date: "2025-03-04", or one relative to the load's
// today: "today", "today+3d", "today-2w", or a weekday of this week with
// an offset in weeks or days: "tuesday", "friday+1w".
func parseDate(s string, today time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("want a date")
	}
	if s[0] >= '0' && s[0] <= '9' {
		t, err := time.ParseInLocation("2006-01-02", s, school.Amsterdam)
		if err != nil {
			return time.Time{}, fmt.Errorf("want a date such as 2025-03-04, got %q", s)
		}
		return t, nil
	}
	anchor, offset := s, ""
	if i := strings.IndexAny(s, "+-"); i >= 0 {
		anchor, offset = s[:i], s[i:]
	}
	var base time.Time
	switch wd, ok := weekdays[strings.ToLower(anchor)]; {
	case strings.EqualFold(anchor, "today"):
		base = today
	case ok:
		base = mondayOf(today).AddDate(0, 0, wd)
	default:
		return time.Time{}, fmt.Errorf("want a date such as 2025-03-04, today+3d or "+
			"monday+1w, got %q", s)
	}
	if offset == "" {
		return base, nil
	}
	unit := offset[len(offset)-1]
	n, err := strconv.Atoi(offset[:len(offset)-1])
	if err != nil || (unit != 'd' && unit != 'w') || n < -3660 || n > 3660 {
		return time.Time{}, fmt.Errorf("want an offset such as +3d or -2w after %s, got %q",
			anchor, offset)
	}
	if unit == 'w' {
		n *= 7
	}
	return base.AddDate(0, 0, n), nil
}

// parseDateTime reads a date with an optional local time ("2025-03-04
// 10:15", "today-1d 09:00", or the same with a T); a date alone is
// dflt after local midnight.
func parseDateTime(s string, today time.Time, dflt clock) (time.Time, bool, error) {
	s = strings.TrimSpace(s)
	date, tod, hasTime := s, "", false
	if i := strings.LastIndexAny(s, " T"); i > 0 && strings.Contains(s[i:], ":") {
		date, tod, hasTime = s[:i], s[i+1:], true
	}
	d, err := parseDate(date, today)
	if err != nil {
		return time.Time{}, false, err
	}
	c := dflt
	if hasTime {
		if c, err = parseClock(tod); err != nil {
			return time.Time{}, false, err
		}
	}
	return c.on(d), hasTime, nil
}

// clock is a local time of day.
type clock struct{ h, m int }

func parseClock(s string) (clock, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return clock{}, fmt.Errorf("want a time such as 08:30, got %q", s)
	}
	return clock{t.Hour(), t.Minute()}, nil
}

// parseSpan reads "08:30-09:20".
func parseSpan(s string) (clock, clock, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return clock{}, clock{}, fmt.Errorf("want a time span such as 08:30-09:20, got %q", s)
	}
	from, err := parseClock(a)
	if err != nil {
		return clock{}, clock{}, err
	}
	to, err := parseClock(b)
	if err != nil {
		return clock{}, clock{}, err
	}
	if !from.before(to) {
		return clock{}, clock{}, fmt.Errorf("%s ends before it begins", s)
	}
	return from, to, nil
}

func (c clock) before(o clock) bool { return c.h*60+c.m < o.h*60+o.m }

// on is the instant of the clock on the local date of day, built from the
// local clock so that it is right on either side of a DST change.
func (c clock) on(day time.Time) time.Time {
	y, m, d := day.In(school.Amsterdam).Date()
	return time.Date(y, m, d, c.h, c.m, 0, 0, school.Amsterdam)
}

func (c clock) String() string { return fmt.Sprintf("%02d:%02d", c.h, c.m) }

// yearStart is the calendar year in which the school year around d starts:
// school years run from 1 August to 31 July.
func yearStart(d time.Time) int {
	y, m, _ := d.In(school.Amsterdam).Date()
	if m < time.August {
		return y - 1
	}
	return y
}

// periodOf is the grade period of a date in a school year: four periods
// that change on 15 November, 1 February and 16 April, the boundaries the
// REST API's CIJFERPERIODE uses too.
//
// TODO: a world file cannot give a school its own period dates; only a
// test's period can be set by hand.
func periodOf(d time.Time, y school.SchoolYear) int {
	start := y.From.Year()
	p := 1
	for _, b := range []time.Time{school.Date(start, time.November, 15),
		school.Date(start+1, time.February, 1), school.Date(start+1, time.April, 16)} {
		if !d.Before(b) {
			p++
		}
	}
	return p
}
