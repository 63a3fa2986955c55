package demo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// regionOf is a seeded school's region, from its town.
func regionOf(t *testing.T, s school.School) Region {
	t.Helper()
	for _, c := range seedCities {
		if c.name == s.City {
			return c.region
		}
	}
	t.Fatalf("school %s in unknown town %s", s.Name, s.City)
	return ""
}

func TestSeedCalendar(t *testing.T) {
	w, _ := smallWorld(t)
	for _, s := range w.Schools {
		r := regionOf(t, s)
		var want, got []Holiday
		schoolDays := map[time.Time]bool{}
		for _, y := range w.Years {
			if y.SchoolID == s.ID {
				want = append(want, r.Holidays(y.From.Year())...)
				for _, d := range r.SchoolDays(y.From.Year()) {
					schoolDays[d] = true
				}
			}
		}
		for _, h := range w.Holidays {
			if h.SchoolID == s.ID {
				got = append(got, Holiday{h.Name, h.From, h.To})
			}
		}
		if len(got) != len(want) || len(want) != 5*smallSeed.Years {
			t.Fatalf("%s: %d holidays, want the %d of region %s", s.Name, len(got), len(want), r)
		}
		for i := range want {
			if got[i].Name != want[i].Name || !got[i].From.Equal(want[i].From) {
				t.Errorf("%s: holiday %d is %+v, want %+v", s.Name, i, got[i], want[i])
			}
		}
		for _, l := range w.Lessons {
			if l.SchoolID == s.ID && !schoolDays[school.DateOf(l.Start)] {
				t.Fatalf("%s: a lesson on %s, no school day of region %s", s.Name,
					school.FormatDate(l.Start), r)
			}
		}
	}
}

func TestSeedTimetable(t *testing.T) {
	w, _ := smallWorld(t)
	firstPupil := map[school.ID]school.ID{} // group -> its first member
	for _, g := range w.Groups {
		firstPupil[g.ID] = g.PupilIDs[0]
	}
	teacherAt := map[string]bool{}
	classAt := map[string]bool{}
	roomAt := map[string]bool{}
	cancelled, moved := 0, 0
	usual := map[school.ID]map[school.ID]int{} // group -> teacher -> lessons
	for _, l := range w.Lessons {
		at := l.Start.UnixMilli()
		if k := fmt.Sprint(firstPupil[l.GroupID], at); classAt[k] {
			t.Fatalf("a class has two lessons at %v", l.Start)
		} else {
			classAt[k] = true
		}
		if k := fmt.Sprint(l.SchoolID, l.Location, at); roomAt[k] {
			t.Fatalf("two lessons in %s at %v", l.Location, l.Start)
		} else {
			roomAt[k] = true
		}
		if k := fmt.Sprint(l.StaffIDs[0], at); teacherAt[k] {
			t.Fatalf("teacher %d teaches two lessons at %v", l.StaffIDs[0], l.Start)
		} else {
			teacherAt[k] = true
		}
		if usual[l.GroupID] == nil {
			usual[l.GroupID] = map[school.ID]int{}
		}
		usual[l.GroupID][l.StaffIDs[0]]++
		if l.Status == school.StatusCancelled {
			cancelled++
		}
		if !strings.HasPrefix(l.Title, l.Location+" - ") {
			t.Fatalf("lesson in %s titled %q", l.Location, l.Title)
		}
		for _, room := range spareRooms {
			if l.Location == room {
				moved++
			}
		}
	}
	replaced := 0
	for _, teachers := range usual {
		if len(teachers) > 1 {
			replaced++
		}
	}
	share := float64(cancelled) / float64(len(w.Lessons))
	if share < 0.01 || share > 0.05 || moved == 0 || replaced == 0 {
		t.Errorf("%d lessons: %.3f cancelled, %d moved, %d groups with a substitute",
			len(w.Lessons), share, moved, replaced)
	}
}

// TestSeedWeeks: a subject of one and a half hours has two lessons in an
// A week and one in a B week; and the planner finds room for nearly every
// hour of every class.
func TestSeedWeeks(t *testing.T) {
	w, _ := smallWorld(t)
	var group school.Group
	for _, g := range w.Groups {
		if strings.HasPrefix(g.Name, "1h-mu") {
			group = g // havo 1: muziek 1.5
		}
	}
	if group.ID == 0 {
		t.Fatal("no 1h-mu group")
	}
	perWeek := map[[2]int]int{}
	for _, l := range w.Lessons {
		if l.GroupID == group.ID {
			y, wk := l.Start.ISOWeek()
			perWeek[[2]int{y, wk}]++
		}
	}
	most := [2]int{}
	for yw, n := range perWeek {
		wt := weekType(isoWeekMonday(yw[0], yw[1]))
		most[wt] = max(most[wt], n)
	}
	if most != [2]int{2, 1} {
		t.Errorf("muziek in havo 1: at most %d lessons in an A week and %d in a B week, "+
			"want 2 and 1", most[weekA], most[weekB])
	}

	s := newSeedSchool(&seedWorld{opts: smallSeed, today: school.DateOf(testNow),
		hashes: passwordHashes{}, stems: []int{0}}, 0)
	if _, err := s.people(); err != nil {
		t.Fatal(err)
	}
	for back := range smallSeed.Years {
		y := s.plan(back)
		want, placed := 0, 0
		for _, yc := range y.classes {
			for wt := range y.weeks {
				for _, l := range yc.loads {
					want += l.hours(wt == weekA)
				}
				for _, day := range yc.week[wt] {
					placed += len(day)
				}
			}
		}
		if placed < want*97/100 {
			t.Errorf("year %d back: %d of %d weekly hours placed", back, placed, want)
		}
	}
}

// isAverageType reports whether a column type is an average.
func isAverageType(typ string) bool {
	return strings.HasSuffix(typ, "GemiddeldeKolom")
}

func TestSeedGrades(t *testing.T) {
	w, _ := smallWorld(t)
	today := school.DateOf(testNow)
	type key struct {
		pupil, subject school.ID
		study          int
	}
	tests := map[key][]school.Grade{}
	averages := map[key][]school.Grade{}
	pupilsOf := map[school.ID]map[school.ID]bool{} // column -> pupils
	first := map[string]school.Grade{}             // column/pupil -> first attempt
	resits := 0
	for _, g := range w.Grades {
		if !g.Entered.Before(today) {
			t.Fatalf("grade %d entered %v, not before today", g.ID, g.Entered)
		}
		k := key{g.PupilID, g.SubjectID, g.StudyYear}
		if isAverageType(g.Type) {
			averages[k] = append(averages[k], g)
			if g.Weight != 0 {
				t.Errorf("average %d has weight %d", g.ID, g.Weight)
			}
			continue
		}
		tests[k] = append(tests[k], g)
		if pupilsOf[g.ColumnID] == nil {
			pupilsOf[g.ColumnID] = map[school.ID]bool{}
		}
		pupilsOf[g.ColumnID][g.PupilID] = true
		if g.Weight < 1 || (g.InExam && g.StudyYear < 4) {
			t.Errorf("grade %d: weight %d, exam %v in year %d", g.ID, g.Weight, g.InExam,
				g.StudyYear)
		}
		ck := fmt.Sprint(g.ColumnID, "/", g.PupilID)
		if g.ResitNumber == 0 {
			first[ck] = g
			continue
		}
		resits++
		f, ok := first[ck]
		if !ok || f.ResitType != resitBest || f.Current != max(f.Tenths, g.Tenths) {
			t.Errorf("re-sit %d: first attempt %+v", g.ID, f)
		}
	}
	if resits == 0 {
		t.Error("no re-sits")
	}
	for col, ps := range pupilsOf {
		if len(ps) < 2 {
			t.Errorf("column %d has one pupil: classmates must share columns", col)
		}
	}
	checked := map[string]int{}
	for k, avgs := range averages {
		for _, a := range avgs {
			var from []school.Grade
			for _, g := range tests[k] {
				switch a.Type {
				case school.ColumnPeriodAverage:
					if g.Period == a.Period {
						from = append(from, g)
					}
				case school.ColumnReportAverage:
					from = append(from, g)
				case school.ColumnSEAverage:
					if g.InExam {
						from = append(from, g)
					}
				}
			}
			want, ok := school.Average(from)
			if !ok || a.Tenths != want || a.ReportTenths != want {
				t.Fatalf("%s of pupil %d, subject %d, year %d: %d, want %d (%v)", a.Type,
					k.pupil, k.subject, k.study, a.Tenths, want, ok)
			}
			checked[a.Type]++
		}
	}
	for _, typ := range []string{school.ColumnPeriodAverage, school.ColumnReportAverage,
		school.ColumnSEAverage} {
		if checked[typ] == 0 {
			t.Errorf("no %s", typ)
		}
	}
}

func TestSeedRecords(t *testing.T) {
	w, _ := smallWorld(t)
	today := school.DateOf(testNow)
	members := map[school.ID]map[school.ID]bool{}
	for _, g := range w.Groups {
		members[g.ID] = map[school.ID]bool{}
		for _, p := range g.PupilIDs {
			members[g.ID][p] = true
		}
	}
	lessons := map[school.ID]school.Lesson{}
	for _, l := range w.Lessons {
		lessons[l.ID] = l
	}
	late := map[school.ID]int{}
	for _, o := range w.Observations {
		l, ok := lessons[o.LessonID]
		if !ok || !members[l.GroupID][o.PupilID] || !l.End.Before(today) ||
			l.Status != school.StatusActive || !o.Start.Equal(l.Start) {
			t.Fatalf("observation %+v on lesson %+v", o, l)
		}
		if o.Registration == school.RegLate {
			late[o.PupilID]++
		}
	}
	if len(w.Observations) < len(w.Pupils) || len(w.AbsenceReports) == 0 {
		t.Errorf("%d observations, %d reports for %d pupils", len(w.Observations),
			len(w.AbsenceReports), len(w.Pupils))
	}
	for _, m := range w.Measures {
		if late[m.PupilID] < 3 {
			t.Errorf("measure for pupil %d, late %d times", m.PupilID, late[m.PupilID])
		}
	}
	if len(w.Measures) == 0 {
		t.Error("no measures")
	}
	for _, h := range w.Homework {
		if h.Kind == school.HomeworkLesson {
			l, ok := lessons[h.LessonID]
			if !ok || l.GroupID != h.GroupID || !l.Start.Equal(h.Due) {
				t.Fatalf("homework %+v on lesson %+v", h, l)
			}
		}
	}
	if len(w.Homework) < len(w.Groups) || len(w.StudyGuides) == 0 {
		t.Errorf("%d homework items, %d guides", len(w.Homework), len(w.StudyGuides))
	}
	accounts := map[school.ID]school.ID{}
	for _, a := range w.Accounts {
		accounts[a.ID] = a.SchoolID
	}
	for _, c := range w.Conversations {
		if !c.Sent.Before(today) || len(c.Recipients) == 0 {
			t.Errorf("conversation %+v", c)
		}
		for _, r := range c.Recipients {
			if accounts[r] != c.SchoolID {
				t.Errorf("conversation %d to account %d of another school", c.ID, r)
			}
		}
	}
	if len(w.Conversations) == 0 {
		t.Error("no conversations")
	}
}
