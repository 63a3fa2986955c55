package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// testKind is a kind of test column a teacher enters grades in.
type testKind struct {
	name       string // toetssoortnaam
	columnType string
	minWeight  int
	maxWeight  int
	describe   string // omschrijving, with a chapter or serial number
}

var (
	kindSO = testKind{"SO", school.ColumnTest, 1, 2, "SO hoofdstuk %d"}
	kindPW = testKind{"PW", school.ColumnTest, 3, 5, "Proefwerk hoofdstuk %d"}
	kindPO = testKind{"PO", school.ColumnAssignment, 2, 3, "Praktische opdracht %d"}
	kindMO = testKind{"MO", school.ColumnTest, 1, 2, "Mondeling %d"}
	// testKinds is weighted: an SO is the most common test.
	testKinds = []testKind{kindSO, kindSO, kindSO, kindPW, kindPW, kindPO, kindMO}
	// labels are drawn for label subjects; V and G far more often than O.
	labels = []string{"V", "V", "G", "G", "G", "O"}
)

const (
	periods = 4
	// Test grades the star pupil gets per numeric subject and period, at
	// least: enough that the previous year alone passes 245 grades, so
	// that three pages of grades exist whatever the date.
	starTests  = 5
	starLabels = 2
	// Grades every other pupil gets per year; the sibling gets more so
	// that the parent's second child looks alive too.
	fewGrades     = 3
	siblingGrades = 8
)

// special marks one of the star pupil's previous-year grades as a case a
// client must handle.
type special int

const (
	plain special = iota
	resit
	notCounting
	notMade
)

// starSpecials place the special grades: the k-th test of a subject in a
// period of the previous year, which is always wholly in the past.
var starSpecials = []struct {
	subject   string
	period, k int
	what      special
}{
	{"wisA", 2, 1, resit},
	{"netl", 1, 0, notCounting},
	{"entl", 3, 2, notMade},
}

// yearPlan is a school year's school days, split by period.
type yearPlan struct {
	start   int // calendar year of 1 August
	current bool
	days    []time.Time
	periods [periods][]time.Time
}

func newYearPlan(start int, current bool) yearPlan {
	return planYear(start, current, SchoolDays(start))
}

// planYear is the plan of the year from August of start with these school
// days.
func planYear(start int, current bool, days []time.Time) yearPlan {
	y := yearPlan{start: start, current: current, days: days}
	for _, d := range y.days {
		p := periodOf(d, start)
		y.periods[p-1] = append(y.periods[p-1], d)
	}
	return y
}

// periodOf is the period of a date: four periods, changing on 15 November,
// 1 February and 16 April.
func periodOf(d time.Time, start int) int {
	p := 1
	for _, b := range []time.Time{
		school.Date(start, time.November, 15),
		school.Date(start+1, time.February, 1),
		school.Date(start+1, time.April, 16),
	} {
		if !d.Before(b) {
			p++
		}
	}
	return p
}

// gradeBuilder makes the grades of one pupil.
type gradeBuilder struct {
	g       *schoolGen
	r       *rand.Rand
	pupil   school.Pupil
	class   *class
	ability int   // the pupil's usual grade, in tenths
	offsets []int // per class subject, added to ability
	year    yearPlan
	study   int // leerjaar in b.year
}

// grades gives every pupil grades in the previous and the current year,
// with the average columns computed from them. Each pupil draws from a
// stream of its own, so one pupil's grades do not depend on another's.
func (g *schoolGen) grades() {
	plans := []yearPlan{
		newYearPlan(g.prev.From.Year(), false),
		newYearPlan(g.cur.From.Year(), true),
	}
	for ci, c := range g.classes {
		for k, p := range c.pupils {
			b := &gradeBuilder{g: g, pupil: p, class: c}
			b.r = rand.New(rand.NewPCG(uint64(g.opts.Seed)^uint64(purposeGrades), uint64(p.ID)))
			b.ability = 55 + b.r.IntN(25)
			for range c.spec.subjects {
				b.offsets = append(b.offsets, b.r.IntN(21)-10)
			}
			var gs []school.Grade
			for _, y := range plans {
				b.year = y
				b.study = c.spec.level
				if !y.current {
					b.study--
				}
				gs = append(gs, b.yearGrades(g.index == 0 && k == 0, ci)...)
			}
			for i := range gs {
				gs[i].ID = g.id(kindGrade)
			}
			g.w.Grades = append(g.w.Grades, gs...)
		}
	}
}

// yearGrades are one year's grades of the pupil entered before today, with
// their averages, in the order they were entered.
func (b *gradeBuilder) yearGrades(family bool, classIndex int) []school.Grade {
	var gs []school.Grade
	switch {
	case family && classIndex == 0:
		gs = b.fullYear()
	case family && classIndex == 1:
		gs = b.few(siblingGrades)
	default:
		gs = b.few(fewGrades)
	}
	kept := gs[:0]
	for _, gr := range gs {
		if gr.Entered.Before(b.g.today) {
			kept = append(kept, gr)
		}
	}
	gs = kept
	byEntered(gs)
	numberColumns(gs)
	gs = append(gs, b.averages(gs)...)
	byEntered(gs)
	return gs
}

func byEntered(gs []school.Grade) {
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Entered.Before(gs[j].Entered) })
}

// numberColumns sets volgnummer: the columns of a subject counted in the
// order they were first entered; a re-sit keeps its column's number.
func numberColumns(gs []school.Grade) {
	seq := map[school.ID]int{}
	next := map[school.ID]int{}
	for i := range gs {
		col := gs[i].ColumnID
		if _, ok := seq[col]; !ok {
			next[gs[i].SubjectID]++
			seq[col] = next[gs[i].SubjectID]
		}
		gs[i].Seq = seq[col]
	}
}

// fullYear is the star pupil's year: several tests per subject and period,
// with the special cases in the previous year.
func (b *gradeBuilder) fullYear() []school.Grade {
	var gs []school.Grade
	for si, sh := range b.class.spec.subjects {
		spec := subjectSpecs[subjectIndex(sh.abbrev)]
		chapter := 0
		for p := 1; p <= periods; p++ {
			n := starTests + b.r.IntN(2)
			if spec.labels {
				n = starLabels
			}
			for k, day := range b.sample(b.year.periods[p-1], n) {
				chapter++
				gr := b.test(si, p, day, chapter)
				what := plain
				for _, s := range starSpecials {
					if !b.year.current && s.subject == sh.abbrev && s.period == p && s.k == k {
						what = s.what
					}
				}
				gs = append(gs, b.special(gr, what, day)...)
			}
		}
	}
	return gs
}

// few is a handful of grades on random days of the year.
func (b *gradeBuilder) few(n int) []school.Grade {
	var gs []school.Grade
	chapters := make([]int, len(b.class.spec.subjects))
	for _, day := range b.sample(b.year.days, n) {
		si := b.r.IntN(len(b.class.spec.subjects))
		chapters[si]++
		gs = append(gs, b.test(si, periodOf(day, b.year.start), day, chapters[si]))
	}
	return gs
}

// sample picks n distinct days, in date order.
func (b *gradeBuilder) sample(days []time.Time, n int) []time.Time {
	n = min(n, len(days))
	idx := b.r.Perm(len(days))[:n]
	sort.Ints(idx)
	out := make([]time.Time, n)
	for i, k := range idx {
		out[i] = days[k]
	}
	return out
}

// test is one grade in a new column of class subject si.
//
// TODO: classmates never share a column: every grade gets a resultaatkolom
// of its own, and cijferkolomId and samengesteldeToetskolomId stay zero, so
// a client that groups a class's results by column sees one pupil each.
func (b *gradeBuilder) test(si, period int, day time.Time, n int) school.Grade {
	sub := b.g.subjects[subjectIndex(b.class.spec.subjects[si].abbrev)]
	spec := subjectSpecs[subjectIndex(sub.Abbrev)]
	gr := school.Grade{
		SchoolID:   b.g.school.ID,
		PupilID:    b.pupil.ID,
		SubjectID:  sub.ID,
		ColumnID:   b.g.id(kindColumn),
		Entered:    b.enteredOn(day),
		Period:     period,
		StudyYear:  b.study,
		ResitType:  "Geen",
		InProgress: true,
	}
	if spec.labels {
		gr.Type = school.ColumnTest
		gr.Label = labels[b.r.IntN(len(labels))]
		gr.Weight = 1
		gr.Description = fmt.Sprintf("Beoordeling blok %d", n)
		return gr
	}
	tk := testKinds[b.r.IntN(len(testKinds))]
	b.setKind(&gr, tk, n)
	gr.Tenths = clamp(b.ability+b.offsets[si]+int(b.r.NormFloat64()*9), 10, 100)
	gr.Current = gr.Tenths
	gr.HasValue = true
	return gr
}

func (b *gradeBuilder) setKind(gr *school.Grade, tk testKind, n int) {
	setKind(b.r, gr, tk, n, b.study)
}

// setKind makes gr a test of kind tk, the n-th of its subject, with a
// weight drawn from r, in the exam dossier too from study year 4 on.
func setKind(r *rand.Rand, gr *school.Grade, tk testKind, n, study int) {
	gr.Type = tk.columnType
	gr.TestKind = tk.name
	gr.Weight = tk.minWeight + r.IntN(tk.maxWeight-tk.minWeight+1)
	gr.Description = fmt.Sprintf(tk.describe, n)
	// The exam dossier starts in the fourth year: its big tests count there.
	if study >= 4 && (tk.name == "PW" || tk.name == "PO") {
		gr.InExam = true
		gr.ExamWeight = 1 + r.IntN(3)
	}
}

// special turns a plain test grade into one of the special cases.
func (b *gradeBuilder) special(gr school.Grade, what special, day time.Time) []school.Grade {
	switch what {
	case resit:
		b.setKind(&gr, kindPW, 0)
		gr.Description = "Proefwerk herkansbaar"
		gr.Tenths = 40 + b.r.IntN(13) // a fail, so that the re-sit matters
		gr.ResitType = resitBest
		tenths := 60 + b.r.IntN(20)
		again := resitOf(&gr, tenths, b.enteredOn(b.later(day, 8)))
		return []school.Grade{gr, again}
	case notCounting:
		b.setKind(&gr, kindSO, 0)
		gr.Description = "Oefentoets"
		gr.NotCounting = true
	case notMade:
		markNotMade(&gr)
	}
	return []school.Grade{gr}
}

// resitBest is the herkansingstype of a test whose better attempt holds.
const resitBest = "EenKeerHoogste"

// resitOf is the re-sit of first (a test of type resitBest) with the
// value tenths, entered at entered; first's Current becomes the better of
// the two attempts.
func resitOf(first *school.Grade, tenths int, entered time.Time) school.Grade {
	again := *first
	again.ResitNumber = 1
	again.Tenths = tenths
	again.Current = tenths
	again.Description = first.Description + " (herkansing)"
	again.Entered = entered
	first.Current = max(first.Tenths, tenths)
	return again
}

// markNotMade turns gr into a test the pupil did not make: no value.
func markNotMade(gr *school.Grade) {
	gr.Tenths, gr.Current, gr.HasValue = 0, 0, false
	gr.NotMade = true
}

func (b *gradeBuilder) later(day time.Time, n int) time.Time { return b.year.later(day, n) }

// later is the school day n school days after day, or the year's last.
func (y yearPlan) later(day time.Time, n int) time.Time {
	days := y.days
	for i, d := range days {
		if d.Equal(day) {
			return days[min(i+n, len(days)-1)]
		}
	}
	return day
}

// enteredOn is a plausible moment on a school day at which a teacher
// enters a grade: in the working day, to the millisecond.
func (b *gradeBuilder) enteredOn(day time.Time) time.Time {
	return enteredOn(b.r, day)
}

func enteredOn(r *rand.Rand, day time.Time) time.Time {
	y, m, d := day.Date()
	minute := 8*60 + r.IntN(9*60+30)
	return time.Date(y, m, d, minute/60, minute%60, r.IntN(60),
		r.IntN(1000)*int(time.Millisecond), school.Amsterdam)
}

// averages are the period and report average columns of each subject with
// a grade that counts, computed the way clients see them computed.
func (b *gradeBuilder) averages(gs []school.Grade) []school.Grade {
	subjects := make([]school.ID, len(b.class.spec.subjects))
	for i, sh := range b.class.spec.subjects {
		subjects[i] = b.g.subjects[subjectIndex(sh.abbrev)].ID
	}
	return averageColumns(gs, subjects, b.average)
}

// averageColumns computes, subject by subject in the order given, the
// average of each period that has grades and then of the whole year, as
// school.Average does (the way decisions.md says clients compute them),
// and has column make the grade of each average that exists: typ is
// ColumnPeriodAverage or ColumnReportAverage, period the period averaged
// (the last one with grades for the year), from the grades averaged.
func averageColumns(gs []school.Grade, subjects []school.ID, column func(typ string,
	subject school.ID, period, tenths int, from []school.Grade) school.Grade) []school.Grade {
	var out []school.Grade
	for _, sub := range subjects {
		var year []school.Grade
		last := 0
		for p := 1; p <= periods; p++ {
			var in []school.Grade
			for _, gr := range gs {
				if gr.SubjectID == sub && gr.Period == p {
					in = append(in, gr)
				}
			}
			if len(in) == 0 {
				continue
			}
			year = append(year, in...)
			last = p
			if avg, ok := school.Average(in); ok {
				out = append(out, column(school.ColumnPeriodAverage, sub, p, avg, in))
			}
		}
		if avg, ok := school.Average(year); ok {
			out = append(out, column(school.ColumnReportAverage, sub, last, avg, year))
		}
	}
	return out
}

// average is an average column, entered just after the latest grade it
// covers, as the real service recomputes it when a grade comes in.
func (b *gradeBuilder) average(typ string, sub school.ID, period, tenths int,
	from []school.Grade) school.Grade {
	gr := averageGrade(b.r, typ, period, tenths, from, b.g.today)
	gr.SchoolID, gr.PupilID, gr.SubjectID = b.g.school.ID, b.pupil.ID, sub
	gr.ColumnID = b.g.id(kindColumn)
	gr.StudyYear = b.study
	return gr
}

// averageGrade is the value of an average column over from, entered a
// moment after the latest of them (and before today), in the progress
// dossier; school, pupil, subject, column and study year are the
// caller's to set.
func averageGrade(r *rand.Rand, typ string, period, tenths int, from []school.Grade,
	today time.Time) school.Grade {
	latest := from[0].Entered
	for _, gr := range from[1:] {
		if gr.Entered.After(latest) {
			latest = gr.Entered
		}
	}
	entered := latest.Add(time.Duration(1+r.IntN(5000)) * time.Millisecond)
	if !entered.Before(today) {
		entered = latest
	}
	return school.Grade{
		Type:            typ,
		Tenths:          tenths,
		HasValue:        true,
		Current:         tenths,
		Entered:         entered,
		Period:          period,
		ResitType:       "Geen",
		InProgress:      true,
		ReportTenths:    tenths,
		HasReportTenths: true,
	}
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
