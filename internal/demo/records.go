package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// The records of issue 4: holidays, the lesson grid, absences, measures,
// study guides and homework, messages and the school administrator. They
// are drawn last, from a stream of their own, and number their own kinds,
// so every pupil, lesson, grade, account and password drawn before them
// stays what it was for the same seed.

// Kinds of the records, after kindColumn. Kind 20 is kept for homework
// ticks, which the store numbers itself as pupils make them.
const (
	kindHoliday kind = iota + kindColumn + 1
	kindReason
	kindAbsence
	kindObservation
	kindMeasure
	kindGuide
	kindHomework
	kindHomeworkItem
	kindHomeworkDone
	kindConversation
	kindRecordCount
)

// Streams of the records.
const (
	purposeRecords purpose = iota + purposeScale + 1
	purposeAdmin
)

// absenceReasons are every school's reasons, in this order.
var absenceReasons = []school.AbsenceReason{
	{Abbrev: "ZK", Description: "Ziek", Kind: "Absent", Authorised: true},
	{Abbrev: "TA", Description: "Tandarts of huisarts", Kind: "Absent", Authorised: true},
	{Abbrev: "FA", Description: "Familieomstandigheden", Kind: "Absent", Authorised: true},
	{Abbrev: "ON", Description: "Ongeoorloofd afwezig", Kind: "Absent", Authorised: false},
	{Abbrev: "TL", Description: "Te laat", Kind: "TeLaat", Authorised: false},
	{Abbrev: "VW", Description: "Verwijderd uit de les", Kind: "Verwijderd", Authorised: false},
}

// records builds everything of this file for the school.
func (g *schoolGen) records() error {
	r := g.rng(purposeRecords)
	g.calendarRecords()
	reasons := g.reasonList()
	g.homework(r)
	g.absences(r, reasons)
	g.conversations(r)
	return g.admin()
}

func (g *schoolGen) recordID(k kind) school.ID {
	// The records' kinds lie past kindCount, so they count in a map of
	// their own rather than in g.counts.
	if g.more == nil {
		g.more = map[kind]int64{}
	}
	g.more[k]++
	return school.ID(int64(k)*kindBase + int64(g.index)*schoolGap + g.more[k])
}

func (g *schoolGen) calendarRecords() {
	for _, h := range Holidays(g.cur.From.Year()) {
		g.w.Holidays = append(g.w.Holidays, school.Holiday{
			ID: g.recordID(kindHoliday), SchoolID: g.school.ID, Name: h.Name, From: h.From, To: h.To,
		})
	}
	g.w.LessonHours = append(g.w.LessonHours, lessonHourRecords(g.school.ID)...)
}

// lessonHourRecords are LessonHours as a school's records.
func lessonHourRecords(schoolID school.ID) []school.LessonHour {
	out := make([]school.LessonHour, len(LessonHours))
	for i, h := range LessonHours {
		out[i] = school.LessonHour{SchoolID: schoolID, Number: h.Number,
			Begin: h.Begin.String(), End: h.End.String()}
	}
	return out
}

func (g *schoolGen) reasonList() []school.AbsenceReason {
	out := make([]school.AbsenceReason, len(absenceReasons))
	for i, rs := range absenceReasons {
		rs.ID, rs.SchoolID = g.recordID(kindReason), g.school.ID
		out[i] = rs
	}
	g.w.AbsenceReasons = append(g.w.AbsenceReasons, out...)
	return out
}

// lessonsByGroup are this school's lessons per group, in time order.
func (g *schoolGen) lessonsByGroup() map[school.ID][]school.Lesson {
	out := map[school.ID][]school.Lesson{}
	for _, l := range g.w.Lessons {
		if l.SchoolID == g.school.ID {
			out[l.GroupID] = append(out[l.GroupID], l)
		}
	}
	return out
}

// homework gives every lesson group a study guide with homework on every
// other lesson, a test every eighth lesson, a day task every fourth week
// and a week task every third week.
func (g *schoolGen) homework(r *rand.Rand) {
	byGroup := g.lessonsByGroup()
	for _, c := range g.classes {
		for si, lg := range c.lessonGroups {
			subject := g.subjects[subjectIndex(c.spec.subjects[si].abbrev)]
			guide := school.StudyGuide{ID: g.recordID(kindGuide), SchoolID: g.school.ID,
				GroupID: lg.ID, Name: fmt.Sprintf("%s %s", subject.Name, lg.Name)}
			guide.UUID = g.uuid(guide.ID)
			g.w.StudyGuides = append(g.w.StudyGuides, guide)
			add := guideAdder(guide, g.cur.ID, g.recordID, &g.w.Homework)
			lessonHomework(r, byGroup[lg.ID], add)
			weekTasks(g.cur, subject.Abbrev, add)
		}
	}
}

// guideAdder returns an add for lessonHomework and weekTasks: it numbers
// the guide's items in the order added, fills in what they share and
// appends them to out.
func guideAdder(guide school.StudyGuide, yearID school.ID, id func(kind) school.ID,
	out *[]school.Homework) func(school.Homework) {
	order := 0
	return func(h school.Homework) {
		order++
		h.ID, h.ItemID = id(kindHomework), id(kindHomeworkItem)
		h.SchoolID, h.GuideID, h.GroupID, h.YearID = guide.SchoolID, guide.ID, guide.GroupID, yearID
		h.Order = order
		h.Created = school.DateOf(h.Due).AddDate(0, 0, -7).Add(16 * time.Hour)
		if h.ISOYear == 0 {
			h.ISOYear, h.WeekFrom = h.Due.ISOWeek()
			h.WeekTo = h.WeekFrom
		}
		*out = append(*out, h)
	}
}

// lessonHomework adds the homework on a lesson group's lessons, given in
// time order: a test every eighth lesson, homework on every other one.
func lessonHomework(r *rand.Rand, lessons []school.Lesson, add func(school.Homework)) {
	for k, l := range lessons {
		switch {
		case k%8 == 7:
			add(school.Homework{Kind: school.HomeworkLesson, LessonID: l.ID, Due: l.Start,
				Topic: fmt.Sprintf("Toets hoofdstuk %d", k/8+1), Type: "TOETS",
				Description: "<p>Leer de stof van het hoofdstuk.</p>"})
		case k%2 == 1:
			add(school.Homework{Kind: school.HomeworkLesson, LessonID: l.ID, Due: l.Start,
				Topic: fmt.Sprintf("Opdrachten paragraaf %d.%d", k/8+1, 1+r.IntN(6)),
				Type:  "HUISWERK", Description: "<p>Maak de opdrachten.</p>"})
		}
	}
}

// weekTasks adds the day and week tasks of a lesson group of the subject
// abbrev in year: a day task every fourth week, a week task every third.
func weekTasks(year school.SchoolYear, abbrev string, add func(school.Homework)) {
	for week, monday := 0, mondayOf(year.From); monday.Before(year.To); week++ {
		if week%4 == 1 {
			add(school.Homework{Kind: school.HomeworkDay, Due: monday.AddDate(0, 0, 4),
				Topic: "Woordenlijst leren", Type: "HUISWERK",
				Description: "<p>Leer de woorden van deze week.</p>"})
		}
		if week%3 == 2 {
			h := school.Homework{Kind: school.HomeworkWeek, Due: monday,
				Topic: "Werkstuk " + strings.ToLower(abbrev), Type: "GROTE_TOETS",
				Description: "<p>Werk aan je werkstuk.</p>"}
			h.ISOYear, h.WeekFrom = monday.ISOWeek()
			y2, w2 := monday.AddDate(0, 0, 7).ISOWeek()
			h.WeekTo = h.WeekFrom
			if y2 == h.ISOYear {
				h.WeekTo = w2
			}
			add(h)
		}
		monday = monday.AddDate(0, 0, 7)
	}
}

// absences notes observations on past lessons of the first class's first
// pupils, one of each registration for the star pupil, and gives the star
// pupil and the sibling reports and a measure.
func (g *schoolGen) absences(r *rand.Rand, reasons []school.AbsenceReason) {
	byGroup := g.lessonsByGroup()
	regs := []struct {
		reg, kind string
		reason    int // index in reasons, -1 for none
	}{
		{school.RegAbsent, "Afwezig", 0}, {school.RegAbsent, "Afwezig", 3},
		{school.RegLate, "Aanwezig", 4}, {school.RegNoHomework, "Aanwezig", -1},
		{school.RegNoMaterial, "Aanwezig", -1}, {school.RegRemoved, "Afwezig", 5},
	}
	c := g.classes[0]
	for k, p := range c.pupils[:min(5, len(c.pupils))] {
		var past []school.Lesson
		for _, lg := range c.lessonGroups {
			for _, l := range byGroup[lg.ID] {
				if l.End.Before(g.today) && l.Status == school.StatusActive {
					past = append(past, l)
				}
			}
		}
		if len(past) == 0 {
			continue
		}
		n := len(regs)
		if k > 0 {
			n = 2
		}
		for i := range n {
			l := past[r.IntN(len(past))]
			rg := regs[i]
			o := observationIn(l, p.ID, rg.kind, rg.reg)
			o.ID, o.SchoolID, o.Handled = g.recordID(kindObservation), g.school.ID, i%2 == 0
			if rg.reason >= 0 {
				o.ReasonID = reasons[rg.reason].ID
				o.Authorised = reasons[rg.reason].Authorised
			}
			g.w.Observations = append(g.w.Observations, o)
		}
	}
	g.reports(reasons)
}

// observationIn is what the lesson's teacher noted of a pupil in it, ten
// minutes in; its id, school, reason and handling are the caller's to set.
func observationIn(l school.Lesson, pupilID school.ID, kind, reg string) school.Observation {
	o := school.Observation{PupilID: pupilID, LessonID: l.ID, Kind: kind, Registration: reg,
		Entered: l.Start.Add(10 * time.Minute), Start: l.Start, End: l.End,
		BeginHour: l.BeginHour, EndHour: l.EndHour}
	if len(l.StaffIDs) > 0 {
		o.StaffID = l.StaffIDs[0]
	}
	return o
}

// reports gives the first pupils of the first two classes a sick day a
// week ago and a dentist visit, and the star pupil a measure.
func (g *schoolGen) reports(reasons []school.AbsenceReason) {
	for ci, c := range g.classes[:min(2, len(g.classes))] {
		p := c.pupils[0]
		sick := g.today.AddDate(0, 0, -7-ci)
		begin, _ := LessonHours[0].On(sick)
		_, end := LessonHours[len(LessonHours)-1].On(sick)
		g.w.AbsenceReports = append(g.w.AbsenceReports, school.AbsenceReport{
			ID: g.recordID(kindAbsence), SchoolID: g.school.ID, PupilID: p.ID,
			ReasonID: reasons[0].ID, Entered: begin.Add(-time.Hour), Start: begin, End: end,
			BeginHour: 1, EndHour: len(LessonHours), Handled: true, Remarks: "Koorts",
		})
		visit := g.today.AddDate(0, 0, 2+ci)
		vb, _ := LessonHours[2].On(visit)
		_, ve := LessonHours[3].On(visit)
		g.w.AbsenceReports = append(g.w.AbsenceReports, school.AbsenceReport{
			ID: g.recordID(kindAbsence), SchoolID: g.school.ID, PupilID: p.ID,
			ReasonID: reasons[1].ID, Entered: g.today.Add(-20 * time.Hour), Start: vb, End: ve,
			BeginHour: 3, EndHour: 4, Remarks: "Tandarts",
		})
	}
	star := g.classes[0].pupils[0]
	g.w.Measures = append(g.w.Measures, school.Measure{
		ID: g.recordID(kindMeasure), SchoolID: g.school.ID, PupilID: star.ID,
		Name: "Melden om 8 uur", Date: g.today.AddDate(0, 0, 1), Automatic: true,
		Cause: "3x te laat",
	})
}

// conversations: the mentor of the first class writes to its first
// pupil's account (and, in the first school, to the parent too).
func (g *schoolGen) conversations(r *rand.Rand) {
	mentor := g.teachers[subjectIndex(g.classes[0].spec.subjects[0].abbrev)].staff
	star := g.classes[0].pupils[0]
	var to []school.ID
	for _, a := range g.w.Accounts {
		if a.SchoolID != g.school.ID {
			continue
		}
		if (a.Role == school.RolePupil && a.PersonID == star.ID) || a.Role == school.RoleParent {
			to = append(to, a.ID)
		}
	}
	subjects := []string{"Ouderavond", "Excursie naar het museum", "Rapportvergadering"}
	for i, subj := range subjects {
		sent := g.today.AddDate(0, 0, -3*(len(subjects)-i)).Add(time.Duration(9+r.IntN(7)) * time.Hour)
		g.w.Conversations = append(g.w.Conversations, school.Conversation{
			ID: g.recordID(kindConversation), SchoolID: g.school.ID, SenderID: mentor.ID,
			Subject: subj, Body: "<p>Beste leerling, lees dit bericht over: " + subj + ".</p>",
			Sent: sent, Recipients: append([]school.ID(nil), to...),
		})
	}
}

// admin adds the school administrator of the first school: a staff member
// of their own with an account after all others.
func (g *schoolGen) admin() error {
	if g.index != 0 {
		return nil
	}
	r := g.rng(purposeAdmin)
	taken := map[string]bool{}
	for _, s := range g.w.Staff {
		if s.SchoolID == g.school.ID {
			taken[s.Abbrev] = true
		}
	}
	gender := genders[r.IntN(2)]
	n := g.adultName(r, gender)
	st := newStaff(r, n, gender, taken)
	st.ID = g.id(kindStaff)
	st.SchoolID, st.UUID = g.school.ID, g.uuid(st.ID)
	st.Number = int64(g.index+1)*10_000 + g.counts[kindStaff]
	g.w.Staff = append(g.w.Staff, st)

	a := accountMaker{g: g, r: r, taken: map[string]bool{}}
	for _, acc := range g.w.Accounts {
		if acc.SchoolID == g.school.ID {
			a.taken[acc.Username] = true
		}
	}
	a.add(school.Account{Role: school.RoleAdmin, Username: a.username(n), PersonID: st.ID})
	if a.err != nil {
		return fmt.Errorf("administrator account: %w", a.err)
	}
	// Its id is the last of the school's account block rather than the
	// next one, so that it is the same whatever the Scale.
	g.counts[kindAccount]--
	a.out[0].ID = school.ID(int64(kindAccount)*kindBase + int64(g.index)*schoolGap + schoolGap - 1)
	a.out[0].UUID = g.uuid(a.out[0].ID)
	g.w.Accounts = append(g.w.Accounts, a.out...)
	return nil
}

// adultName draws a name no staff member or parent of the school has.
// Pupils' names do not count, so that the name is the same at any Scale.
func (g *schoolGen) adultName(r *rand.Rand, gender string) school.Name {
	taken := map[string]bool{fullName(g.parent): true}
	for _, s := range g.w.Staff {
		if s.SchoolID == g.school.ID {
			taken[fullName(s.Name)] = true
		}
	}
	for {
		n := lastNames[r.IntN(len(lastNames))]
		n.First = pick(r, gender, manNames, womanNames)
		if !taken[fullName(n)] {
			return n
		}
	}
}
