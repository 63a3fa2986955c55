package world

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
)

// calendar reads the school years, the lesson hours, the holidays and the
// switches.
func (s *schoolBuilder) calendar() {
	s.yearList()
	s.hourList()
	s.holidayList()
	s.switchList()
}

// yearList reads the years; a school that lists none gets the one around
// today. A year given by name alone ("2024/2025") runs from 1 August to 31
// July.
func (s *schoolBuilder) yearList() {
	s.years = map[string]school.SchoolYear{}
	docs := s.doc.Years
	if len(docs) == 0 {
		docs = []yearDoc{{Name: yearName(yearStart(s.b.today))}}
	}
	var list []school.SchoolYear
	for i, yd := range docs {
		p := fmt.Sprintf("%s.years[%d]", s.path, i)
		y, ok := s.year(yd, p)
		if !ok {
			continue
		}
		if _, dup := s.years[y.Name]; dup {
			s.errf(p+".name", "year %q is given twice", y.Name)
			continue
		}
		for _, o := range list {
			if !y.From.After(o.To) && !o.From.After(y.To) {
				s.errf(p, "year %s overlaps year %s", y.Name, o.Name)
			}
		}
		y.ID, _ = s.b.entity(kindYear, p, yd.ID, "", "", s.key, y.Name)
		y.SchoolID = s.s.ID
		s.years[y.Name] = y
		list = append(list, y)
		s.b.w.Years = append(s.b.w.Years, y)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].From.Before(list[j].From) })
	for _, y := range list {
		s.cur = y
		if y.Current(s.b.today) {
			break
		}
	}
}

func yearName(start int) string { return fmt.Sprintf("%d/%d", start, start+1) }

func (s *schoolBuilder) year(yd yearDoc, p string) (school.SchoolYear, bool) {
	y := school.SchoolYear{Name: yd.Name}
	var start int
	if yd.Name != "" {
		var end int
		if n, _ := fmt.Sscanf(yd.Name, "%d/%d", &start, &end); n != 2 || end != start+1 {
			start = 0
		}
	}
	ok := true
	switch {
	case yd.From != "":
		y.From, ok = s.b.date(p+".from", yd.From)
	case start > 0:
		y.From = school.Date(start, time.August, 1)
	default:
		s.errf(p+".from", "required unless the name is a year such as 2024/2025")
		return y, false
	}
	if !ok {
		return y, false
	}
	if y.Name == "" {
		y.Name = yearName(yearStart(y.From))
	}
	if yd.To == "" {
		y.To = school.Date(yearStart(y.From)+1, time.July, 31)
	} else if y.To, ok = s.b.date(p+".to", yd.To); !ok {
		return y, false
	}
	if y.To.Before(y.From) {
		s.errf(p+".to", "the year ends (%s) before it starts (%s)",
			school.FormatDate(y.To), school.FormatDate(y.From))
		return y, false
	}
	return y, true
}

// hourList reads the lesson hours; a school that lists none gets the demo
// schools' eight hours from 08:30.
func (s *schoolBuilder) hourList() {
	spans := s.doc.LessonHours
	if spans == nil {
		for _, h := range demo.LessonHours {
			spans = append(spans, h.Begin.String()+"-"+h.End.String())
		}
	}
	for i, span := range spans {
		p := fmt.Sprintf("%s.lessonHours[%d]", s.path, i)
		from, to, err := parseSpan(span)
		if err != nil {
			s.errf(p, "%v", err)
			from, to = clock{}, clock{}
		} else if i > 0 && from.before(s.clocks[i-1][1]) {
			s.errf(p, "hour %d begins before hour %d ends", i+1, i)
		}
		s.clocks = append(s.clocks, [2]clock{from, to})
		s.hours = append(s.hours, school.LessonHour{SchoolID: s.s.ID, Number: i + 1,
			Begin: from.String(), End: to.String()})
	}
	s.b.w.LessonHours = append(s.b.w.LessonHours, s.hours...)
}

// holidayList reads the holidays; a school that lists none gets the usual
// Dutch holidays of each of its years (demo.Holidays), and the summer
// holiday before its first year. "holidays: []" means none at all.
func (s *schoolBuilder) holidayList() {
	if s.doc.Holidays == nil {
		s.defaultHolidays()
		return
	}
	for i, hd := range s.doc.Holidays {
		p := fmt.Sprintf("%s.holidays[%d]", s.path, i)
		if hd.Name == "" {
			s.errf(p+".name", "required")
		}
		from, ok1 := s.b.date(p+".from", hd.From)
		to := from
		ok2 := true
		if hd.To != "" {
			to, ok2 = s.b.date(p+".to", hd.To)
		}
		if !ok1 || !ok2 {
			continue
		}
		if to.Before(from) {
			s.errf(p+".to", "the holiday ends (%s) before it starts (%s)",
				school.FormatDate(to), school.FormatDate(from))
			continue
		}
		s.addHoliday(p, hd.ID, hd.Name, from, to)
	}
}

func (s *schoolBuilder) defaultHolidays() {
	var starts []int
	for _, y := range s.years {
		starts = append(starts, y.From.Year())
	}
	slices.Sort(starts)
	seen := map[string]bool{}
	for i, start := range starts {
		hs := demo.Holidays(start)
		if i == 0 {
			prev := demo.Holidays(start - 1)
			hs = append([]demo.Holiday{prev[len(prev)-1]}, hs...)
		}
		for _, h := range hs {
			k := h.Name + school.FormatDate(h.From)
			if seen[k] {
				continue
			}
			seen[k] = true
			s.addHoliday(s.path+".holidays", 0, h.Name, h.From, h.To)
		}
	}
}

func (s *schoolBuilder) addHoliday(p string, id int64, name string, from, to time.Time) {
	hid, _ := s.b.entity(kindHoliday, p, id, "", "", s.key, name, school.FormatDate(from))
	h := school.Holiday{ID: hid, SchoolID: s.s.ID, Name: name, From: from, To: to}
	s.holidays = append(s.holidays, h)
	s.b.w.Holidays = append(s.b.w.Holidays, h)
}

// holiday reports whether d lies in one of the school's holidays.
func (s *schoolBuilder) holiday(d time.Time) bool {
	for _, h := range s.holidays {
		if !d.Before(h.From) && !d.After(h.To) {
			return true
		}
	}
	return false
}

func (s *schoolBuilder) switchList() {
	known := map[string]bool{}
	for _, n := range school.SwitchNames {
		known[n.Name] = true
	}
	names := make([]string, 0, len(s.doc.Switches))
	for n := range s.doc.Switches {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if !known[n] {
			s.errf(s.path+".switches."+n, "no switch %q (docs/world-files.md lists them)", n)
			continue
		}
		s.b.w.Switches = append(s.b.w.Switches,
			school.Switch{SchoolID: s.s.ID, Name: n, On: s.doc.Switches[n]})
	}
}
