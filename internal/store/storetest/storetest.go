// Package storetest is the conformance suite of school.Store: every backend
// runs the same Run, so SQLite and PostgreSQL answer alike. Each subtest
// gets a fresh store and imports the small invented world of fixture.go.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Run runs the suite; open must return a new, empty, migrated store and
// close it when t ends.
func Run(t *testing.T, open func(t *testing.T) school.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s school.Store)
	}{
		{"Empty", testEmpty},
		{"ResetBack", testResetBack},
		{"ResetAnother", testResetAnother},
		{"ResetFails", testResetFails},
		{"WorldSource", testWorldSource},
		{"RoundTrip", testRoundTrip},
		{"ImportConflict", testImportConflict},
		{"TenantIsolation", testTenantIsolation},
		{"NotFound", testNotFound},
		{"GradeOrder", testGradeOrder},
		{"GradeTies", testGradeTies},
		{"GradePages", testGradePages},
		{"LessonWindow", testLessonWindow},
		{"LessonOrder", testLessonOrder},
		{"PupilsTaughtBy", testPupilsTaughtBy},
		{"GroupsOfPupils", testGroupsOfPupils},
		{"Subjects", testSubjects},
		{"RefreshRotation", testRefreshRotation},
		{"RefreshConcurrent", testRefreshConcurrent},
		{"RefreshFamily", testRefreshFamily},
		{"LoginAttempts", testLoginAttempts},
		{"SigningKeys", testSigningKeys},
		{"DataVersion", testDataVersion},
		{"RateLimit", testRateLimit},
		{"RateLimitConcurrent", testRateLimitConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// imported imports the fixture world into s.
func imported(t *testing.T, s school.Store) *school.World {
	t.Helper()
	w := world()
	if err := s.Import(context.Background(), w); err != nil {
		t.Fatalf("import: %v", err)
	}
	return w
}

func testEmpty(t *testing.T, s school.Store) {
	ctx := context.Background()
	empty, err := s.Empty(ctx)
	if err != nil || !empty {
		t.Fatalf("fresh store: Empty = %v, %v; want true", empty, err)
	}
	imported(t, s)
	empty, err = s.Empty(ctx)
	if err != nil || empty {
		t.Fatalf("after import: Empty = %v, %v; want false", empty, err)
	}
}

func testImportConflict(t *testing.T, s school.Store) {
	ctx := context.Background()
	imported(t, s)

	// A new school whose last grade takes an id already used: the whole
	// world is refused, the school included.
	w := &school.World{
		Schools: []school.School{{ID: 1100000009, UUID: "new", Name: "Nieuw", City: "X",
			Tenant: "nieuw", Abbrev: "N"}},
		Pupils: []school.Pupil{pupil(1600000009, 1100000009, 0, 1, "Nina", "", "Nieuw",
			school.Date(2010, 1, 1))},
	}
	dup := grades()[0]
	dup.SchoolID, dup.PupilID = 1100000009, 1600000009
	w.Grades = []school.Grade{dup}
	err := s.Import(ctx, w)
	if !errors.Is(err, school.ErrConflict) {
		t.Fatalf("import with a taken grade id: %v, want ErrConflict", err)
	}
	if _, err := s.School(ctx, 1100000009); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("school of the refused import: %v, want ErrNotFound", err)
	}

	// A username is unique per school.
	w = &school.World{Accounts: []school.Account{{ID: 1800000009, SchoolID: schoolA,
		UUID: "x", Username: "kvr", Role: school.RoleStaff, PersonID: teacherA2}}}
	if err := s.Import(ctx, w); !errors.Is(err, school.ErrConflict) {
		t.Errorf("import with a taken username: %v, want ErrConflict", err)
	}
}

// sameTime fails unless got is the instant want and in Amsterdam.
func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
	if !got.IsZero() && got.Location() != school.Amsterdam {
		t.Errorf("%s is in %v, want %v", what, got.Location(), school.Amsterdam)
	}
}

// same fails unless got deep-equals want.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func mustNil(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func testRoundTrip(t *testing.T, s school.Store) {
	ctx := context.Background()
	w := imported(t, s)

	schools, err := s.Schools(ctx)
	mustNil(t, "schools", err)
	same(t, "Schools", schools, w.Schools)
	for _, want := range w.Schools {
		got, err := s.School(ctx, want.ID)
		mustNil(t, "school", err)
		same(t, "School", got, want)
		got, err = s.SchoolByUUID(ctx, want.UUID)
		mustNil(t, "school by uuid", err)
		same(t, "SchoolByUUID", got, want)
	}
	for _, want := range w.Branches {
		got, err := s.Branch(ctx, want.SchoolID, want.ID)
		mustNil(t, "branch", err)
		same(t, "Branch", got, want)
	}

	accounts, err := s.Accounts(ctx)
	mustNil(t, "accounts", err)
	wantAccounts := []school.Account{w.Accounts[1], w.Accounts[2], w.Accounts[0],
		w.Accounts[3]}
	same(t, "Accounts (by school, then id)", accounts, wantAccounts)
	for _, want := range w.Accounts {
		got, err := s.Account(ctx, want.SchoolID, want.ID)
		mustNil(t, "account", err)
		same(t, "Account", got, want)
		got, err = s.AccountByUsername(ctx, want.SchoolID, want.Username)
		mustNil(t, "account by username", err)
		same(t, "AccountByUsername", got, want)
	}

	roundTripPeople(t, s, w)
	roundTripYears(t, s, w)

	for _, want := range w.Grades {
		got, err := s.Grade(ctx, want.SchoolID, want.ID)
		mustNil(t, "grade", err)
		sameTime(t, "Grade.Entered", got.Entered, want.Entered)
		got.Entered = want.Entered
		same(t, "Grade", got, want)
	}
	for _, want := range w.Lessons {
		got, err := s.Lesson(ctx, want.SchoolID, want.ID)
		mustNil(t, "lesson", err)
		sameTime(t, "Lesson.Start", got.Start, want.Start)
		sameTime(t, "Lesson.End", got.End, want.End)
		got.Start, got.End = want.Start, want.End
		same(t, "Lesson", got, want)
	}
}

func roundTripPeople(t *testing.T, s school.Store, w *school.World) {
	ctx := context.Background()
	pupils, err := s.Pupils(ctx, schoolA, []school.ID{pupilA3, pupilA1, 42, pupilA2})
	mustNil(t, "pupils", err)
	if len(pupils) != 3 {
		t.Fatalf("Pupils: %d pupils, want 3", len(pupils))
	}
	for i, p := range pupils {
		want := w.Pupils[i]
		sameTime(t, "Pupil.BirthDate", p.BirthDate, want.BirthDate)
		p.BirthDate = want.BirthDate
		same(t, "Pupils (by id)", p, want)

		one, err := s.Pupil(ctx, schoolA, want.ID)
		mustNil(t, "pupil", err)
		one.BirthDate = want.BirthDate
		same(t, "Pupil", one, want)
	}

	staff, err := s.StaffMembers(ctx, schoolA, []school.ID{teacherA2, teacherA1})
	mustNil(t, "staff", err)
	same(t, "StaffMembers (by id)", staff, w.Staff[:2])

	for _, tc := range []struct {
		group school.ID
		want  []school.ID
	}{
		{classA, []school.ID{pupilA1, pupilA2}},
		{mathA, []school.ID{pupilA1}},
		{emptyA, nil},
	} {
		got, err := s.GroupPupils(ctx, schoolA, tc.group)
		mustNil(t, "group pupils", err)
		same(t, "GroupPupils", got, tc.want)
	}
}

func roundTripYears(t *testing.T, s school.Store, w *school.World) {
	ctx := context.Background()
	years, err := s.SchoolYears(ctx, schoolA)
	mustNil(t, "school years", err)
	want := []school.SchoolYear{w.Years[1], w.Years[0]}
	if len(years) != len(want) {
		t.Fatalf("SchoolYears: %d, want %d", len(years), len(want))
	}
	for i, y := range years {
		sameTime(t, "SchoolYear.From", y.From, want[i].From)
		sameTime(t, "SchoolYear.To", y.To, want[i].To)
		y.From, y.To = want[i].From, want[i].To
		same(t, "SchoolYears (by start)", y, want[i])
	}
	y, err := s.SchoolYear(ctx, schoolA, yearA1)
	mustNil(t, "school year", err)
	sameTime(t, "SchoolYear.From", y.From, school.Date(2023, 8, 1))
	// Local midnight, not UTC midnight.
	if h := y.From.Hour(); h != 0 {
		t.Errorf("SchoolYear.From hour = %d, want 0 (local midnight)", h)
	}
}

func testNotFound(t *testing.T, s school.Store) {
	ctx := context.Background()
	imported(t, s)
	const unknown school.ID = 999
	lookups := []struct {
		name string
		fn   func() error
	}{
		{"School", func() error { _, err := s.School(ctx, unknown); return err }},
		{"SchoolByUUID", func() error { _, err := s.SchoolByUUID(ctx, "nope"); return err }},
		{"Branch", func() error { _, err := s.Branch(ctx, schoolA, unknown); return err }},
		{"Account", func() error { _, err := s.Account(ctx, schoolA, unknown); return err }},
		{"AccountByUsername", func() error {
			_, err := s.AccountByUsername(ctx, schoolA, "nobody")
			return err
		}},
		{"Pupil", func() error { _, err := s.Pupil(ctx, schoolA, unknown); return err }},
		{"GroupPupils", func() error {
			_, err := s.GroupPupils(ctx, schoolA, unknown)
			return err
		}},
		{"SchoolYear", func() error { _, err := s.SchoolYear(ctx, schoolA, unknown); return err }},
		{"Subject", func() error { _, err := s.Subject(ctx, schoolA, unknown); return err }},
		{"Grade", func() error { _, err := s.Grade(ctx, schoolA, unknown); return err }},
		{"Lesson", func() error { _, err := s.Lesson(ctx, schoolA, unknown); return err }},
		{"RefreshToken", func() error { _, err := s.RefreshToken(ctx, "nope"); return err }},
	}
	for _, l := range lookups {
		t.Run(l.name, func(t *testing.T) {
			if err := l.fn(); !errors.Is(err, school.ErrNotFound) {
				t.Errorf("%s of an unknown id: %v, want ErrNotFound", l.name, err)
			}
		})
	}
}

func testTenantIsolation(t *testing.T, s school.Store) {
	ctx := context.Background()
	imported(t, s)

	// School A's ids asked under school B.
	lookups := []struct {
		name string
		fn   func() error
	}{
		{"Branch", func() error { _, err := s.Branch(ctx, schoolB, branchA); return err }},
		{"Account", func() error { _, err := s.Account(ctx, schoolB, accParent); return err }},
		{"AccountByUsername", func() error {
			_, err := s.AccountByUsername(ctx, schoolB, "kvr")
			return err
		}},
		{"Pupil", func() error { _, err := s.Pupil(ctx, schoolB, pupilA1); return err }},
		{"GroupPupils", func() error { _, err := s.GroupPupils(ctx, schoolB, classA); return err }},
		{"SchoolYear", func() error { _, err := s.SchoolYear(ctx, schoolB, yearA1); return err }},
		{"Subject", func() error { _, err := s.Subject(ctx, schoolB, subjMath); return err }},
		{"Grade", func() error { _, err := s.Grade(ctx, schoolB, gradeA1Late); return err }},
		{"Lesson", func() error { _, err := s.Lesson(ctx, schoolB, mathMonday); return err }},
	}
	for _, l := range lookups {
		t.Run(l.name, func(t *testing.T) {
			if err := l.fn(); !errors.Is(err, school.ErrNotFound) {
				t.Errorf("%s of school A under school B: %v, want ErrNotFound", l.name, err)
			}
		})
	}

	// Lists leave the other school's rows out.
	aPupils := []school.ID{pupilA1, pupilA2}
	pupils, err := s.Pupils(ctx, schoolB, append(aPupils, pupilB1))
	mustNil(t, "pupils", err)
	if len(pupils) != 1 || pupils[0].ID != pupilB1 {
		t.Errorf("Pupils under B = %+v, want only %d", pupils, pupilB1)
	}
	staff, err := s.StaffMembers(ctx, schoolB, []school.ID{teacherA1})
	mustNil(t, "staff", err)
	if len(staff) != 0 {
		t.Errorf("StaffMembers under B = %+v, want none", staff)
	}
	subjects, err := s.SubjectsByID(ctx, schoolB, []school.ID{subjMath})
	mustNil(t, "subjects", err)
	if len(subjects) != 0 {
		t.Errorf("SubjectsByID under B = %+v, want none", subjects)
	}
	grades, total, err := s.Grades(ctx, school.GradeQuery{SchoolID: schoolB, PupilIDs: aPupils})
	mustNil(t, "grades", err)
	if len(grades) != 0 || total != 0 {
		t.Errorf("Grades of A's pupils under B: %d rows, total %d; want none", len(grades), total)
	}
	lessons, total, err := s.Lessons(ctx, school.LessonQuery{SchoolID: schoolB,
		PupilIDs: aPupils, From: school.Date(2024, 1, 1), To: school.Date(2025, 1, 1)})
	mustNil(t, "lessons", err)
	if len(lessons) != 0 || total != 0 {
		t.Errorf("Lessons of A's pupils under B: %d rows, total %d; want none",
			len(lessons), total)
	}
	taught, err := s.PupilsTaughtBy(ctx, schoolB, teacherA1)
	mustNil(t, "pupils taught", err)
	if len(taught) != 0 {
		t.Errorf("PupilsTaughtBy A's teacher under B = %v, want none", taught)
	}
}

// testDataVersion: writing school data moves the version; writing tokens
// does not, and a failed import changes nothing.
func testDataVersion(t *testing.T, s school.Store) {
	ctx := context.Background()
	before, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := imported(t, s)
	after, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after == before {
		t.Fatalf("data version %d did not move on import", after)
	}
	if err := s.Import(ctx, w); err == nil {
		t.Fatal("importing the same world twice succeeded")
	}
	if v, _ := s.DataVersion(ctx); v != after {
		t.Fatalf("a failed import moved the data version from %d to %d", after, v)
	}
	if err := s.AddSigningKey(ctx, school.SigningKey{KID: "k-dv", PrivatePEM: []byte("x"),
		CreatedAt: time.Unix(1700000000, 0)}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.DataVersion(ctx); v != after {
		t.Fatalf("storing a key moved the data version from %d to %d", after, v)
	}
}
