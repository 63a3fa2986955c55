package storetest

import (
	"cmp"
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// RunEditor runs the suite of school.Editor; open must return a new,
// empty, migrated store and close it when t ends. Each test starts from
// the records fixture.
func RunEditor(t *testing.T, open func(t *testing.T) school.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s school.Store, open func(t *testing.T) school.Store)
	}{
		{"ExportRoundTrip", testExportRoundTrip},
		{"ExportSource", wrap(testExportSource)},
		{"PutCreates", wrap(testPutCreates)},
		{"PutReplaces", wrap(testPutReplaces)},
		{"PutStaysInItsSchool", wrap(testPutStaysInItsSchool)},
		{"PutRefusesMissingRefs", wrap(testPutRefusesMissingRefs)},
		{"PutConflict", wrap(testPutConflict)},
		{"LessonMoveCarriesCopies", wrap(testLessonMoveCarriesCopies)},
		{"HomeworkGuide", wrap(testHomeworkGuide)},
		{"Members", wrap(testMembers)},
		{"Switches", wrap(testSetSwitches)},
		{"DeleteInUse", wrap(testDeleteInUse)},
		{"Delete", wrap(testDelete)},
		{"DeleteAccountEndsSessions", wrap(testDeleteAccountEndsSessions)},
		{"SchoolOf", wrap(testSchoolOf)},
		{"SnapshotRestore", wrap(testSnapshotRestore)},
		{"SnapshotSessions", wrap(testSnapshotSessions)},
		{"SnapshotList", wrap(testSnapshotList)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			if err := s.Import(context.Background(), recordsWorld()); err != nil {
				t.Fatalf("import: %v", err)
			}
			tt.fn(t, s, open)
		})
	}
}

func wrap(fn func(t *testing.T, s school.Store)) func(*testing.T, school.Store,
	func(*testing.T) school.Store) {
	return func(t *testing.T, s school.Store, _ func(*testing.T) school.Store) { fn(t, s) }
}

// Normalize puts a world in the order Export writes it, with every time in
// UTC, so that two worlds compare with reflect.DeepEqual. It changes w.
func Normalize(w *school.World) *school.World {
	slices.SortFunc(w.Schools, func(a, b school.School) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Branches, func(a, b school.Branch) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Years, func(a, b school.SchoolYear) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Subjects, func(a, b school.Subject) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Staff, func(a, b school.Staff) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Groups, func(a, b school.Group) int { return cmp.Compare(a.ID, b.ID) })
	for i := range w.Groups {
		slices.Sort(w.Groups[i].PupilIDs)
	}
	slices.SortFunc(w.Pupils, func(a, b school.Pupil) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Accounts, func(a, b school.Account) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Lessons, func(a, b school.Lesson) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Grades, func(a, b school.Grade) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Switches, func(a, b school.Switch) int {
		return cmp.Or(cmp.Compare(a.SchoolID, b.SchoolID), cmp.Compare(a.Name, b.Name))
	})
	slices.SortFunc(w.Holidays, func(a, b school.Holiday) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.LessonHours, func(a, b school.LessonHour) int {
		return cmp.Or(cmp.Compare(a.SchoolID, b.SchoolID), cmp.Compare(a.Number, b.Number))
	})
	slices.SortFunc(w.AbsenceReasons, func(a, b school.AbsenceReason) int {
		return cmp.Compare(a.ID, b.ID)
	})
	slices.SortFunc(w.AbsenceReports, func(a, b school.AbsenceReport) int {
		return cmp.Compare(a.ID, b.ID)
	})
	slices.SortFunc(w.Observations, func(a, b school.Observation) int {
		return cmp.Compare(a.ID, b.ID)
	})
	slices.SortFunc(w.Measures, func(a, b school.Measure) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.StudyGuides, func(a, b school.StudyGuide) int {
		return cmp.Compare(a.ID, b.ID)
	})
	slices.SortFunc(w.Homework, func(a, b school.Homework) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(w.Conversations, func(a, b school.Conversation) int {
		return cmp.Compare(a.ID, b.ID)
	})
	utcTimes(reflect.ValueOf(w).Elem())
	return w
}

var timeType = reflect.TypeFor[time.Time]()

// utcTimes sets every time.Time reachable from v to UTC.
func utcTimes(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
			return
		}
		for i := range v.NumField() {
			utcTimes(v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			utcTimes(v.Index(i))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			utcTimes(v.Elem())
		}
	}
}

// sameWorld fails unless two worlds hold the same, list by list.
func sameWorld(t *testing.T, what string, got, want *school.World) {
	t.Helper()
	g, w := reflect.ValueOf(*Normalize(got)), reflect.ValueOf(*Normalize(want))
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("%s: %s differ:\n got %+v\nwant %+v", what, g.Type().Field(i).Name,
				g.Field(i).Interface(), w.Field(i).Interface())
		}
	}
}

func export(t *testing.T, s school.Store) *school.World {
	t.Helper()
	w, err := s.Export(context.Background())
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return w
}

// Export gives back what was imported, and importing an export into a
// new store exports the same again.
func testExportRoundTrip(t *testing.T, s school.Store, open func(*testing.T) school.Store) {
	got := export(t, s)
	sameWorld(t, "export of the fixture", got, recordsWorld())

	other := open(t)
	if err := other.Import(context.Background(), got); err != nil {
		t.Fatalf("import the export: %v", err)
	}
	sameWorld(t, "export of the imported export", export(t, other), export(t, s))
}

// The world's Source comes back in the export, and a restore brings back
// the source of the world it saved.
func testExportSource(t *testing.T, s school.Store) {
	ctx := context.Background()
	w := recordsWorld()
	w.Source = "file-hash-1"
	mustNil(t, "reset", s.Reset(ctx, w))
	if got := export(t, s); got.Source != w.Source {
		t.Errorf("exported source %q, want %q", got.Source, w.Source)
	}
	_, _, err := s.SaveSnapshot(ctx, "src", t0)
	mustNil(t, "save", err)
	mustNil(t, "reset to another", s.Reset(ctx, &school.World{Source: "other"}))
	_, err = s.RestoreSnapshot(ctx, "src", t0)
	mustNil(t, "restore", err)
	if src, err := s.WorldSource(ctx); err != nil || src != w.Source {
		t.Errorf("source after restore %q, %v; want %q", src, err, w.Source)
	}
}

// version reads the data version.
func version(t *testing.T, s school.Store) int64 {
	t.Helper()
	v, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// newEntities are one new entity of each kind in school A, with fields
// that a store must keep.
func newEntities() (school.Pupil, school.Staff, school.Subject, school.Group,
	school.Account, school.Lesson, school.Grade) {
	p := pupil(0, schoolA, branchA, 90009, "Nieuw", "van", "Leerling", school.Date(2010, 2, 3))
	p.Mobile = "06-12345678"
	st := school.Staff{SchoolID: schoolA, UUID: "st-new", Number: 509, Abbrev: "nwd",
		Name: school.Name{First: "Nora", Last: "Wind"}, Initials: "N.", Gender: "VROUW"}
	sub := school.Subject{SchoolID: schoolA, UUID: "vak-new", Abbrev: "fi", Name: "filosofie"}
	g := school.Group{SchoolID: schoolA, YearID: yearA1, UUID: "gr-new", Name: "4V-fi",
		SubjectID: subjArt, PupilIDs: []school.ID{pupilA2, pupilA3}}
	a := school.Account{SchoolID: schoolA, UUID: "ac-new", Username: "ouder.wolk",
		PasswordHash: "hash-new", Role: school.RoleParent, Name: school.Name{Last: "Wolk"},
		PupilIDs: []school.ID{pupilA3, pupilA2}, DemoPassword: "geheim"}
	l := school.Lesson{SchoolID: schoolA, BranchID: branchA, GroupID: mathA, SubjectID: subjMath,
		StaffIDs: []school.ID{teacherA2, teacherA1}, Start: amsterdam(2024, 3, 12, 10, 0, 0, 0),
		End: amsterdam(2024, 3, 12, 10, 50, 0, 0), BeginHour: 3, EndHour: 3, Location: "B1",
		Kind: "Les", Title: "B1 - wisB", Status: school.StatusActive}
	gr := school.Grade{SchoolID: schoolA, PupilID: pupilA2, SubjectID: subjDutch,
		Type: school.ColumnTest, Tenths: 75, HasValue: true, Current: 75,
		Entered: amsterdam(2024, 3, 6, 14, 3, 2, 1), Weight: 3, Period: 3, StudyYear: 4,
		Description: "PW hoofdstuk 5", Seq: 2, TestKind: "PW", ResitType: "Geen",
		InProgress: true}
	return p, st, sub, g, a, l, gr
}

func testPutCreates(t *testing.T, s school.Store) {
	ctx := context.Background()
	p, st, sub, g, a, l, gr := newEntities()
	before := version(t, s)

	var err error
	p, err = s.PutPupil(ctx, p)
	mustNil(t, "put pupil", err)
	st, err = s.PutStaff(ctx, st)
	mustNil(t, "put staff", err)
	sub, err = s.PutSubject(ctx, sub)
	mustNil(t, "put subject", err)
	g, err = s.PutGroup(ctx, g)
	mustNil(t, "put group", err)
	a, err = s.PutAccount(ctx, a)
	mustNil(t, "put account", err)
	l, err = s.PutLesson(ctx, l)
	mustNil(t, "put lesson", err)
	gr, err = s.PutGrade(ctx, gr)
	mustNil(t, "put grade", err)

	ids := []school.ID{p.ID, st.ID, sub.ID, g.ID, a.ID, l.ID, gr.ID, gr.ColumnID}
	for i, id := range ids {
		if id < 1_000_000_000 {
			t.Errorf("new id %d (%d) is not ten digits or more", i, id)
		}
	}
	if v := version(t, s); v < before+7 {
		t.Errorf("data version %d -> %d after seven writes", before, v)
	}

	gotP, err := s.Pupil(ctx, schoolA, p.ID)
	mustNil(t, "pupil", err)
	sameTime(t, "BirthDate", gotP.BirthDate, p.BirthDate)
	gotP.BirthDate = p.BirthDate
	same(t, "Pupil", gotP, p)
	gotS, err := s.StaffMembers(ctx, schoolA, []school.ID{st.ID})
	mustNil(t, "staff", err)
	same(t, "Staff", gotS, []school.Staff{st})
	gotSub, err := s.Subject(ctx, schoolA, sub.ID)
	mustNil(t, "subject", err)
	same(t, "Subject", gotSub, sub)
	gotG, err := s.Group(ctx, schoolA, g.ID)
	mustNil(t, "group", err)
	same(t, "Group", gotG, g)
	gotA, err := s.Account(ctx, schoolA, a.ID)
	mustNil(t, "account", err)
	same(t, "Account (children in their order)", gotA, a)
	gotL, err := s.Lesson(ctx, schoolA, l.ID)
	mustNil(t, "lesson", err)
	sameTime(t, "Lesson.Start", gotL.Start, l.Start)
	gotL.Start, gotL.End = l.Start, l.End
	same(t, "Lesson (teachers in their order)", gotL, l)
	gotGr, err := s.Grade(ctx, schoolA, gr.ID)
	mustNil(t, "grade", err)
	sameTime(t, "Grade.Entered", gotGr.Entered, gr.Entered)
	gotGr.Entered = gr.Entered
	same(t, "Grade", gotGr, gr)

	// Numbers left zero count on from the school's highest.
	p2, err := s.PutPupil(ctx, school.Pupil{SchoolID: schoolA, BranchID: branchA})
	mustNil(t, "pupil without number", err)
	st2, err := s.PutStaff(ctx, school.Staff{SchoolID: schoolA})
	mustNil(t, "staff without number", err)
	if p2.Number != 90010 || st2.Number != 510 {
		t.Errorf("numbers %d and %d, want 90010 and 510", p2.Number, st2.Number)
	}
	branches, err := s.Branches(ctx, schoolB)
	if err != nil || len(branches) != 1 || branches[0].ID != branchB {
		t.Errorf("branches of B: %+v, %v", branches, err)
	}

	// A second grade gets a column of its own.
	gr2, err := s.PutGrade(ctx, school.Grade{SchoolID: schoolA, PupilID: pupilA2,
		SubjectID: subjDutch, Entered: gr.Entered})
	mustNil(t, "second grade", err)
	if gr2.ColumnID == gr.ColumnID || gr2.ID == gr.ID {
		t.Errorf("second grade %d in column %d, the first %d in %d", gr2.ID, gr2.ColumnID,
			gr.ID, gr.ColumnID)
	}
}

func testPutReplaces(t *testing.T, s school.Store) {
	ctx := context.Background()
	w := recordsWorld()

	p := w.Pupils[1]
	p.Name.Last, p.Email = "Wolkenkrabber", "nieuw@leerling.invalid"
	got, err := s.PutPupil(ctx, p)
	mustNil(t, "put pupil", err)
	if got.ID != p.ID {
		t.Fatalf("replacing pupil %d stored %d", p.ID, got.ID)
	}
	read, err := s.Pupil(ctx, schoolA, p.ID)
	mustNil(t, "pupil", err)
	if read.Name.Last != "Wolkenkrabber" || read.Email != p.Email {
		t.Errorf("pupil after replace: %+v", read)
	}

	g := w.Groups[0] // classA with A1 and A2
	g.PupilIDs, g.Name = []school.ID{pupilA3}, "4V1b"
	_, err = s.PutGroup(ctx, g)
	mustNil(t, "put group", err)
	members, err := s.GroupPupils(ctx, schoolA, classA)
	mustNil(t, "members", err)
	same(t, "members after replace", members, []school.ID{pupilA3})

	a := w.Accounts[2] // the parent of A2 and A1
	a.PupilIDs = []school.ID{pupilA1}
	_, err = s.PutAccount(ctx, a)
	mustNil(t, "put account", err)
	acc, err := s.Account(ctx, schoolA, accParent)
	mustNil(t, "account", err)
	same(t, "children after replace", acc.PupilIDs, []school.ID{pupilA1})

	gr, err := s.Grade(ctx, schoolA, gradeA2)
	mustNil(t, "grade", err)
	gr.Tenths, gr.Current, gr.Description = 88, 88, "verbeterd"
	_, err = s.PutGrade(ctx, gr)
	mustNil(t, "put grade", err)
	gr2, err := s.Grade(ctx, schoolA, gradeA2)
	mustNil(t, "grade", err)
	if gr2.Tenths != 88 || gr2.ColumnID != gr.ColumnID || gr2.Description != "verbeterd" {
		t.Errorf("grade after replace: %+v", gr2)
	}

	unknown := p
	unknown.ID = 999
	if _, err := s.PutPupil(ctx, unknown); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("replacing an unknown pupil: %v, want ErrNotFound", err)
	}
}

// An entity of one school cannot be replaced under another.
func testPutStaysInItsSchool(t *testing.T, s school.Store) {
	ctx := context.Background()
	before := version(t, s)
	p := recordsWorld().Pupils[0]
	p.SchoolID, p.BranchID = schoolB, branchB
	if _, err := s.PutPupil(ctx, p); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("pupil of A put under B: %v, want ErrNotFound", err)
	}
	sub := school.Subject{ID: subjMath, SchoolID: schoolB, Abbrev: "x", Name: "x"}
	if _, err := s.PutSubject(ctx, sub); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("subject of A put under B: %v, want ErrNotFound", err)
	}
	if v := version(t, s); v != before {
		t.Errorf("refused writes moved the data version %d -> %d", before, v)
	}
	got, err := s.Pupil(ctx, schoolA, pupilA1)
	if err != nil || got.SchoolID != schoolA {
		t.Errorf("pupil A1 after the refused move: %+v, %v", got, err)
	}
}

func testPutRefusesMissingRefs(t *testing.T, s school.Store) {
	ctx := context.Background()
	_, _, _, g, a, l, gr := newEntities()
	before := version(t, s)
	tests := []struct {
		name string
		put  func() error
		want school.Entity
		id   school.ID
	}{
		{"grade of another school's subject", func() error {
			x := gr
			x.SubjectID = subjB
			_, err := s.PutGrade(ctx, x)
			return err
		}, school.EntitySubject, subjB},
		{"grade of an unknown pupil", func() error {
			x := gr
			x.PupilID = 42
			_, err := s.PutGrade(ctx, x)
			return err
		}, school.EntityPupil, 42},
		{"grade in an unknown school", func() error {
			x := gr
			x.SchoolID = 7
			_, err := s.PutGrade(ctx, x)
			return err
		}, school.EntitySchool, 7},
		{"group with another school's pupil", func() error {
			x := g
			x.PupilIDs = []school.ID{pupilA1, pupilB1}
			_, err := s.PutGroup(ctx, x)
			return err
		}, school.EntityPupil, pupilB1},
		{"lesson with an unknown teacher", func() error {
			x := l
			x.StaffIDs = []school.ID{teacherA1, 43}
			_, err := s.PutLesson(ctx, x)
			return err
		}, school.EntityStaff, 43},
		{"pupil account of a staff member's id", func() error {
			x := a
			x.Role, x.PersonID, x.PupilIDs = school.RolePupil, teacherA1, nil
			_, err := s.PutAccount(ctx, x)
			return err
		}, school.EntityPupil, teacherA1},
		{"observation of an unknown lesson", func() error {
			_, err := s.PutObservation(ctx, school.Observation{SchoolID: schoolA,
				PupilID: pupilA1, LessonID: 44})
			return err
		}, school.EntityLesson, 44},
		{"absence with another school's reason", func() error {
			_, err := s.PutAbsenceReport(ctx, school.AbsenceReport{SchoolID: schoolA,
				PupilID: pupilA1, ReasonID: reasonB})
			return err
		}, school.EntityReason, reasonB},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.put()
			var me *school.MissingError
			if !errors.As(err, &me) || me.Entity != tc.want || me.ID != tc.id ||
				!errors.Is(err, school.ErrNotFound) {
				t.Fatalf("%v, want a MissingError of %s %d", err, tc.want, tc.id)
			}
		})
	}
	if v := version(t, s); v != before {
		t.Errorf("refused writes moved the data version %d -> %d", before, v)
	}
	sameWorld(t, "after refused writes", export(t, s), recordsWorld())
}

func testPutConflict(t *testing.T, s school.Store) {
	ctx := context.Background()
	_, _, _, _, a, _, _ := newEntities()
	a.Username = "kvr"
	if _, err := s.PutAccount(ctx, a); !errors.Is(err, school.ErrConflict) {
		t.Fatalf("a taken username: %v, want ErrConflict", err)
	}
	a.SchoolID, a.PupilIDs = schoolB, nil
	if _, err := s.PutAccount(ctx, a); err != nil {
		t.Fatalf("the same username in another school: %v", err)
	}
}

func testLessonMoveCarriesCopies(t *testing.T, s school.Store) {
	ctx := context.Background()
	l, err := s.Lesson(ctx, schoolA, mathMonday)
	mustNil(t, "lesson", err)
	obs := school.Observation{SchoolID: schoolA, PupilID: pupilA1, LessonID: mathMonday,
		StaffID: teacherA2, Kind: "Afwezig", Registration: school.RegAbsent,
		Entered: l.Start, Start: l.Start, End: l.End, BeginHour: 1, EndHour: 2}
	obs, err = s.PutObservation(ctx, obs)
	mustNil(t, "put observation", err)

	l.Start, l.End = amsterdam(2024, 3, 13, 13, 0, 0, 0), amsterdam(2024, 3, 13, 14, 40, 0, 0)
	l.BeginHour, l.EndHour, l.Location = 6, 7, "aula"
	_, err = s.PutLesson(ctx, l)
	mustNil(t, "move lesson", err)

	hw, err := s.HomeworkItem(ctx, schoolA, hwMath)
	mustNil(t, "homework", err)
	y, w := l.Start.ISOWeek()
	if !hw.Due.Equal(l.Start) || hw.ISOYear != y || hw.WeekFrom != w || hw.WeekTo != w {
		t.Errorf("homework of the moved lesson: due %v week %d-%d, want %v week %d",
			hw.Due, hw.ISOYear, hw.WeekFrom, l.Start, w)
	}
	got, err := s.Observation(ctx, schoolA, obs.ID)
	mustNil(t, "observation", err)
	if !got.Start.Equal(l.Start) || !got.End.Equal(l.End) || got.BeginHour != 6 ||
		got.EndHour != 7 {
		t.Errorf("observation of the moved lesson: %+v", got)
	}
	other, err := s.HomeworkItem(ctx, schoolA, hwMathDay)
	mustNil(t, "day homework", err)
	if !other.Due.Equal(school.Date(2024, 3, 8)) {
		t.Errorf("a day item moved along: %v", other.Due)
	}
}

func testHomeworkGuide(t *testing.T, s school.Store) {
	ctx := context.Background()
	due := school.Date(2024, 3, 11)
	y, w := due.ISOWeek()
	h := school.Homework{SchoolID: schoolA, GroupID: mathA, YearID: yearA1,
		Kind: school.HomeworkDay, Due: due, ISOYear: y, WeekFrom: w, WeekTo: w, Topic: "lezen",
		Type: "HUISWERK", Created: t0}
	got, err := s.PutHomework(ctx, h)
	mustNil(t, "put homework", err)
	if got.GuideID != guideMath || got.ItemID == 0 || got.ID == 0 {
		t.Errorf("homework of the maths group: guide %d item %d id %d, want guide %d",
			got.GuideID, got.ItemID, got.ID, guideMath)
	}

	h.GroupID = emptyA
	first, err := s.PutHomework(ctx, h)
	mustNil(t, "put homework of a group without guide", err)
	guide, err := s.StudyGuide(ctx, schoolA, first.GuideID)
	mustNil(t, "new guide", err)
	if guide.GroupID != emptyA || guide.Name != "leeg" || len(guide.UUID) != 36 {
		t.Errorf("new guide %+v", guide)
	}
	second, err := s.PutHomework(ctx, h)
	mustNil(t, "second homework", err)
	if second.GuideID != first.GuideID || second.ItemID == first.ItemID {
		t.Errorf("second item: guide %d item %d; first guide %d item %d", second.GuideID,
			second.ItemID, first.GuideID, first.ItemID)
	}
	read, err := s.HomeworkItem(ctx, schoolA, second.ID)
	mustNil(t, "read homework", err)
	if !read.Due.Equal(due) || read.Topic != "lezen" || read.Kind != school.HomeworkDay {
		t.Errorf("read back %+v", read)
	}
}

func testMembers(t *testing.T, s school.Store) {
	ctx := context.Background()
	for _, step := range []struct {
		pupil school.ID
		in    bool
		want  []school.ID
	}{
		{pupilA3, true, []school.ID{pupilA1, pupilA3}},
		{pupilA3, true, []school.ID{pupilA1, pupilA3}},
		{pupilA1, false, []school.ID{pupilA3}},
		{pupilA1, false, []school.ID{pupilA3}},
	} {
		mustNil(t, "set member", s.SetMember(ctx, schoolA, mathA, step.pupil, step.in))
		got, err := s.GroupPupils(ctx, schoolA, mathA)
		mustNil(t, "members", err)
		same(t, "members", got, step.want)
	}
	err := s.SetMember(ctx, schoolA, mathA, pupilB1, true)
	var me *school.MissingError
	if !errors.As(err, &me) || me.Entity != school.EntityPupil {
		t.Errorf("another school's pupil: %v, want a MissingError of the pupil", err)
	}
	err = s.SetMember(ctx, schoolA, classB, pupilA1, true)
	if !errors.As(err, &me) || me.Entity != school.EntityGroup {
		t.Errorf("another school's group: %v, want a MissingError of the group", err)
	}
}

func testSetSwitches(t *testing.T, s school.Store) {
	ctx := context.Background()
	err := s.SetSwitches(ctx, schoolA, school.Switches{school.SwitchGrades: false,
		school.SwitchHomework: true})
	mustNil(t, "set switches", err)
	sw, err := s.Switches(ctx, schoolA)
	mustNil(t, "switches", err)
	if sw.On(school.SwitchGrades) || !sw.On(school.SwitchHomework) {
		t.Errorf("switches of A: %v", sw)
	}
	mustNil(t, "switch back", s.SetSwitches(ctx, schoolA, school.Switches{
		school.SwitchGrades: true}))
	w := export(t, s)
	for _, x := range w.Switches {
		if x.SchoolID == schoolA {
			t.Errorf("a switch at its default keeps a row: %+v", x)
		}
	}
	if sw, _ := s.Switches(ctx, schoolB); sw.On(school.SwitchGrades) {
		t.Error("school B's switch changed")
	}
	var me *school.MissingError
	if err := s.SetSwitches(ctx, 7, school.Switches{}); !errors.As(err, &me) {
		t.Errorf("switches of an unknown school: %v, want a MissingError", err)
	}
}

func testDeleteInUse(t *testing.T, s school.Store) {
	ctx := context.Background()
	before := version(t, s)
	tests := []struct {
		e    school.Entity
		id   school.ID
		want []school.Reference
	}{
		{school.EntityPupil, pupilA1, []school.Reference{
			{What: "grades", Count: 3, IDs: []school.ID{gradeA1Late, gradeA1Early, gradeA1Avg}},
			{What: "groups", Count: 2, IDs: []school.ID{classA, mathA}},
			{What: "accounts", Count: 1, IDs: []school.ID{accPupil}},
			{What: "parent accounts", Count: 1, IDs: []school.ID{accParent}},
			{What: "absence reports", Count: 1, IDs: []school.ID{reportA1}},
			{What: "observations", Count: 2, IDs: []school.ID{obsA1, obsA1Late}},
			{What: "measures", Count: 1, IDs: []school.ID{measureA1}},
		}},
		{school.EntityStaff, teacherA1, []school.Reference{
			{What: "lessons", Count: 1, IDs: []school.ID{mathMonday}},
			{What: "accounts", Count: 1, IDs: []school.ID{accStaff}},
			{What: "conversations", Count: 1, IDs: []school.ID{convA}},
		}},
		{school.EntitySubject, subjMath, []school.Reference{
			{What: "grades", Count: 5, IDs: []school.ID{gradeA1Late, gradeA1Early, gradeA1Avg,
				gradeA2, gradeA2Twin}},
			{What: "groups", Count: 1, IDs: []school.ID{mathA}},
			{What: "lessons", Count: 1, IDs: []school.ID{mathMonday}},
		}},
		{school.EntityGroup, mathA, []school.Reference{
			{What: "lessons", Count: 1, IDs: []school.ID{mathMonday}},
			{What: "homework", Count: 2, IDs: []school.ID{hwMath, hwMathDay}},
		}},
		{school.EntityAccount, accParent, []school.Reference{
			{What: "conversations", Count: 1, IDs: []school.ID{convA}},
		}},
		{school.EntityLesson, weekday[0], []school.Reference{
			{What: "observations", Count: 1, IDs: []school.ID{obsA1}},
		}},
		{school.EntityLesson, mathMonday, []school.Reference{
			{What: "homework", Count: 1, IDs: []school.ID{hwMath}},
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.e), func(t *testing.T) {
			err := s.Delete(ctx, tc.e, schoolA, tc.id)
			var iu *school.InUseError
			if !errors.As(err, &iu) || !errors.Is(err, school.ErrInUse) {
				t.Fatalf("delete %s %d: %v, want an InUseError", tc.e, tc.id, err)
			}
			for i := range iu.Refs {
				slices.Sort(iu.Refs[i].IDs)
			}
			for i := range tc.want {
				slices.Sort(tc.want[i].IDs)
			}
			same(t, "references", iu.Refs, tc.want)
		})
	}
	if v := version(t, s); v != before {
		t.Errorf("refused deletes moved the data version %d -> %d", before, v)
	}
	sameWorld(t, "after refused deletes", export(t, s), recordsWorld())
}

func testDelete(t *testing.T, s school.Store) {
	ctx := context.Background()
	mustNil(t, "tick", func() error {
		_, err := s.SetHomeworkDone(ctx, school.HomeworkDone{SchoolID: schoolA,
			HomeworkID: hwMathDay, PupilID: pupilA1, Done: true})
		return err
	}())
	w := recordsWorld()
	_, spare, _, _, _, _, _ := newEntities()
	spare, err := s.PutStaff(ctx, spare)
	mustNil(t, "put staff", err)
	steps := []struct {
		e  school.Entity
		id school.ID
	}{
		{school.EntityGrade, gradeA2},
		{school.EntityObservation, obsA1},
		{school.EntityAbsence, reportA1},
		{school.EntityHomework, hwMathDay}, // with its tick
		{school.EntityHomework, hwMath},
		{school.EntityLesson, mathMonday},
		{school.EntityGroup, mathA}, // with its members and study guide
		{school.EntitySubject, subjArt},
		{school.EntityStaff, spare.ID},
		{school.EntityPupil, pupilA3},
	}
	for _, st := range steps {
		before := version(t, s)
		if err := s.Delete(ctx, st.e, schoolB, st.id); !errors.Is(err, school.ErrNotFound) {
			t.Errorf("delete %s %d under school B: %v, want ErrNotFound", st.e, st.id, err)
		}
		mustNil(t, "delete "+string(st.e), s.Delete(ctx, st.e, schoolA, st.id))
		if v := version(t, s); v <= before {
			t.Errorf("deleting %s did not move the data version", st.e)
		}
		if err := s.Delete(ctx, st.e, schoolA, st.id); !errors.Is(err, school.ErrNotFound) {
			t.Errorf("delete %s %d twice: %v, want ErrNotFound", st.e, st.id, err)
		}
	}
	got := export(t, s)
	want := w
	want.Grades = slices.DeleteFunc(want.Grades,
		func(g school.Grade) bool { return g.ID == gradeA2 })
	want.Observations = slices.DeleteFunc(want.Observations,
		func(o school.Observation) bool { return o.ID == obsA1 })
	want.AbsenceReports = slices.DeleteFunc(want.AbsenceReports,
		func(a school.AbsenceReport) bool { return a.ID == reportA1 })
	want.Homework = slices.DeleteFunc(want.Homework,
		func(h school.Homework) bool { return h.GroupID == mathA })
	want.Lessons = slices.DeleteFunc(want.Lessons,
		func(l school.Lesson) bool { return l.ID == mathMonday })
	want.Groups = slices.DeleteFunc(want.Groups, func(g school.Group) bool { return g.ID == mathA })
	want.StudyGuides = slices.DeleteFunc(want.StudyGuides,
		func(g school.StudyGuide) bool { return g.ID == guideMath })
	want.Subjects = slices.DeleteFunc(want.Subjects,
		func(x school.Subject) bool { return x.ID == subjArt })
	want.Pupils = slices.DeleteFunc(want.Pupils,
		func(p school.Pupil) bool { return p.ID == pupilA3 })
	sameWorld(t, "after deletes", got, want)
}

func testDeleteAccountEndsSessions(t *testing.T, s school.Store) {
	ctx := context.Background()
	victim := token("r-del", "fam-del")
	victim.AccountID = accStaff
	mustNil(t, "token", s.AddRefreshToken(ctx, victim))
	mustNil(t, "other token", s.AddRefreshToken(ctx, token("r-keep", "fam-keep")))
	mustNil(t, "delete account", s.Delete(ctx, school.EntityAccount, schoolA, accStaff))

	if revoked, err := s.FamilyRevoked(ctx, "fam-del"); err != nil || !revoked {
		t.Errorf("family of the deleted account: revoked %v, %v; want true", revoked, err)
	}
	if revoked, err := s.FamilyRevoked(ctx, "fam-keep"); err != nil || revoked {
		t.Errorf("family of another account: revoked %v, %v; want false", revoked, err)
	}
	if _, err := s.Account(ctx, schoolA, accStaff); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("deleted account: %v", err)
	}
}

func testSchoolOf(t *testing.T, s school.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		e    school.Entity
		id   school.ID
		want school.ID
	}{
		{school.EntityPupil, pupilB1, schoolB},
		{school.EntityGrade, gradeA1Late, schoolA},
		{school.EntityLesson, lessonOfB, schoolB},
		{school.EntityHomework, hwB, schoolB},
		{school.EntityAbsence, reportA1, schoolA},
		{school.EntityGroup, classB, schoolB},
	} {
		got, err := s.SchoolOf(ctx, tc.e, tc.id)
		if err != nil || got != tc.want {
			t.Errorf("SchoolOf(%s %d) = %d, %v; want %d", tc.e, tc.id, got, err, tc.want)
		}
	}
	if _, err := s.SchoolOf(ctx, school.EntityPupil, gradeA1Late); !errors.Is(err,
		school.ErrNotFound) {
		t.Errorf("SchoolOf of a grade's id as a pupil: %v, want ErrNotFound", err)
	}
}

// A restore brings back the data as it was saved, ticks, read marks and
// calendar links included, and moves the data version.
func testSnapshotRestore(t *testing.T, s school.Store) {
	ctx := context.Background()
	_, err := s.SetHomeworkDone(ctx, school.HomeworkDone{SchoolID: schoolA, HomeworkID: hwMath,
		PupilID: pupilA1, Done: true})
	mustNil(t, "tick", err)
	mustNil(t, "read", s.MarkConversationRead(ctx, schoolA, accParent, convA, true))
	link := school.ICalLink{AccountID: accPupil, SchoolID: schoolA, Secret: "cal",
		Created: t0}
	mustNil(t, "link", s.SetICalLink(ctx, link))
	saved := export(t, s)

	info, created, err := s.SaveSnapshot(ctx, "begin", t0)
	mustNil(t, "save", err)
	if !created || info.Name != "begin" || info.Schools != 2 || info.Pupils != 4 ||
		info.Bytes <= 0 || !info.Created.Equal(t0) {
		t.Errorf("save answered %+v, created %v", info, created)
	}

	_, err = s.SetHomeworkDone(ctx, school.HomeworkDone{SchoolID: schoolA, HomeworkID: hwMath,
		PupilID: pupilA1, Done: false})
	mustNil(t, "untick", err)
	mustNil(t, "unread", s.MarkConversationRead(ctx, schoolA, accParent, convA, false))
	mustNil(t, "unlink", s.DeleteICalLink(ctx, schoolA, accPupil))
	mustNil(t, "delete grade", s.Delete(ctx, school.EntityGrade, schoolA, gradeA2))
	_, err = s.PutPupil(ctx, pupil(0, schoolB, branchB, 1, "Later", "", "Erbij", t0))
	mustNil(t, "new pupil", err)
	before := version(t, s)

	got, err := s.RestoreSnapshot(ctx, "begin", t0)
	mustNil(t, "restore", err)
	if got.Name != "begin" || got.Pupils != 4 {
		t.Errorf("restore answered %+v", got)
	}
	if v := version(t, s); v <= before {
		t.Errorf("restore did not move the data version (%d -> %d)", before, v)
	}
	sameWorld(t, "after restore", export(t, s), saved)
	ticks, err := s.HomeworkDone(ctx, schoolA, []school.ID{hwMath}, []school.ID{pupilA1})
	if err != nil || len(ticks) != 1 || !ticks[0].Done {
		t.Errorf("tick after restore: %+v, %v; want done", ticks, err)
	}
	cs, _, err := s.Conversations(ctx, schoolA, accParent, school.Page{})
	if err != nil || len(cs) != 1 || !cs[0].Read {
		t.Errorf("conversation after restore: %+v, %v; want read", cs, err)
	}
	if l, err := s.ICalLink(ctx, accPupil); err != nil || l.Secret != "cal" {
		t.Errorf("calendar link after restore: %+v, %v", l, err)
	}

	// A snapshot survives a reset, and restores over it.
	mustNil(t, "reset", s.Reset(ctx, &school.World{}))
	_, err = s.RestoreSnapshot(ctx, "begin", t0)
	mustNil(t, "restore after reset", err)
	sameWorld(t, "restored after a reset", export(t, s), saved)

	if _, err := s.RestoreSnapshot(ctx, "nope", t0); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("restore of an unknown snapshot: %v, want ErrNotFound", err)
	}
}

// Sessions survive a restore, except those of accounts the snapshot does
// not hold; signing keys stay.
func testSnapshotSessions(t *testing.T, s school.Store) {
	ctx := context.Background()
	_, _, err := s.SaveSnapshot(ctx, "s", t0)
	mustNil(t, "save", err)
	_, _, _, _, a, _, _ := newEntities()
	a, err = s.PutAccount(ctx, a)
	mustNil(t, "new account", err)
	mustNil(t, "old token", s.AddRefreshToken(ctx, token("r-old", "fam-old")))
	late := token("r-new", "fam-new")
	late.AccountID = a.ID
	mustNil(t, "new token", s.AddRefreshToken(ctx, late))
	mustNil(t, "key", s.AddSigningKey(ctx, school.SigningKey{KID: "k-snap",
		PrivatePEM: []byte("x"), CreatedAt: t0}))

	_, err = s.RestoreSnapshot(ctx, "s", t0)
	mustNil(t, "restore", err)

	if revoked, err := s.FamilyRevoked(ctx, "fam-old"); err != nil || revoked {
		t.Errorf("session of an account in the snapshot: revoked %v, %v", revoked, err)
	}
	if revoked, err := s.FamilyRevoked(ctx, "fam-new"); err != nil || !revoked {
		t.Errorf("session of an account made after the snapshot: revoked %v, %v", revoked, err)
	}
	if _, err := s.Account(ctx, schoolA, a.ID); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("account made after the snapshot: %v, want ErrNotFound", err)
	}
	keys, err := s.SigningKeys(ctx)
	if err != nil || len(keys) != 1 {
		t.Errorf("keys after restore: %v, %v", keys, err)
	}
}

func testSnapshotList(t *testing.T, s school.Store) {
	ctx := context.Background()
	for _, name := range []string{"b", "a", "b"} {
		_, _, err := s.SaveSnapshot(ctx, name, t0)
		mustNil(t, "save "+name, err)
	}
	_, created, err := s.SaveSnapshot(ctx, "a", t0.Add(time.Hour))
	mustNil(t, "save a again", err)
	if created {
		t.Error("saving over a snapshot reports it created")
	}
	list, err := s.Snapshots(ctx)
	mustNil(t, "list", err)
	if len(list) != 2 || list[0].Name != "a" || list[1].Name != "b" ||
		!list[0].Created.Equal(t0.Add(time.Hour)) || list[0].Pupils != 4 || list[0].Bytes <= 0 {
		t.Fatalf("list %+v, want a (an hour later) and b", list)
	}
	mustNil(t, "delete", s.DeleteSnapshot(ctx, "a"))
	if err := s.DeleteSnapshot(ctx, "a"); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("delete twice: %v, want ErrNotFound", err)
	}
	list, err = s.Snapshots(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "b" {
		t.Errorf("list after delete: %+v, %v", list, err)
	}
}
