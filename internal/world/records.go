package world

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// records reads what a school keeps beyond people, lessons and grades.
func (s *schoolBuilder) records() {
	s.reasonList()
	s.absenceList()
	s.observationList()
	s.measureList()
	s.homeworkList()
	s.messageList()
}

func (s *schoolBuilder) reasonList() {
	s.reasons = map[string]school.AbsenceReason{}
	docs := s.doc.Reasons
	if docs == nil {
		docs = reasonsDefault
	}
	for i, rd := range docs {
		p := fmt.Sprintf("%s.absenceReasons[%d]", s.path, i)
		if rd.Abbrev == "" {
			s.errf(p+".abbrev", "required")
			continue
		}
		if _, ok := s.reasons[rd.Abbrev]; ok {
			s.errf(p+".abbrev", "reason %q is given twice", rd.Abbrev)
			continue
		}
		kind := rd.Kind
		if kind == "" {
			kind = "Absent"
		}
		id, _ := s.b.entity(kindReason, p, rd.ID, "", "", s.key, rd.Abbrev)
		r := school.AbsenceReason{ID: id, SchoolID: s.s.ID, Abbrev: rd.Abbrev,
			Description: rd.Description, Kind: kind, Authorised: rd.Authorised}
		s.reasons[rd.Abbrev] = r
		s.b.w.AbsenceReasons = append(s.b.w.AbsenceReasons, r)
	}
}

func (s *schoolBuilder) reasonRef(path, abbrev string) (school.AbsenceReason, bool) {
	r, ok := s.reasons[abbrev]
	if !ok {
		s.errf(path, "no absence reason %q", abbrev)
	}
	return r, ok
}

// dayStart and dayEnd are the begin of the first lesson hour and the end
// of the last: what a date alone means in an absence.
func (s *schoolBuilder) dayStart() clock { return s.clocks[0][0] }
func (s *schoolBuilder) dayEnd() clock   { return s.clocks[len(s.clocks)-1][1] }

func (s *schoolBuilder) absenceList() {
	seen := map[string]string{}
	for i, ad := range s.doc.Absences {
		p := fmt.Sprintf("%s.absences[%d]", s.path, i)
		pi, ok1 := s.pupilRef(p+".pupil", ad.Pupil)
		r, ok2 := s.reasonRef(p+".reason", ad.Reason)
		from, _, ok3 := s.b.dateTime(p+".from", ad.From, s.dayStart())
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		a := school.AbsenceReport{SchoolID: s.s.ID, PupilID: pi.p.ID, ReasonID: r.ID,
			Start: from, BeginHour: ad.BeginHour, EndHour: ad.EndHour, Handled: ad.Handled,
			Remarks: ad.Remarks, Entered: from.Add(-time.Hour)}
		if ad.To != "" {
			to, _, ok := s.b.dateTime(p+".to", ad.To, s.dayEnd())
			if !ok {
				continue
			}
			if !to.After(from) {
				s.errf(p+".to", "the absence ends before it starts")
				continue
			}
			a.End = to
		}
		if ad.BeginHour < 0 || ad.BeginHour > len(s.clocks) || ad.EndHour < ad.BeginHour ||
			ad.EndHour > len(s.clocks) {
			s.errf(p+".endHour", "want hours from 1 to %d, beginHour first", len(s.clocks))
		}
		if ad.By != "" {
			if ids := s.staffRefs(p+".by", strList{ad.By}); len(ids) == 1 {
				a.StaffID = ids[0]
			}
		}
		if ad.Entered != "" {
			if t, _, ok := s.b.dateTime(p+".entered", ad.Entered, s.dayStart()); ok {
				a.Entered = t
			}
		}
		start := from.Format(time.RFC3339)
		if other, dup := seen[pi.key+start]; dup {
			s.errf(p+".from", "the pupil already has an absence from %s (%s)", start, other)
			continue
		}
		seen[pi.key+start] = p
		a.ID, _ = s.b.entity(kindAbsence, p, 0, "", "", s.key, pi.key, start)
		s.b.w.AbsenceReports = append(s.b.w.AbsenceReports, a)
	}
}

// registrations are the observation kinds, each with the waarnemingSoort
// it goes with.
var registrations = map[string]string{
	school.RegAbsent: "Afwezig", school.RegRemoved: "Afwezig", school.RegLate: "Aanwezig",
	school.RegNoHomework: "Aanwezig", school.RegNoMaterial: "Aanwezig",
}

func (s *schoolBuilder) observationList() {
	for i, od := range s.doc.Observations {
		p := fmt.Sprintf("%s.observations[%d]", s.path, i)
		pi, ok1 := s.pupilRef(p+".pupil", od.Pupil)
		gi, ok2 := s.groupRef(p+".group", od.Group)
		day, ok3 := s.b.date(p+".date", od.Date)
		kind, ok4 := registrations[od.Registration]
		if !ok4 {
			s.errf(p+".registration", "want Afwezig, TeLaat, Verwijderd, HuiswerkNietGemaakt "+
				"or MateriaalNietInOrde, got %q", od.Registration)
		}
		if !ok1 || !ok2 || !ok3 || !ok4 {
			continue
		}
		if !slices.Contains(gi.g.PupilIDs, pi.p.ID) {
			if pi.strayed {
				continue
			}
			s.errf(p+".pupil", "pupil %s is not in group %q", od.Pupil, od.Group)
			continue
		}
		k, ok := s.lessonAt(p, gi, day, od.Hour)
		if !ok {
			continue
		}
		l := s.lessons[k]
		o := school.Observation{SchoolID: s.s.ID, PupilID: pi.p.ID, LessonID: l.ID,
			Kind: kind, Registration: od.Registration, Handled: od.Handled,
			Entered: l.Start.Add(10 * time.Minute), Start: l.Start, End: l.End,
			BeginHour: l.BeginHour, EndHour: l.EndHour}
		if len(l.StaffIDs) > 0 {
			o.StaffID = l.StaffIDs[0]
		}
		if od.Reason != "" {
			if r, ok := s.reasonRef(p+".reason", od.Reason); ok {
				o.ReasonID, o.Authorised = r.ID, r.Authorised
			}
		}
		o.ID, _ = s.b.entity(kindObservation, p, 0, "", "", s.key, pi.key,
			strconv.FormatInt(int64(l.ID), 10), od.Registration)
		s.b.w.Observations = append(s.b.w.Observations, o)
	}
}

func (s *schoolBuilder) measureList() {
	for i, md := range s.doc.Measures {
		p := fmt.Sprintf("%s.measures[%d]", s.path, i)
		pi, ok1 := s.pupilRef(p+".pupil", md.Pupil)
		day, ok2 := s.b.date(p+".date", md.Date)
		if md.Name == "" {
			s.errf(p+".name", "required")
		}
		if !ok1 || !ok2 || md.Name == "" {
			continue
		}
		id, _ := s.b.entity(kindMeasure, p, 0, "", "", s.key, pi.key, md.Name,
			school.FormatDate(day))
		s.b.w.Measures = append(s.b.w.Measures, school.Measure{ID: id, SchoolID: s.s.ID,
			PupilID: pi.p.ID, Name: md.Name, Date: day, Done: md.Done, Remarks: md.Remarks,
			Automatic: md.Automatic, Cause: md.Cause})
	}
}

// homeworkTypes are the studiewijzer item types.
var homeworkTypes = []string{"HUISWERK", "TOETS", "GROTE_TOETS"}

func (s *schoolBuilder) homeworkList() {
	guides := map[school.ID]school.StudyGuide{}
	orders := map[school.ID]int{}
	for i, hd := range s.doc.Homework {
		p := fmt.Sprintf("%s.homework[%d]", s.path, i)
		gi, ok := s.groupRef(p+".group", hd.Group)
		if hd.Topic == "" {
			s.errf(p+".topic", "required")
			ok = false
		}
		typ := hd.Type
		if typ == "" {
			typ = "HUISWERK"
		} else if !slices.Contains(homeworkTypes, typ) {
			s.errf(p+".type", "want HUISWERK, TOETS or GROTE_TOETS, got %q", typ)
		}
		day, ok2 := s.b.date(p+".date", hd.Date)
		if !ok || !ok2 {
			continue
		}
		h, ok := s.placeHomework(p, hd, gi, day)
		if !ok {
			continue
		}
		guide, made := guides[gi.g.ID]
		if !made {
			guide = s.guide(p, gi)
			guides[gi.g.ID] = guide
		}
		orders[gi.g.ID]++
		key := []string{s.key, gi.g.Name, string(h.Kind), school.FormatDate(h.Due), hd.Topic}
		h.ID, _ = s.b.entity(kindHomework, p, 0, "", "", key...)
		h.ItemID = derivedID(kindHomeworkItem, key...)
		h.SchoolID, h.GuideID, h.GroupID, h.YearID = s.s.ID, guide.ID, gi.g.ID, gi.year.ID
		h.Topic, h.Type, h.Description, h.Order = hd.Topic, typ, hd.Description, orders[gi.g.ID]
		h.Created = school.DateOf(h.Due).AddDate(0, 0, -7).Add(16 * time.Hour)
		s.b.w.Homework = append(s.b.w.Homework, h)
	}
}

// placeHomework puts an assignment on a lesson, a day or a span of weeks.
func (s *schoolBuilder) placeHomework(p string, hd homeworkDoc, gi *groupInfo,
	day time.Time) (school.Homework, bool) {
	var h school.Homework
	kind := hd.Kind
	if kind == "" {
		kind = "lesson"
	}
	if hd.Weeks != 0 && kind != "week" {
		s.errf(p+".weeks", "only for kind week")
	}
	if hd.Hour != 0 && kind != "lesson" {
		s.errf(p+".hour", "only for kind lesson")
	}
	switch kind {
	case "lesson":
		k, ok := s.lessonAt(p, gi, day, hd.Hour)
		if !ok {
			return h, false
		}
		h.Kind, h.LessonID, h.Due = school.HomeworkLesson, s.lessons[k].ID, s.lessons[k].Start
	case "day":
		h.Kind, h.Due = school.HomeworkDay, day
	case "week":
		weeks := max(hd.Weeks, 1)
		if hd.Weeks < 0 || hd.Weeks > 10 {
			s.errf(p+".weeks", "want 1 to 10, got %d", hd.Weeks)
			return h, false
		}
		h.Kind, h.Due = school.HomeworkWeek, mondayOf(day)
		h.ISOYear, h.WeekFrom = h.Due.ISOWeek()
		h.WeekTo = h.WeekFrom
		// A span stops at the end of its ISO year, as the demo's do.
		for k := 1; k < weeks; k++ {
			if y, w := h.Due.AddDate(0, 0, 7*k).ISOWeek(); y == h.ISOYear {
				h.WeekTo = w
			}
		}
		return h, true
	default:
		s.errf(p+".kind", "want lesson, day or week, got %q", kind)
		return h, false
	}
	h.ISOYear, h.WeekFrom = h.Due.ISOWeek()
	h.WeekTo = h.WeekFrom
	return h, true
}

// guide makes the study guide of a group, named after its subject.
func (s *schoolBuilder) guide(p string, gi *groupInfo) school.StudyGuide {
	name := gi.g.Name
	for _, sub := range s.subjects {
		if sub.ID == gi.g.SubjectID {
			name = sub.Name + " " + gi.g.Name
		}
	}
	id, u := s.b.entity(kindGuide, p, 0, "", "uuid", s.key, gi.g.Name)
	g := school.StudyGuide{ID: id, SchoolID: s.s.ID, GroupID: gi.g.ID, UUID: u, Name: name}
	s.b.w.StudyGuides = append(s.b.w.StudyGuides, g)
	return g
}

func (s *schoolBuilder) messageList() {
	for i, md := range s.doc.Messages {
		p := fmt.Sprintf("%s.messages[%d]", s.path, i)
		ids := s.staffRefs(p+".from", strList{md.From})
		if md.From == "" {
			s.errf(p+".from", "required: a staff member's abbreviation")
		}
		if md.Subject == "" {
			s.errf(p+".subject", "required")
		}
		if len(md.To) == 0 {
			s.errf(p+".to", "want at least one username")
		}
		sent := clock{9, 0}.on(s.b.today)
		ok := true
		if md.Sent != "" {
			sent, _, ok = s.b.dateTime(p+".sent", md.Sent, clock{9, 0})
		}
		var to []school.ID
		for k, u := range md.To {
			tp := p + ".to"
			if len(md.To) > 1 {
				tp = fmt.Sprintf("%s[%d]", tp, k)
			}
			if a, found := s.accountRef(tp, u); found {
				to = append(to, a.ID)
			}
		}
		if len(ids) != 1 || md.Subject == "" || len(to) != len(md.To) || !ok || len(to) == 0 {
			continue
		}
		id, _ := s.b.entity(kindConversation, p, 0, "", "", s.key, md.From,
			sent.Format(time.RFC3339), md.Subject)
		s.b.w.Conversations = append(s.b.w.Conversations, school.Conversation{ID: id,
			SchoolID: s.s.ID, SenderID: ids[0], Subject: md.Subject, Body: md.Body, Sent: sent,
			Recipients: to})
	}
}
