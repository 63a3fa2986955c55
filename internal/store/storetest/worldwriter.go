package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Loader is a store that also writes worlds in parts.
type Loader interface {
	school.Store
	school.WorldLoader
}

// RunWorldWriter runs the suite of school.WorldWriter; open must return a
// new, empty, migrated store and close it when t ends.
func RunWorldWriter(t *testing.T, open func(t *testing.T) Loader) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) Loader)
	}{
		{"SameAsImport", testWriterSameAsImport},
		{"ManyRows", testWriterManyRows},
		{"RefusesNonEmpty", testWriterRefusesNonEmpty},
		{"Replace", testWriterReplace},
		{"CloseRollsBack", testWriterCloseRollsBack},
		{"Conflict", testWriterConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

// parts splits w into three parts, each referring only to rows of the
// parts before it or of itself: people and school records, then groups,
// lessons and grades, then the records about them.
func parts(w *school.World) []*school.World {
	return []*school.World{
		{Schools: w.Schools, Branches: w.Branches, Years: w.Years, Subjects: w.Subjects,
			Staff: w.Staff, Pupils: w.Pupils, Accounts: w.Accounts, Switches: w.Switches,
			Holidays: w.Holidays, LessonHours: w.LessonHours, AbsenceReasons: w.AbsenceReasons},
		{Groups: w.Groups, Lessons: w.Lessons, Grades: w.Grades},
		{AbsenceReports: w.AbsenceReports, Observations: w.Observations, Measures: w.Measures,
			StudyGuides: w.StudyGuides, Homework: w.Homework, Conversations: w.Conversations},
	}
}

// write writes the parts through one writer, committing after the parts
// whose index is in commitAfter, and closes it.
func write(t *testing.T, s Loader, replace bool, ps []*school.World, commitAfter ...int) {
	t.Helper()
	ctx := context.Background()
	w, err := s.WriteWorld(ctx, replace)
	if err != nil {
		t.Fatalf("WriteWorld: %v", err)
	}
	defer w.Close()
	for i, p := range ps {
		if err := w.Write(ctx, p); err != nil {
			t.Fatalf("write part %d: %v", i, err)
		}
		for _, c := range commitAfter {
			if c == i {
				mustNil(t, fmt.Sprintf("commit after part %d", i), w.Commit(ctx))
			}
		}
	}
	mustNil(t, "last commit", w.Commit(ctx))
	mustNil(t, "commit without writes", w.Commit(ctx))
	mustNil(t, "close", w.Close())
}

// snapshot is everything the Store reads back of a world, through its own
// methods, for comparing two stores.
type snapshot struct {
	Schools       []school.School
	Accounts      []school.Account
	Pupils        [][]school.Pupil
	Staff         [][]school.Staff
	Groups        [][]school.Group
	Years         [][]school.SchoolYear
	Subjects      [][]school.Subject
	Grades        [][]school.Grade
	Lessons       []school.Lesson
	Holidays      [][]school.Holiday
	LessonHours   [][]school.LessonHour
	Reasons       [][]school.AbsenceReason
	Reports       [][]school.AbsenceReport
	Observations  [][]school.Observation
	Measures      [][]school.Measure
	Guides        [][]school.StudyGuide
	Homework      [][]school.Homework
	Conversations [][]school.ConversationView
	Switches      []school.Switches
}

// read takes the snapshot of the world w in s.
func read(t *testing.T, s school.Store, w *school.World) snapshot {
	t.Helper()
	ctx := context.Background()
	var out snapshot
	var err error
	out.Schools, err = s.Schools(ctx)
	mustNil(t, "schools", err)
	out.Accounts, err = s.Accounts(ctx)
	mustNil(t, "accounts", err)
	for _, sc := range w.Schools {
		readSchool(t, s, w, sc.ID, &out)
	}
	for _, l := range w.Lessons {
		got, err := s.Lesson(ctx, l.SchoolID, l.ID)
		mustNil(t, "lesson", err)
		out.Lessons = append(out.Lessons, got)
	}
	for _, a := range w.Accounts {
		cs, _, err := s.Conversations(ctx, a.SchoolID, a.ID, school.Page{})
		mustNil(t, "conversations", err)
		out.Conversations = append(out.Conversations, cs)
	}
	return out
}

// readSchool adds one school's lists to out.
func readSchool(t *testing.T, s school.Store, w *school.World, id school.ID, out *snapshot) {
	t.Helper()
	ctx := context.Background()
	pupils, err := s.SchoolPupilIDs(ctx, id)
	mustNil(t, "school pupils", err)
	ps, err := s.Pupils(ctx, id, pupils)
	mustNil(t, "pupils", err)
	var staffIDs []school.ID
	for _, st := range w.Staff {
		staffIDs = append(staffIDs, st.ID)
	}
	staff, err := s.StaffMembers(ctx, id, staffIDs)
	mustNil(t, "staff", err)
	groups, err := s.PupilGroups(ctx, id, pupils)
	mustNil(t, "groups", err)
	years, err := s.SchoolYears(ctx, id)
	mustNil(t, "years", err)
	subjects, _, err := s.Subjects(ctx, id, school.Page{})
	mustNil(t, "subjects", err)
	grades, _, err := s.Grades(ctx, school.GradeQuery{SchoolID: id, PupilIDs: pupils})
	mustNil(t, "grades", err)
	holidays, err := s.Holidays(ctx, id)
	mustNil(t, "holidays", err)
	hours, err := s.LessonHours(ctx, id)
	mustNil(t, "lesson hours", err)
	reasons, err := s.AbsenceReasons(ctx, id)
	mustNil(t, "reasons", err)
	reports, _, err := s.AbsenceReports(ctx, id, pupils, time.Time{}, time.Time{}, school.Page{})
	mustNil(t, "reports", err)
	obs, _, err := s.Observations(ctx, id, pupils, time.Time{}, time.Time{}, school.Page{})
	mustNil(t, "observations", err)
	measures, err := s.Measures(ctx, id, pupils)
	mustNil(t, "measures", err)
	guides, err := s.StudyGuides(ctx, id, pupils)
	mustNil(t, "guides", err)
	var hw []school.Homework
	for _, k := range []school.HomeworkKind{school.HomeworkLesson, school.HomeworkDay,
		school.HomeworkWeek} {
		list, _, err := s.Homework(ctx, school.HomeworkQuery{SchoolID: id, PupilIDs: pupils,
			Kind: k})
		mustNil(t, "homework", err)
		hw = append(hw, list...)
	}
	switches, err := s.Switches(ctx, id)
	mustNil(t, "switches", err)

	out.Pupils = append(out.Pupils, ps)
	out.Staff = append(out.Staff, staff)
	out.Groups = append(out.Groups, groups)
	out.Years = append(out.Years, years)
	out.Subjects = append(out.Subjects, subjects)
	out.Grades = append(out.Grades, grades)
	out.Holidays = append(out.Holidays, holidays)
	out.LessonHours = append(out.LessonHours, hours)
	out.Reasons = append(out.Reasons, reasons)
	out.Reports = append(out.Reports, reports)
	out.Observations = append(out.Observations, obs)
	out.Measures = append(out.Measures, measures)
	out.Guides = append(out.Guides, guides)
	out.Homework = append(out.Homework, hw)
	out.Switches = append(out.Switches, switches)
}

// testWriterSameAsImport: a world written in parts reads back as the same
// world imported in one go.
func testWriterSameAsImport(t *testing.T, open func(t *testing.T) Loader) {
	ctx := context.Background()
	imported, written := open(t), open(t)
	mustNil(t, "import", imported.Import(ctx, recordsWorld()))
	v0, err := written.DataVersion(ctx)
	mustNil(t, "data version", err)

	write(t, written, false, parts(recordsWorld()), 0)

	w := recordsWorld()
	same(t, "world written in parts", read(t, written, w), read(t, imported, w))
	if v, err := written.DataVersion(ctx); err != nil || v <= v0 {
		t.Errorf("data version after writing = %d, %v; want more than %d", v, err, v0)
	}
}

// bigWorld is one school with more rows of each big table than one
// statement holds, so that full batches of children are sent while rows
// of their parents still wait.
func bigWorld() *school.World {
	const nPupils, nLessons, nGrades = 1200, 300, 2500
	w := &school.World{
		Schools: []school.School{{ID: schoolA, UUID: "big", Name: "Groot", City: "X",
			Tenant: "groot", Abbrev: "G"}},
		Years: []school.SchoolYear{{ID: yearA1, SchoolID: schoolA, Name: "2023/2024",
			From: school.Date(2023, 8, 1), To: school.Date(2024, 7, 31)}},
		Subjects: []school.Subject{{ID: subjMath, SchoolID: schoolA, UUID: "v", Abbrev: "wi"}},
		Staff: []school.Staff{{ID: teacherA1, SchoolID: schoolA, UUID: "s1", Number: 1},
			{ID: teacherA2, SchoolID: schoolA, UUID: "s2", Number: 2}},
	}
	class := school.Group{ID: classA, SchoolID: schoolA, YearID: yearA1, UUID: "g", Name: "1a"}
	for i := range nPupils {
		id := pupilA1 + school.ID(i)*10
		w.Pupils = append(w.Pupils, pupil(id, schoolA, branchA, int64(100000+i), "P", "",
			fmt.Sprint(i), school.Date(2010, 1, 1)))
		w.Pupils[i].UUID = fmt.Sprint("pu-", i)
		class.PupilIDs = append(class.PupilIDs, id)
	}
	w.Groups = []school.Group{class}
	start := amsterdam(2023, 9, 4, 8, 30, 0, 0)
	for i := range nLessons {
		at := start.Add(time.Duration(i) * time.Hour)
		w.Lessons = append(w.Lessons, school.Lesson{ID: lessonBase + school.ID(i),
			SchoolID: schoolA, GroupID: classA, SubjectID: subjMath,
			StaffIDs: []school.ID{teacherA2, teacherA1}, Start: at, End: at.Add(50 * time.Minute),
			Kind: "Les", Status: school.StatusActive})
	}
	for i := range nGrades {
		g := grades()[1]
		g.ID, g.SchoolID, g.PupilID = gradeBase+school.ID(i), schoolA, class.PupilIDs[i%nPupils]
		g.Entered = start.Add(time.Duration(i) * time.Minute)
		w.Grades = append(w.Grades, g)
	}
	return w
}

func testWriterManyRows(t *testing.T, open func(t *testing.T) Loader) {
	ctx := context.Background()
	w := bigWorld()
	third := len(w.Grades) / 3
	ps := []*school.World{
		{Schools: w.Schools, Years: w.Years, Subjects: w.Subjects, Staff: w.Staff,
			Pupils: w.Pupils},
		{Groups: w.Groups, Lessons: w.Lessons, Grades: w.Grades[:third]},
		{Grades: w.Grades[third : 2*third]},
		{Grades: w.Grades[2*third:]},
	}
	s := open(t)
	write(t, s, false, ps, 2)

	members, err := s.GroupPupils(ctx, schoolA, classA)
	if err != nil || len(members) != len(w.Pupils) {
		t.Fatalf("group members: %d, %v; want %d", len(members), err, len(w.Pupils))
	}
	grades, total, err := s.Grades(ctx, school.GradeQuery{SchoolID: schoolA,
		PupilIDs: members})
	if err != nil || total != len(w.Grades) || len(grades) != len(w.Grades) {
		t.Fatalf("grades: %d of %d, %v; want %d", len(grades), total, err, len(w.Grades))
	}
	last := w.Lessons[len(w.Lessons)-1]
	got, err := s.Lesson(ctx, schoolA, last.ID)
	if err != nil || len(got.StaffIDs) != 2 || got.StaffIDs[0] != teacherA2 {
		t.Fatalf("last lesson: %+v, %v", got, err)
	}
}

func testWriterRefusesNonEmpty(t *testing.T, open func(t *testing.T) Loader) {
	ctx := context.Background()
	s := open(t)
	imported(t, s)
	v0, err := s.DataVersion(ctx)
	mustNil(t, "data version", err)

	w, err := s.WriteWorld(ctx, false)
	if !errors.Is(err, school.ErrNotEmpty) {
		if w != nil {
			w.Close()
		}
		t.Fatalf("WriteWorld on a store with schools: %v, want ErrNotEmpty", err)
	}

	schools, err := s.Schools(ctx)
	if err != nil || len(schools) != 2 {
		t.Errorf("schools after the refusal: %d, %v; want the 2 imported", len(schools), err)
	}
	if v, _ := s.DataVersion(ctx); v != v0 {
		t.Errorf("the refusal moved the data version from %d to %d", v0, v)
	}
	// The refusal left no transaction behind: the store still writes.
	mustNil(t, "write after the refusal", s.AddRefreshToken(ctx, token("after", "fam-after")))
}

func testWriterReplace(t *testing.T, open func(t *testing.T) Loader) {
	ctx := context.Background()
	s := open(t)
	old := imported(t, s)
	dirty(t, s, old)
	key := school.SigningKey{KID: "k-replace", PrivatePEM: []byte("x"),
		CreatedAt: time.Unix(1700000000, 0)}
	mustNil(t, "add key", s.AddSigningKey(ctx, key))
	v0, err := s.DataVersion(ctx)
	mustNil(t, "data version", err)

	write(t, s, true, parts(bigWorld()), 1)

	schools, err := s.Schools(ctx)
	if err != nil || len(schools) != 1 || schools[0].UUID != "big" {
		t.Fatalf("schools after replacing: %+v, %v; want the new one alone", schools, err)
	}
	if _, err := s.Pupil(ctx, schoolB, pupilB1); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("pupil of the old world: %v, want ErrNotFound", err)
	}
	if _, err := s.RefreshToken(ctx, "r1"); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("refresh token of the old world: %v, want ErrNotFound", err)
	}
	if la, err := s.LoginAttempts(ctx, schoolA, "90001"); err != nil || la.Failures != 0 {
		t.Errorf("login attempts after replacing = %+v, %v; want none", la, err)
	}
	keys, err := s.SigningKeys(ctx)
	if err != nil || len(keys) != 1 || keys[0].KID != key.KID {
		t.Errorf("signing keys after replacing = %v, %v; want the one stored before", keys, err)
	}
	if v, err := s.DataVersion(ctx); err != nil || v <= v0 {
		t.Errorf("data version after replacing = %d, %v; want more than %d", v, err, v0)
	}
}

// testWriterCloseRollsBack: what was not committed is gone after Close,
// a wipe included.
func testWriterCloseRollsBack(t *testing.T, open func(t *testing.T) Loader) {
	ctx := context.Background()
	t.Run("new", func(t *testing.T) {
		s := open(t)
		w, err := s.WriteWorld(ctx, false)
		mustNil(t, "WriteWorld", err)
		for _, p := range parts(recordsWorld()) {
			mustNil(t, "write", w.Write(ctx, p))
		}
		mustNil(t, "close", w.Close())
		if empty, err := s.Empty(ctx); err != nil || !empty {
			t.Errorf("after Close without Commit: Empty = %v, %v; want true", empty, err)
		}
	})
	t.Run("replace", func(t *testing.T) {
		s := open(t)
		imported(t, s)
		w, err := s.WriteWorld(ctx, true)
		mustNil(t, "WriteWorld", err)
		mustNil(t, "write", w.Write(ctx, parts(bigWorld())[0]))
		mustNil(t, "close", w.Close())
		schools, err := s.Schools(ctx)
		if err != nil || len(schools) != 2 || schools[0].ID != schoolA {
			t.Errorf("after Close without Commit: %+v, %v; want the old world", schools, err)
		}
	})
}

// testWriterConflict: a taken id fails the write with ErrConflict, keeps
// what was committed before, and ends the writer.
func testWriterConflict(t *testing.T, open func(t *testing.T) Loader) {
	ctx := context.Background()
	s := open(t)
	w, err := s.WriteWorld(ctx, false)
	mustNil(t, "WriteWorld", err)
	defer w.Close()
	ps := parts(world())
	mustNil(t, "write people", w.Write(ctx, ps[0]))
	mustNil(t, "commit people", w.Commit(ctx))

	dup := *ps[1]
	dup.Grades = append(dup.Grades, dup.Grades[0])
	err = w.Write(ctx, &dup)
	if err == nil {
		err = w.Commit(ctx)
	}
	if !errors.Is(err, school.ErrConflict) {
		t.Fatalf("a grade id written twice: %v, want ErrConflict", err)
	}
	if err := w.Write(ctx, ps[2]); err == nil {
		t.Error("the writer wrote on after a failed write")
	}
	mustNil(t, "close", w.Close())

	if schools, err := s.Schools(ctx); err != nil || len(schools) != 2 {
		t.Errorf("committed schools: %d, %v; want 2", len(schools), err)
	}
	if _, err := s.Lesson(ctx, schoolA, mathMonday); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("lesson of the failed part: %v, want ErrNotFound", err)
	}
}
