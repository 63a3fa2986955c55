package school

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the binary must know Europe/Amsterdam on any machine
)

// Amsterdam is the time zone of every school and every timestamp on the wire.
var Amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("load zone %s: %v", name, err))
	}
	return loc
}

// DateOf is the local (Amsterdam) date of t, at local midnight.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(Amsterdam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Amsterdam)
}

// Date builds a local date at midnight.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, Amsterdam)
}

// ErrBadDate is returned by ParseDate for anything that is not a date.
var ErrBadDate = errors.New("not a date")

// ParseDate reads a yyyy-MM-dd date, leniently: months and days need not be
// padded ("2024-3-4"), surrounding spaces are ignored, and a time part
// after a 'T' is dropped ("2024-03-04T10:00:00.000"). Impossible dates such
// as 2024-13-01 or 2023-02-29 are an error.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, 'T'); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return time.Time{}, fmt.Errorf("%q: %w", s, ErrBadDate)
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || len(p) > 4 || (i > 0 && len(p) > 2) {
			return time.Time{}, fmt.Errorf("%q: %w", s, ErrBadDate)
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p[0] == '+' {
			return time.Time{}, fmt.Errorf("%q: %w", s, ErrBadDate)
		}
		n[i] = v
	}
	t := Date(n[0], time.Month(n[1]), n[2])
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
		return time.Time{}, fmt.Errorf("%q: %w", s, ErrBadDate)
	}
	return t, nil
}

// FormatDate writes t's local date as yyyy-MM-dd.
func FormatDate(t time.Time) string {
	return t.In(Amsterdam).Format("2006-01-02")
}

// FormatTimestamp writes the classic timestamp form: local time with
// milliseconds and the offset that holds at that instant, e.g.
// 2024-03-04T10:15:00.000+01:00.
func FormatTimestamp(t time.Time) string {
	return t.In(Amsterdam).Format("2006-01-02T15:04:05.000-07:00")
}

// AppendTimestamp is FormatTimestamp appending to b, for hot paths.
func AppendTimestamp(b []byte, t time.Time) []byte {
	return t.In(Amsterdam).AppendFormat(b, "2006-01-02T15:04:05.000-07:00")
}
