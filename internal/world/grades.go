package world

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// columnTypes are the column types (5.13 of the API notes) a test may
// have.
var columnTypes = []string{
	"Toetskolom", "SamengesteldeToetsKolom", "DeeltoetsKolom", "RapportToetskolom",
	"Werkstukcijferkolom", "CentraalExamenkolom", "DeelCentraalExamenkolom", "Advieskolom",
	"PeriodeGemiddeldeKolom", "RapportGemiddeldeKolom", "RapportCijferKolom",
	"SEGemiddeldeKolom", "SECijferKolom", "ExamenGemiddeldeKolom", "ExamenCijferKolom",
	"CentraalExamenVariantKolom", "ToetssoortGemiddeldeKolom", "BRONEindcijfer",
}

// resitTypes are the herkansing values with the re-sits each allows.
var resitTypes = map[string]int{
	"Geen": 0, "EenKeerHoogste": 1, "EenKeerLaatste": 1, "EenkeerGemiddeld": 1,
	"TweeKeerHoogste": 2, "TweeKeerLaatste": 2, "TweeKeerGemiddeld": 2,
}

// gradeTime is when a grade given by date alone was entered: after
// school.
var gradeTime = clock{16, 0}

// grades reads the tests and their grades, numbers the columns and adds
// the averages.
func (s *schoolBuilder) grades() {
	var all []school.Grade
	years := map[school.ID]school.SchoolYear{} // grade id -> year, for the averages
	names := map[string]string{}               // group + test -> path
	for i, td := range s.doc.Tests {
		p := fmt.Sprintf("%s.tests[%d]", s.path, i)
		gs, year := s.test(p, td, names)
		for _, g := range gs {
			years[g.ID] = year
		}
		all = append(all, gs...)
	}
	numberColumns(all)
	if s.doc.Averages == nil || *s.doc.Averages {
		all = append(all, s.averages(all, years)...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Entered.Before(all[j].Entered) })
	s.b.w.Grades = append(s.b.w.Grades, all...)
}

// testHead is what a test says of every grade in it.
type testHead struct {
	group      *groupInfo
	column     school.ID
	entered    time.Time
	resitAt    time.Time
	resits     int
	template   school.Grade
	levelGiven bool
}

// test reads one test and makes its grades.
func (s *schoolBuilder) test(p string, td testDoc, names map[string]string) ([]school.Grade,
	school.SchoolYear) {
	h, ok := s.testHead(p, td, names)
	if !ok {
		return nil, school.SchoolYear{}
	}
	var out []school.Grade
	if len(td.Grades) == 0 {
		s.errf(p+".grades", "want at least one grade (pupil: value)")
	}
	for _, e := range td.Grades {
		pi, ok := s.pupilRef(e.Path, e.Pupil)
		if !ok {
			continue
		}
		if !slices.Contains(h.group.g.PupilIDs, pi.p.ID) {
			if pi.strayed {
				continue
			}
			s.errf(e.Path, "pupil %s is not in group %q", e.Pupil, h.group.g.Name)
			continue
		}
		out = append(out, s.pupilGrades(e, pi, td, h)...)
	}
	return out, h.group.year
}

func (s *schoolBuilder) testHead(p string, td testDoc, names map[string]string) (testHead,
	bool) {
	var h testHead
	gi, ok := s.groupRef(p+".group", td.Group)
	if !ok {
		return h, false
	}
	h.group = gi
	if gi.g.SubjectID == 0 {
		s.errf(p+".group", "%q is a class without subject: tests belong to lesson groups",
			td.Group)
		return h, false
	}
	if td.Name == "" {
		s.errf(p+".name", "required")
		return h, false
	}
	if other, taken := names[td.Group+"\x00"+td.Name]; taken {
		s.errf(p+".name", "group %q already has a test %q (%s)", td.Group, td.Name, other)
		return h, false
	}
	names[td.Group+"\x00"+td.Name] = p
	var ok2 bool
	if h.entered, _, ok2 = s.b.dateTime(p+".date", td.Date, gradeTime); !ok2 {
		return h, false
	}
	typ := td.Type
	if typ == "" {
		typ = school.ColumnTest
	} else if !slices.Contains(columnTypes, typ) {
		s.errf(p+".type", "want a column type such as Toetskolom or Werkstukcijferkolom, got %q",
			typ)
	}
	weight := 1
	if td.Weight != nil {
		weight = *td.Weight
	}
	if weight < 0 || weight > 100 {
		s.errf(p+".weight", "want 0 to 100, got %d", weight)
	}
	if td.ExamWeight < 0 || td.ExamWeight > 100 {
		s.errf(p+".examWeight", "want 0 to 100, got %d", td.ExamWeight)
	}
	period := td.Period
	if period == 0 {
		period = periodOf(h.entered, gi.year)
	} else if period < 1 || period > 9 {
		s.errf(p+".period", "want 1 to 9, got %d", period)
	}
	resit := td.Resit
	if resit == "" {
		resit = "Geen"
	}
	n, known := resitTypes[resit]
	if !known {
		s.errf(p+".resit", "want Geen, EenKeerHoogste, EenKeerLaatste, EenkeerGemiddeld, "+
			"TweeKeerHoogste, TweeKeerLaatste or TweeKeerGemiddeld, got %q", resit)
	}
	h.resits = n
	h.resitAt = h.entered.AddDate(0, 0, 14)
	if td.ResitDate != "" {
		if h.resitAt, _, ok2 = s.b.dateTime(p+".resitDate", td.ResitDate, gradeTime); !ok2 {
			return h, false
		}
	}
	if td.Level < 0 || td.Level > 12 {
		s.errf(p+".level", "want 1 to 12, got %d", td.Level)
	}
	h.column = derivedID(kindColumn, s.key, td.Group, td.Name)
	h.template = school.Grade{SchoolID: s.s.ID, SubjectID: gi.g.SubjectID, ColumnID: h.column,
		Type: typ, Weight: weight, ExamWeight: td.ExamWeight, Period: period,
		StudyYear: td.Level, Description: td.Name, TestKind: td.Kind, ResitType: resit,
		InExam: td.InExam, InProgress: td.InProgress == nil || *td.InProgress}
	h.levelGiven = td.Level != 0
	return h, true
}

// pupilGrades is one pupil's first attempt and re-sits.
func (s *schoolBuilder) pupilGrades(e gradeEntry, pi *pupilInfo, td testDoc,
	h testHead) []school.Grade {
	gd := e.Grade
	g := h.template
	g.PupilID = pi.p.ID
	g.Entered = h.entered
	if !h.levelGiven {
		g.StudyYear = h.group.level
		if g.StudyYear == 0 && pi.class != nil {
			g.StudyYear = pi.class.level
		}
	}
	if gd.Date != "" {
		if t, _, ok := s.b.dateTime(e.Path+".date", gd.Date, gradeTime); ok {
			g.Entered = t
		}
	}
	g.NotMade, g.Exempt, g.NotCounting = gd.NotMade, gd.Exempt, gd.NotCounting
	switch {
	case gd.Value.Set && gd.Label != "":
		s.errf(e.Path+".label", "give value or label, not both")
	case gd.Value.Set:
		g.Tenths, g.Current, g.HasValue = gd.Value.Tenths, gd.Value.Tenths, true
	case gd.Label != "":
		if len(gd.Label) > 10 || strings.ContainsAny(gd.Label, " \t") {
			s.errf(e.Path, "want a short label such as V, G or O, got %q", gd.Label)
		}
		g.Label = gd.Label
	case !gd.NotMade && !gd.Exempt:
		s.errf(e.Path, "want a value or a label (or notMade or exempt)")
	}
	g.ID = derivedID(kindGrade, s.key, td.Group, td.Name, pi.key)
	if other, ok := s.b.ids.claim(kindGrade, g.ID, e.Path); !ok {
		s.errf(e.Path, "id %d is taken by %s", g.ID, other)
	}
	if len(gd.Resit) == 0 {
		return []school.Grade{g}
	}
	if len(gd.Resit) > h.resits {
		s.errf(e.Path+".resit", "test %q allows %d re-sit(s) (its resit is %s), got %d",
			td.Name, h.resits, g.ResitType, len(gd.Resit))
		return []school.Grade{g}
	}
	if !g.HasValue {
		s.errf(e.Path+".resit", "a re-sit needs a first attempt with a value")
		return []school.Grade{g}
	}
	out := []school.Grade{g}
	at := h.resitAt
	if gd.ResitDate != "" {
		if t, _, ok := s.b.dateTime(e.Path+".resitDate", gd.ResitDate, gradeTime); ok {
			at = t
		}
	}
	values := []int{g.Tenths}
	for k, r := range gd.Resit {
		again := g
		again.ResitNumber = k + 1
		again.Tenths, again.Current = r.Tenths, r.Tenths
		again.Description = g.Description + " (herkansing)"
		again.Entered = at.AddDate(0, 0, 14*k)
		again.ID = derivedID(kindGrade, s.key, td.Group, td.Name, pi.key, strconv.Itoa(k+1))
		if other, ok := s.b.ids.claim(kindGrade, again.ID, e.Path); !ok {
			s.errf(e.Path, "id %d is taken by %s", again.ID, other)
		}
		values = append(values, r.Tenths)
		out = append(out, again)
	}
	out[0].Current = currentOf(g.ResitType, values)
	return out
}

// currentOf is the value that holds after re-sits: the highest, the last,
// or the average of the attempts (rounded half up), as the type says.
func currentOf(resitType string, values []int) int {
	switch {
	case strings.HasSuffix(resitType, "Hoogste"):
		return slices.Max(values)
	case strings.HasSuffix(resitType, "Laatste"):
		return values[len(values)-1]
	case strings.HasSuffix(resitType, "Gemiddeld"):
		sum := 0
		for _, v := range values {
			sum += v
		}
		return (2*sum + len(values)) / (2 * len(values))
	}
	return values[0]
}

// numberColumns sets volgnummer: each pupil's columns of a subject counted
// in the order they were first entered; a re-sit keeps its column's number.
func numberColumns(gs []school.Grade) {
	order := make([]int, len(gs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return gs[order[i]].Entered.Before(gs[order[j]].Entered)
	})
	type pupilCol struct{ pupil, col school.ID }
	type pupilSub struct{ pupil, sub school.ID }
	seq := map[pupilCol]int{}
	next := map[pupilSub]int{}
	for _, i := range order {
		g := &gs[i]
		pc := pupilCol{g.PupilID, g.ColumnID}
		if _, ok := seq[pc]; !ok {
			ps := pupilSub{g.PupilID, g.SubjectID}
			next[ps]++
			seq[pc] = next[ps]
		}
		g.Seq = seq[pc]
	}
}

// averages are the period and report average columns of every pupil's
// subjects in every year, computed the way clients compute them
// (school.Average), entered a second after the latest grade they cover.
func (s *schoolBuilder) averages(gs []school.Grade, years map[school.ID]school.SchoolYear) []school.Grade {
	type bucket struct {
		pupil, subject school.ID
		year           school.SchoolYear
	}
	var keys []bucket
	by := map[bucket][]school.Grade{}
	for _, g := range gs {
		k := bucket{g.PupilID, g.SubjectID, years[g.ID]}
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], g)
	}
	var out []school.Grade
	for _, k := range keys {
		year := by[k]
		periods := map[int][]school.Grade{}
		var list []int
		for _, g := range year {
			if _, ok := periods[g.Period]; !ok {
				list = append(list, g.Period)
			}
			periods[g.Period] = append(periods[g.Period], g)
		}
		slices.Sort(list)
		for _, p := range list {
			if avg, ok := school.Average(periods[p]); ok {
				out = append(out, s.average(school.ColumnPeriodAverage, p, avg, periods[p], k.year))
			}
		}
		if avg, ok := school.Average(year); ok {
			out = append(out, s.average(school.ColumnReportAverage, list[len(list)-1], avg, year,
				k.year))
		}
	}
	return out
}

func (s *schoolBuilder) average(typ string, period, tenths int, from []school.Grade,
	y school.SchoolYear) school.Grade {
	latest := from[0]
	for _, g := range from[1:] {
		if g.Entered.After(latest.Entered) {
			latest = g
		}
	}
	key := []string{s.key, strconv.FormatInt(int64(latest.PupilID), 10),
		strconv.FormatInt(int64(latest.SubjectID), 10), y.Name, typ, strconv.Itoa(period)}
	id := derivedID(kindGrade, key...)
	if other, ok := s.b.ids.claim(kindGrade, id, s.path+".tests"); !ok {
		s.errf(s.path+".tests", "id %d of an average is taken by %s", id, other)
	}
	return school.Grade{ID: id, SchoolID: s.s.ID, PupilID: latest.PupilID,
		SubjectID: latest.SubjectID, ColumnID: derivedID(kindColumn, key...), Type: typ,
		Tenths: tenths, HasValue: true, Current: tenths, Entered: latest.Entered.Add(time.Second),
		Period: period, StudyYear: latest.StudyYear, ResitType: "Geen", InProgress: true,
		ReportTenths: tenths, HasReportTenths: true}
}
