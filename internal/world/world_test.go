package world_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.yaml.in/yaml/v3"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/world"
)

// TestDefaults: a few lines make a whole school, every left-out value
// filled in.
func TestDefaults(t *testing.T) {
	w := load(t, `schools:
  - name: De Proefschool
    pupils:
      - name: Emma de Jong
        password: appel-peer-12
`)
	if len(w.Schools) != 1 || len(w.Branches) != 1 || len(w.Pupils) != 1 || len(w.Accounts) != 1 {
		t.Fatalf("schools %d, branches %d, pupils %d, accounts %d; want one of each",
			len(w.Schools), len(w.Branches), len(w.Pupils), len(w.Accounts))
	}
	s := w.Schools[0]
	if s.Tenant != "deproefschool" || s.Abbrev != "DP" || s.PasswordGrantOff {
		t.Errorf("school = %+v", s)
	}
	if w.Branches[0].Name != s.Name || w.Branches[0].SchoolID != s.ID {
		t.Errorf("branch = %+v", w.Branches[0])
	}
	if len(w.Years) != 1 || w.Years[0].Name != "2024/2025" ||
		!w.Years[0].From.Equal(school.Date(2024, time.August, 1)) ||
		!w.Years[0].To.Equal(school.Date(2025, time.July, 31)) {
		t.Errorf("years = %+v, want 2024/2025 from 1 August to 31 July", w.Years)
	}
	if len(w.LessonHours) != 8 || w.LessonHours[0].Begin != "08:30" {
		t.Errorf("lesson hours = %+v, want the demo's eight from 08:30", w.LessonHours)
	}
	if len(w.Holidays) != 6 || w.Holidays[0].Name != "Zomervakantie" {
		t.Errorf("holidays = %+v, want last summer's and the year's five", w.Holidays)
	}
	if len(w.AbsenceReasons) != 6 {
		t.Errorf("%d absence reasons, want the demo's six", len(w.AbsenceReasons))
	}

	p := w.Pupils[0]
	if p.Name != (school.Name{First: "Emma", Prefix: "de", Last: "Jong"}) || p.Number != 1001 ||
		p.BranchID != w.Branches[0].ID || p.Email != "1001@leerling.deproefschool.example" ||
		p.Gender != "Man" || len(p.PhotoToken) != 32 {
		t.Errorf("pupil = %+v", p)
	}
	a := w.Accounts[0]
	if a.Username != "1001" || a.Role != school.RolePupil || a.PersonID != p.ID ||
		a.DemoPassword != "appel-peer-12" {
		t.Errorf("account = %+v", a)
	}
	if ok, err := passwd.Verify(a.PasswordHash, "appel-peer-12"); !ok || err != nil {
		t.Errorf("the password does not verify against its hash: %v", err)
	}
	if !strings.Contains(a.PasswordHash, "m=64,t=1,p=1") {
		t.Errorf("hash %s is not at the demo cost", a.PasswordHash)
	}
	for _, id := range []school.ID{s.ID, p.ID, a.ID} {
		if id < 1e12 || id >= 1<<53 {
			t.Errorf("id %d: want thirteen digits or more and below 2^53", id)
		}
	}
	for _, u := range []string{s.UUID, p.UUID, a.UUID} {
		if parsed, err := uuid.Parse(u); err != nil || parsed.Version() != 5 {
			t.Errorf("UUID %q: want a version-5 UUID (%v)", u, err)
		}
	}
	if !strings.HasPrefix(w.Source, "world-file:") {
		t.Errorf("Source = %q", w.Source)
	}
}

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../examples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// toJSON writes a YAML document as JSON, as a user of the JSON form would.
func toJSON(t *testing.T, text []byte) []byte {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(text, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(stringKeys(v), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stringKeys turns YAML's number keys (a grade's pupil number) and dates
// into the strings JSON has.
func stringKeys(v any) any {
	switch x := v.(type) {
	case time.Time: // YAML reads an unquoted date as a timestamp
		return x.Format("2006-01-02")
	case map[any]any:
		out := map[string]any{}
		for k, e := range x {
			out[fmt.Sprint(k)] = stringKeys(e)
		}
		return out
	case map[string]any:
		for k, e := range x {
			x[k] = stringKeys(e)
		}
	case []any:
		for i, e := range x {
			x[i] = stringKeys(e)
		}
	}
	return v
}

// TestDeterminism: the same file gives the very same world, at any time
// of the same day and in YAML or JSON; an entity's ids do not depend on
// the others in the file.
func TestDeterminism(t *testing.T) {
	text := readExample(t, "school.yaml")
	a, err := world.Load("a.yaml", text, world.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	b, err := world.Load("b.yaml", text, world.Options{Now: now.Add(5 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two loads of one file differ")
	}
	c, err := world.Load("c.json", toJSON(t, text), world.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, c) {
		t.Errorf("the JSON form gives another world")
	}

	// A pupil added at the front renumbers nobody.
	more := strings.Replace(string(text), "    pupils:\n",
		"    pupils:\n      - {name: Noor Smit, number: 203009, class: 4havo-a}\n", 1)
	d, err := world.Load("d.yaml", []byte(more), world.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if d.Source == a.Source {
		t.Errorf("another file has the same Source")
	}
	for _, p := range a.Pupils {
		k := slices.IndexFunc(d.Pupils, func(q school.Pupil) bool { return q.Number == p.Number })
		if k < 0 || d.Pupils[k].ID != p.ID || d.Pupils[k].UUID != p.UUID {
			t.Errorf("pupil %d changed id or UUID when another pupil was added", p.Number)
		}
	}
}

// lessonsOn lists the group's lessons starting on a date.
func lessonsOn(w *school.World, group string, date string) []school.Lesson {
	var gid school.ID
	for _, g := range w.Groups {
		if g.Name == group {
			gid = g.ID
		}
	}
	var out []school.Lesson
	for _, l := range w.Lessons {
		if l.GroupID == gid && school.FormatDate(l.Start) == date {
			out = append(out, l)
		}
	}
	return out
}

// TestTimetable: weekly slots repeat over the year, skip holidays, keep to
// odd or even weeks, and take their exceptions.
func TestTimetable(t *testing.T) {
	w := load(t, base+`    holidays: [{name: Voorjaarsvakantie, from: 2025-02-22, to: 2025-03-02}]
    timetable:
      - {day: monday, hour: 1, group: 4A-wi, teacher: jvr, room: A1}
      - {day: thursday, hour: 3, endHour: 4, group: 4A-wi, weeks: odd}
      - {day: friday, time: "13:00-13:45", group: 4A, title: Mentoruur, from: 2025-03-01,
         to: 2025-03-31}
    lessons:
      - {date: 2025-03-05, hour: 8, group: 4A-wi, teacher: jvr, cancelled: true}
    changes:
      - {group: 4A-wi, date: 2025-03-03, cancelled: true}
      - {group: 4A-wi, date: 2025-03-10, moveTo: {date: 2025-03-11, hour: 3}}
      - {group: 4A-wi, date: 2025-03-17, room: B2}
      - {group: 4A, date: 2025-03-07, room: Aula}
`)
	if got := lessonsOn(w, "4A-wi", "2025-02-24"); len(got) != 0 {
		t.Errorf("lessons in the holiday: %+v", got)
	}
	if got := lessonsOn(w, "4A-wi", "2025-03-03"); len(got) != 1 ||
		got[0].Status != school.StatusCancelled {
		t.Errorf("3 March: %+v, want one cancelled lesson", got)
	}
	if got := lessonsOn(w, "4A-wi", "2025-03-10"); len(got) != 0 {
		t.Errorf("10 March: %+v, want none (moved away)", got)
	}
	moved := lessonsOn(w, "4A-wi", "2025-03-11")
	if len(moved) != 1 || moved[0].BeginHour != 3 ||
		moved[0].Start.Format("15:04") != "10:25" || moved[0].End.Format("15:04") != "11:15" {
		t.Errorf("11 March: %+v, want the lesson moved to hour 3", moved)
	}
	if got := lessonsOn(w, "4A-wi", "2025-03-17"); len(got) != 1 || got[0].Location != "B2" ||
		got[0].Title != "B2 - 4A-wi - jvr" {
		t.Errorf("17 March: %+v, want room B2 in the title", got)
	}
	if got := lessonsOn(w, "4A", "2025-03-07"); len(got) != 1 || got[0].Title != "Mentoruur" ||
		got[0].Location != "Aula" || got[0].BeginHour != 0 ||
		got[0].Start.Format("15:04") != "13:00" {
		t.Errorf("7 March: %+v, want the mentor hour in the Aula, its own title kept", got)
	}
	if got := lessonsOn(w, "4A", "2025-04-04"); len(got) != 0 {
		t.Errorf("4 April, after the slot's range: %+v", got)
	}
	if got := lessonsOn(w, "4A-wi", "2025-03-05"); len(got) != 1 ||
		got[0].Status != school.StatusCancelled || got[0].BeginHour != 8 {
		t.Errorf("5 March: %+v, want the single cancelled lesson", got)
	}
	for _, l := range w.Lessons {
		_, week := l.Start.ISOWeek()
		if l.Start.Weekday() == time.Thursday && (week%2 == 0 || l.EndHour != 4) {
			t.Errorf("Thursday lesson %s in week %d, hours %d-%d; want odd weeks, hours 3-4",
				l.Start, week, l.BeginHour, l.EndHour)
		}
	}
	for i := 1; i < len(w.Lessons); i++ {
		if w.Lessons[i].Start.Before(w.Lessons[i-1].Start) {
			t.Fatalf("lessons are not in time order at %d", i)
		}
	}
}

// gradesOf are a pupil's grades of one kind of column, by pupil number.
func gradesOf(w *school.World, number int64, typ string) []school.Grade {
	var id school.ID
	for _, p := range w.Pupils {
		if p.Number == number {
			id = p.ID
		}
	}
	var out []school.Grade
	for _, g := range w.Grades {
		if g.PupilID == id && g.Type == typ {
			out = append(out, g)
		}
	}
	return out
}

// TestGrades: columns shared by the group, weights, re-sits with the value
// that holds, labels, and averages computed as clients compute them.
func TestGrades(t *testing.T) {
	text := base + `    tests:
      - {group: 4A-wi, name: SO 1, kind: SO, date: 2025-01-10, grades: {101: 6.5, 102: "7,5"}}
      - group: 4A-wi
        name: PW 1
        weight: 3
        date: 2025-01-20 11:30
        resit: EenKeerHoogste
        grades:
          101: {value: 4.6, resit: 6.8, resitDate: 2025-02-03}
          Daan Bos: {notMade: true}
      - {group: 4A-wi, name: Inzet, date: 2025-01-21, weight: 0, grades: {101: V}}
`
	w := load(t, text)
	emma := gradesOf(w, 101, school.ColumnTest)
	if len(emma) != 4 {
		t.Fatalf("Emma's test grades: %+v, want SO 1, PW 1, its re-sit and Inzet", emma)
	}
	so, pw, label, resit := emma[0], emma[1], emma[2], emma[3]
	if so.Tenths != 65 || so.Weight != 1 || so.TestKind != "SO" || so.Seq != 1 ||
		so.Period != 2 || so.Entered.Format("15:04") != "16:00" {
		t.Errorf("SO 1 = %+v", so)
	}
	daan := gradesOf(w, 102, school.ColumnTest)
	if len(daan) != 2 || daan[0].ColumnID != so.ColumnID || daan[0].Tenths != 75 ||
		!daan[1].NotMade || daan[1].HasValue {
		t.Errorf("Daan's grades = %+v, want 7.5 in Emma's SO 1 column, then not made", daan)
	}
	if pw.Tenths != 46 || pw.Current != 68 || pw.Weight != 3 || pw.ResitType != "EenKeerHoogste" ||
		pw.Seq != 2 || pw.Entered.Format("15:04") != "11:30" {
		t.Errorf("PW 1 = %+v, want 4.6 holding 6.8 after the re-sit", pw)
	}
	if resit.ResitNumber != 1 || resit.Tenths != 68 || resit.ColumnID != pw.ColumnID ||
		school.FormatDate(resit.Entered) != "2025-02-03" || resit.Seq != 2 {
		t.Errorf("re-sit = %+v", resit)
	}
	if label.Label != "V" || label.HasValue || label.Weight != 0 {
		t.Errorf("label grade = %+v", label)
	}
	avgs := gradesOf(w, 101, school.ColumnPeriodAverage)
	// (6.5*1 + 6.8*3) / 4 = 6.725, rounded half up to 6.7.
	if len(avgs) != 1 || avgs[0].Tenths != 67 || avgs[0].Period != 2 {
		t.Errorf("period averages = %+v, want one of 6.7", avgs)
	}
	if rep := gradesOf(w, 101, school.ColumnReportAverage); len(rep) != 1 || rep[0].Tenths != 67 {
		t.Errorf("report averages = %+v, want one of 6.7", rep)
	}

	off := load(t, strings.Replace(text, "    tests:", "    averages: false\n    tests:", 1))
	if got := gradesOf(off, 101, school.ColumnPeriodAverage); len(got) != 0 {
		t.Errorf("averages: false still made %+v", got)
	}
}

// TestPeople: classes fill lesson groups, parents see their children,
// staff get accounts in their role, names split at Dutch prefixes.
func TestPeople(t *testing.T) {
	w := load(t, base+`      - {name: {first: Sem, last: Smit}, groups: 4A-wi}
    parents: [{name: Karin van der Jong, children: [101, Daan Bos], password: k}]
`)
	var lesson school.Group
	for _, g := range w.Groups {
		if g.Name == "4A-wi" {
			lesson = g
		}
	}
	if len(lesson.PupilIDs) != 3 {
		t.Errorf("4A-wi has %d pupils, want the class's two and Sem", len(lesson.PupilIDs))
	}
	parent := w.Accounts[len(w.Accounts)-1]
	if parent.Role != school.RoleParent || parent.Username != "karin.vanderjong" ||
		parent.Name.Prefix != "van der" || len(parent.PupilIDs) != 2 {
		t.Errorf("parent = %+v", parent)
	}
}
