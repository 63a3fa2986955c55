package world

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// maxSpanDays bounds the date range of one timetable slot: three school
// years, so that a typo in a year cannot make millions of lessons.
const maxSpanDays = 3 * 366

// when is the place of a lesson in time.
type when struct {
	start, end         time.Time
	beginHour, endHour int
}

// at reads hour, endHour and time on a date: a lesson takes lesson hours
// or a time span, not both.
func (s *schoolBuilder) at(p string, day time.Time, hour, endHour int, span string) (when, bool) {
	switch {
	case span != "" && (hour != 0 || endHour != 0):
		s.errf(p+".time", "give hour or time, not both")
		return when{}, false
	case span != "":
		from, to, err := parseSpan(span)
		if err != nil {
			s.errf(p+".time", "%v", err)
			return when{}, false
		}
		return when{start: from.on(day), end: to.on(day)}, true
	case hour == 0:
		s.errf(p+".hour", "required (or time)")
		return when{}, false
	}
	if endHour == 0 {
		endHour = hour
	}
	if hour < 1 || hour > len(s.clocks) {
		s.errf(p+".hour", "no lesson hour %d: the school has hours 1 to %d", hour, len(s.clocks))
		return when{}, false
	}
	if endHour < hour || endHour > len(s.clocks) {
		s.errf(p+".endHour", "want %d to %d, got %d", hour, len(s.clocks), endHour)
		return when{}, false
	}
	return when{start: s.clocks[hour-1][0].on(day), end: s.clocks[endHour-1][1].on(day),
		beginHour: hour, endHour: endHour}, true
}

// lessonSpec is what a slot or a single lesson says of a lesson besides
// its time.
type lessonSpec struct {
	group    *groupInfo
	subject  school.ID
	staff    []school.ID
	room     string
	kind     string
	title    string
	ownTitle bool
}

// spec reads the group, subject, teachers and the rest of a lesson.
func (s *schoolBuilder) spec(p, group, subject string, teacher strList, room, kind,
	title string) (lessonSpec, bool) {
	gi, ok := s.groupRef(p+".group", group)
	if !ok {
		return lessonSpec{}, false
	}
	ls := lessonSpec{group: gi, subject: gi.g.SubjectID, room: room, kind: kind,
		title: title, ownTitle: title != ""}
	if subject != "" {
		sub, found := s.subjects[subject]
		switch {
		case !gi.class:
			s.errf(p+".subject", "the lesson group's subject is its own; leave subject out")
		case !found:
			s.errf(p+".subject", "no subject %q", subject)
		}
		ls.subject = sub.ID
	}
	ls.staff = s.staffRefs(p+".teacher", teacher)
	if ls.kind == "" {
		ls.kind = "Les"
	}
	return ls, true
}

func (s *schoolBuilder) timetable() {
	s.byDay = map[string][]int{}
	s.titled = map[school.ID]bool{}
	s.groupNames, s.abbrevs = map[school.ID]string{}, map[school.ID]string{}
	for _, gi := range s.order {
		s.groupNames[gi.g.ID] = gi.g.Name
	}
	for _, se := range s.staffOrder {
		s.abbrevs[se.id] = se.doc.Abbrev
	}
	starts := map[string]string{} // group + start -> path of its lesson
	for i, sd := range s.doc.Timetable {
		p := fmt.Sprintf("%s.timetable[%d]", s.path, i)
		s.slot(p, sd, starts)
	}
	for i, ld := range s.doc.Lessons {
		p := fmt.Sprintf("%s.lessons[%d]", s.path, i)
		ls, ok := s.spec(p, ld.Group, ld.Subject, ld.Teacher, ld.Room, ld.Kind, ld.Title)
		day, ok2 := s.b.date(p+".date", ld.Date)
		if !ok || !ok2 {
			continue
		}
		wn, ok := s.at(p, day, ld.Hour, ld.EndHour, ld.Time)
		if !ok {
			continue
		}
		status := school.StatusActive
		if ld.Cancelled {
			status = school.StatusCancelled
		}
		s.addLesson(p, ls, wn, status, starts)
	}
	s.changes()
	sort.SliceStable(s.lessons, func(i, j int) bool {
		return s.lessons[i].Start.Before(s.lessons[j].Start)
	})
	s.byDay = map[string][]int{}
	for i, l := range s.lessons {
		k := s.dayKey(l.GroupID, l.Start)
		s.byDay[k] = append(s.byDay[k], i)
	}
}

// slot repeats one weekly lesson over its date range: every week, or odd
// or even ISO weeks, skipping holidays.
func (s *schoolBuilder) slot(p string, sd slotDoc, starts map[string]string) {
	ls, ok := s.spec(p, sd.Group, sd.Subject, sd.Teacher, sd.Room, sd.Kind, sd.Title)
	wd, okDay := weekdays[strings.ToLower(sd.Day)]
	if !okDay {
		s.errf(p+".day", "want a weekday such as monday, got %q", sd.Day)
	}
	parity := -1
	switch strings.ToLower(sd.Weeks) {
	case "", "all":
	case "odd":
		parity = 1
	case "even":
		parity = 0
	default:
		s.errf(p+".weeks", "want all, odd or even, got %q", sd.Weeks)
	}
	if !ok || !okDay {
		return
	}
	from, to := ls.group.year.From, ls.group.year.To
	if sd.From != "" {
		if from, ok = s.b.date(p+".from", sd.From); !ok {
			return
		}
	}
	if sd.To != "" {
		if to, ok = s.b.date(p+".to", sd.To); !ok {
			return
		}
	}
	if to.Before(from) {
		s.errf(p+".to", "the range ends (%s) before it starts (%s)",
			school.FormatDate(to), school.FormatDate(from))
		return
	}
	if to.Sub(from) > maxSpanDays*24*time.Hour {
		s.errf(p+".to", "a range of more than three years; give one slot per year")
		return
	}
	if _, ok := s.at(p, from, sd.Hour, sd.EndHour, sd.Time); !ok {
		return
	}
	for d := from.AddDate(0, 0, (wd-weekday(from)+7)%7); !d.After(to); d = d.AddDate(0, 0, 7) {
		if _, week := d.ISOWeek(); (parity >= 0 && week%2 != parity) || s.holiday(d) {
			continue
		}
		wn, _ := s.at(p, d, sd.Hour, sd.EndHour, sd.Time)
		if !s.addLesson(p, ls, wn, school.StatusActive, starts) {
			return // one report a slot is enough
		}
	}
}

// addLesson adds one lesson; a second lesson of the same group at the same
// start is a problem, which also gives every lesson a key of its own.
func (s *schoolBuilder) addLesson(p string, ls lessonSpec, wn when, status school.LessonStatus,
	starts map[string]string) bool {
	g := ls.group.g
	start := wn.start.Format("2006-01-02 15:04")
	k := g.Name + "\x00" + start
	if other, taken := starts[k]; taken {
		s.errf(p, "group %q already has a lesson at %s (%s)", g.Name, start, other)
		return false
	}
	starts[k] = p
	id, _ := s.b.entity(kindLesson, p, 0, "", "", s.key, g.Name, start)
	l := school.Lesson{ID: id, SchoolID: s.s.ID, BranchID: s.branch.ID, GroupID: g.ID,
		SubjectID: ls.subject, StaffIDs: ls.staff, Start: wn.start, End: wn.end,
		BeginHour: wn.beginHour, EndHour: wn.endHour, Location: ls.room, Kind: ls.kind,
		Title: ls.title, Status: status}
	if ls.ownTitle {
		s.titled[id] = true
	} else {
		l.Title = s.title(l)
	}
	k = s.dayKey(g.ID, wn.start)
	s.byDay[k] = append(s.byDay[k], len(s.lessons))
	s.lessons = append(s.lessons, l)
	return true
}

// title is the lesson's title as the real service writes it: room, group
// and teachers' abbreviations, joined by " - ".
func (s *schoolBuilder) title(l school.Lesson) string {
	var parts []string
	if l.Location != "" {
		parts = append(parts, l.Location)
	}
	parts = append(parts, s.groupNames[l.GroupID])
	var abbrevs []string
	for _, id := range l.StaffIDs {
		abbrevs = append(abbrevs, s.abbrevs[id])
	}
	if len(abbrevs) > 0 {
		parts = append(parts, strings.Join(abbrevs, ","))
	}
	return strings.Join(parts, " - ")
}

func (s *schoolBuilder) dayKey(group school.ID, t time.Time) string {
	return fmt.Sprintf("%d|%s", group, school.FormatDate(t))
}

// lessonAt finds the one lesson of a group on a date, at hour when hour is
// not zero.
func (s *schoolBuilder) lessonAt(p string, gi *groupInfo, day time.Time, hour int) (int, bool) {
	var found []int
	for _, i := range s.byDay[s.dayKey(gi.g.ID, day)] {
		if hour == 0 || s.lessons[i].BeginHour == hour {
			found = append(found, i)
		}
	}
	date := school.FormatDate(day)
	switch {
	case len(found) == 1:
		return found[0], true
	case len(found) == 0 && hour != 0:
		s.errf(p, "group %q has no lesson in hour %d on %s", gi.g.Name, hour, date)
	case len(found) == 0:
		s.errf(p, "group %q has no lesson on %s", gi.g.Name, date)
	default:
		s.errf(p+".hour", "group %q has %d lessons on %s: say which by its hour",
			gi.g.Name, len(found), date)
	}
	return 0, false
}

// changes applies the exceptions to the timetable: cancelled lessons,
// moved ones, and other rooms, teachers or titles.
//
// TODO: a lesson moved onto a time at which its group already has a
// lesson is not found out; the group then has two lessons at once.
func (s *schoolBuilder) changes() {
	for i, cd := range s.doc.Changes {
		p := fmt.Sprintf("%s.changes[%d]", s.path, i)
		gi, ok := s.groupRef(p+".group", cd.Group)
		day, ok2 := s.b.date(p+".date", cd.Date)
		if !ok || !ok2 {
			continue
		}
		k, ok := s.lessonAt(p, gi, day, cd.Hour)
		if !ok {
			continue
		}
		l := &s.lessons[k]
		if cd.Cancelled {
			l.Status = school.StatusCancelled
		}
		if cd.Room != "" {
			l.Location = cd.Room
		}
		if len(cd.Teacher) > 0 {
			l.StaffIDs = s.staffRefs(p+".teacher", cd.Teacher)
		}
		if m := cd.MoveTo; m != nil {
			to := day
			if m.Date != "" {
				if to, ok = s.b.date(p+".moveTo.date", m.Date); !ok {
					continue
				}
			}
			hour := m.Hour
			if hour == 0 && m.Time == "" {
				hour, m.EndHour = l.BeginHour, l.EndHour
			}
			wn, ok := s.at(p+".moveTo", to, hour, m.EndHour, m.Time)
			if !ok {
				continue
			}
			l.Start, l.End, l.BeginHour, l.EndHour = wn.start, wn.end, wn.beginHour, wn.endHour
		}
		switch {
		case cd.Title != "":
			l.Title = cd.Title
		case !s.titled[l.ID]:
			l.Title = s.title(*l)
		}
		if !cd.Cancelled && cd.Room == "" && len(cd.Teacher) == 0 && cd.MoveTo == nil &&
			cd.Title == "" {
			s.errf(p, "changes nothing: give cancelled, room, teacher, title or moveTo")
		}
	}
}
