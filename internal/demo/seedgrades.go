package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Grades of seeded worlds are entered per column, as a teacher does: a
// test on a day the lesson group has a lesson, the whole class's results
// entered together a few school days later, one column shared by the
// class. Averages are columns too, shared by the class, with each pupil's
// true value.

// Shares of seeded grades: of tests, in percent, the tests a pupil did
// not make, the proefwerken that may be re-sat and the pupils who re-sit
// a failed one; of SO's, in per mille, the practice tests that do not
// count.
const (
	notMadePercent   = 2
	resitablePercent = 35
	resitPercent     = 70
	practicePerMille = 50
)

// column is a test column of a class, with the day of the test.
type column struct {
	si    int // the class subject
	grade school.Grade
	day   time.Time
	// resitAt is when its re-sits are entered; zero when it has none.
	resitAt time.Time
}

// avgKey names an average column of a class: shared by its pupils.
type avgKey struct {
	subject school.ID
	typ     string
	period  int
}

// grades gives every pupil of the class the year's grades entered before
// today, with the averages of each period and of the year and, from the
// fourth year on, of the exam dossier.
func (y *seedYear) grades(part *school.World, yc *yearClass, bySubject [][]school.Lesson) {
	s := y.s
	today := s.w.today
	cols := y.columns(yc, bySubject)
	avgIDs := map[avgKey]school.ID{}
	avgColumn := func(k avgKey) school.ID {
		if _, ok := avgIDs[k]; !ok {
			avgIDs[k] = s.id(kindColumn)
		}
		return avgIDs[k]
	}
	subjects := make([]school.ID, len(yc.loads))
	for si, l := range yc.loads {
		subjects[si] = s.subjects[seedSubjectIndex(l.abbrev)].ID
	}
	for k, p := range yc.c.pupils {
		r := s.w.stream(purposeGrades, uint64(p.ID), uint64(y.back))
		offsets := make([]int, len(yc.loads))
		for i := range offsets {
			offsets[i] = r.IntN(21) - 10
		}
		var gs []school.Grade
		for _, col := range cols {
			gr := col.grade
			gr.PupilID = p.ID
			// The class's results go in one sitting, a second or two apart.
			gr.Entered = gr.Entered.Add(time.Duration(k*1500) * time.Millisecond)
			if !gr.Entered.Before(today) {
				continue
			}
			y.result(r, &gr, yc.c.ability[k]+offsets[col.si])
			gs = append(gs, gr)
			if col.resitAt.IsZero() || !gr.HasValue || gr.Tenths >= 55 ||
				r.IntN(100) >= resitPercent {
				continue
			}
			// No re-sit when the year has no school days left for one.
			if at := enteredOn(r, col.resitAt); at.After(gr.Entered) && at.Before(today) {
				again := resitOf(&gs[len(gs)-1], clamp(gr.Tenths+5+r.IntN(25), 10, 100), at)
				gs = append(gs, again)
			}
		}
		byEntered(gs)
		numberColumns(gs)
		column := func(typ string, sub school.ID, period, tenths int,
			from []school.Grade) school.Grade {
			gr := averageGrade(r, typ, period, tenths, from, today)
			gr.SchoolID, gr.PupilID, gr.SubjectID = s.school.ID, p.ID, sub
			gr.ColumnID = avgColumn(avgKey{sub, typ, period})
			gr.StudyYear = yc.level
			return gr
		}
		avgs := averageColumns(gs, subjects, column)
		if yc.level >= 4 {
			avgs = append(avgs, examAverages(gs, subjects, column)...)
		}
		gs = append(gs, avgs...)
		byEntered(gs)
		for i := range gs {
			gs[i].ID = s.id(kindGrade)
		}
		part.Grades = append(part.Grades, gs...)
	}
}

// examAverages are the averages of the exam dossier per subject, as the
// server computes them for vakgemiddelden: the exam dossier's grades,
// weighted as in the progress dossier.
func examAverages(gs []school.Grade, subjects []school.ID, column func(typ string,
	subject school.ID, period, tenths int, from []school.Grade) school.Grade) []school.Grade {
	var out []school.Grade
	for _, sub := range subjects {
		var exam []school.Grade
		for _, gr := range gs {
			if gr.SubjectID == sub && gr.InExam {
				exam = append(exam, gr)
			}
		}
		if avg, ok := school.Average(exam); ok {
			gr := column(school.ColumnSEAverage, sub, exam[len(exam)-1].Period, avg, exam)
			gr.InExam, gr.InProgress = true, false
			out = append(out, gr)
		}
	}
	return out
}

// result draws one pupil's result in a test column: a number near the
// pupil's level in the subject, a label, or nothing when not made.
func (y *seedYear) result(r *rand.Rand, gr *school.Grade, level int) {
	if gr.TestKind == "" {
		gr.Label = labels[r.IntN(len(labels))]
		return
	}
	gr.Tenths = clamp(level+int(r.NormFloat64()*9), 10, 100)
	gr.Current, gr.HasValue = gr.Tenths, true
	if r.IntN(100) < notMadePercent {
		markNotMade(gr)
	}
}

// columns are the class's test columns of the year: per subject and
// period one or two tests (one for a subject graded with labels), each on
// a day of a lesson of the group, entered one to five school days later.
func (y *seedYear) columns(yc *yearClass, bySubject [][]school.Lesson) []column {
	s := y.s
	r := s.stream(purposeGrades, uint64(y.back), uint64(yc.index))
	start := y.year.From.Year()
	var out []column
	for si, l := range yc.loads {
		spec := seedSubjectSpecs[seedSubjectIndex(l.abbrev)]
		sub := s.subjects[seedSubjectIndex(l.abbrev)]
		chapter := 0
		for p := 1; p <= periods; p++ {
			var days []time.Time
			for _, ls := range bySubject[si] {
				if ls.Status == school.StatusActive && periodOf(ls.Start, start) == p {
					days = append(days, school.DateOf(ls.Start))
				}
			}
			n := 1 + r.IntN(2)
			if spec.labels {
				n = 1
			}
			for _, day := range pickDays(r, days, n) {
				chapter++
				out = append(out, y.column(r, yc, si, sub.ID, spec, p, chapter, day))
			}
		}
	}
	return out
}

// column is one test of a class subject on day.
func (y *seedYear) column(r *rand.Rand, yc *yearClass, si int, subject school.ID,
	spec subjectSpec, period, chapter int, day time.Time) column {
	gr := school.Grade{SchoolID: y.s.school.ID, SubjectID: subject,
		ColumnID: y.s.id(kindColumn), Period: period, StudyYear: yc.level, ResitType: "Geen",
		InProgress: true}
	col := column{si: si, day: day}
	if spec.labels {
		gr.Type, gr.Weight = school.ColumnTest, 1
		gr.Description = fmt.Sprintf("Beoordeling blok %d", chapter)
	} else {
		tk := testKinds[r.IntN(len(testKinds))]
		setKind(r, &gr, tk, chapter, yc.level)
		switch {
		case tk.name == kindSO.name && r.IntN(1000) < practicePerMille:
			gr.Description, gr.NotCounting = "Oefentoets", true
		case tk.name == kindPW.name && r.IntN(100) < resitablePercent:
			gr.ResitType = resitBest
			col.resitAt = y.plan.later(day, 10)
		}
	}
	gr.Entered = enteredOn(r, y.plan.later(day, 1+r.IntN(5)))
	col.grade = gr
	return col
}

// pickDays picks n distinct days of days (fewer when there are fewer), in
// date order.
func pickDays(r *rand.Rand, days []time.Time, n int) []time.Time {
	n = min(n, len(days))
	idx := r.Perm(len(days))[:n]
	sort.Ints(idx)
	out := make([]time.Time, n)
	for i, k := range idx {
		out[i] = days[k]
	}
	return out
}

// Indexes in absenceReasons.
const (
	reasonSick = iota
	reasonDoctor
	reasonFamily
	reasonTruant
	reasonLate
	reasonRemoved
)

// absences notes, per pupil, the year's sick days with their reports,
// late arrivals, missing homework and the odd truancy or removal from a
// lesson, all in lessons before today; three late arrivals bring a
// measure, and some pupils are reported for a doctor's visit.
func (y *seedYear) absences(part *school.World, yc *yearClass) {
	s := y.s
	today := s.w.today
	var past []school.Lesson
	for _, l := range part.Lessons {
		if l.End.Before(today) && l.Status == school.StatusActive {
			past = append(past, l)
		}
	}
	sort.SliceStable(past, func(i, j int) bool { return past[i].Start.Before(past[j].Start) })
	for _, p := range yc.c.pupils {
		r := s.w.stream(purposeAbsences, uint64(p.ID), uint64(y.back))
		if len(past) > 0 {
			y.sickDays(part, r, p.ID, past)
			y.notes(part, r, p.ID, past)
		}
		y.doctor(part, r, p.ID)
	}
}

// sickDays reports the pupil ill on up to three days, and absent in each
// of that day's lessons.
func (y *seedYear) sickDays(part *school.World, r *rand.Rand, pupil school.ID,
	past []school.Lesson) {
	s := y.s
	sick := s.reasons[reasonSick]
	seen := map[time.Time]bool{}
	for range r.IntN(4) {
		day := school.DateOf(past[r.IntN(len(past))].Start)
		if seen[day] {
			continue
		}
		seen[day] = true
		var that []school.Lesson
		for _, l := range past {
			if school.DateOf(l.Start).Equal(day) {
				that = append(that, l)
			}
		}
		first, last := that[0], that[len(that)-1]
		part.AbsenceReports = append(part.AbsenceReports, school.AbsenceReport{
			ID: s.id(kindAbsence), SchoolID: s.school.ID, PupilID: pupil, ReasonID: sick.ID,
			Entered: first.Start.Add(-time.Hour), Start: first.Start, End: last.End,
			BeginHour: first.BeginHour, EndHour: last.EndHour, Handled: true,
			Remarks: sickRemarks[r.IntN(len(sickRemarks))],
		})
		for _, l := range that {
			y.observe(part, l, pupil, "Afwezig", school.RegAbsent, &sick)
		}
	}
}

// notes are what teachers note in single lessons: late arrivals (three
// bring a measure), missing homework or material, and now and then a
// pupil who stayed away or was sent out.
func (y *seedYear) notes(part *school.World, r *rand.Rand, pupil school.ID,
	past []school.Lesson) {
	s := y.s
	lesson := func() school.Lesson { return past[r.IntN(len(past))] }
	var late []time.Time
	for range r.IntN(5) {
		l := lesson()
		y.observe(part, l, pupil, "Aanwezig", school.RegLate, &s.reasons[reasonLate])
		late = append(late, l.Start)
	}
	for range r.IntN(3) {
		y.observe(part, lesson(), pupil, "Aanwezig", school.RegNoHomework, nil)
	}
	if r.IntN(3) == 0 {
		y.observe(part, lesson(), pupil, "Aanwezig", school.RegNoMaterial, nil)
	}
	if r.IntN(10) == 0 {
		y.observe(part, lesson(), pupil, "Afwezig", school.RegAbsent, &s.reasons[reasonTruant])
	}
	if r.IntN(30) == 0 {
		y.observe(part, lesson(), pupil, "Afwezig", school.RegRemoved, &s.reasons[reasonRemoved])
	}
	if len(late) >= 3 {
		sort.Slice(late, func(i, j int) bool { return late[i].Before(late[j]) })
		day := y.plan.later(school.DateOf(late[2]), 1)
		part.Measures = append(part.Measures, school.Measure{ID: s.id(kindMeasure),
			SchoolID: s.school.ID, PupilID: pupil, Name: "Melden om 8 uur", Date: day,
			Done: day.Before(s.w.today), Automatic: true, Cause: "3x te laat"})
	}
}

// observe notes a registration of the pupil in lesson l.
func (y *seedYear) observe(part *school.World, l school.Lesson, pupil school.ID, kind,
	reg string, reason *school.AbsenceReason) {
	s := y.s
	o := observationIn(l, pupil, kind, reg)
	o.ID, o.SchoolID = s.id(kindObservation), s.school.ID
	o.Handled = l.End.Before(s.w.today.AddDate(0, 0, -7))
	if reason != nil {
		o.ReasonID, o.Authorised = reason.ID, reason.Authorised
	}
	part.Observations = append(part.Observations, o)
}

// doctor has a parent report one pupil in four for a visit to the doctor
// or dentist in the third and fourth hour of some school day, the evening
// before; a report not yet made by today is left out.
func (y *seedYear) doctor(part *school.World, r *rand.Rand, pupil school.ID) {
	if r.IntN(4) != 0 {
		return
	}
	s := y.s
	day := y.days[r.IntN(len(y.days))]
	begin, _ := LessonHours[2].On(day)
	_, end := LessonHours[3].On(day)
	entered := day.AddDate(0, 0, -1).Add(19*time.Hour + time.Duration(r.IntN(180))*time.Minute)
	if !entered.Before(s.w.today) {
		return
	}
	part.AbsenceReports = append(part.AbsenceReports, school.AbsenceReport{
		ID: s.id(kindAbsence), SchoolID: s.school.ID, PupilID: pupil,
		ReasonID: s.reasons[reasonDoctor].ID, Entered: entered, Start: begin, End: end,
		BeginHour: 3, EndHour: 4, Handled: end.Before(s.w.today), Remarks: "Tandarts",
	})
}
