package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

func gradeIDs(gs []school.Grade) []school.ID {
	ids := make([]school.ID, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	return ids
}

func lessonIDs(ls []school.Lesson) []school.ID {
	ids := make([]school.ID, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	return ids
}

func testGradeOrder(t *testing.T, s school.Store) {
	imported(t, s)
	both := []school.ID{pupilA1, pupilA2}
	cases := []struct {
		name   string
		pupils []school.ID
		sort   school.Sort
		want   []school.ID
	}{
		{"default is entry time then id", both, school.SortDefault,
			[]school.ID{gradeA1Early, gradeA1Late, gradeA2, gradeA2Twin, gradeA1Avg}},
		{"time ascending", both, school.SortTimeAsc,
			[]school.ID{gradeA1Early, gradeA1Late, gradeA2, gradeA2Twin, gradeA1Avg}},
		{"time descending, ties by id descending", both, school.SortTimeDesc,
			[]school.ID{gradeA1Avg, gradeA2Twin, gradeA2, gradeA1Late, gradeA1Early}},
		{"id ascending", both, school.SortIDAsc,
			[]school.ID{gradeA1Late, gradeA1Early, gradeA1Avg, gradeA2, gradeA2Twin}},
		{"id descending", both, school.SortIDDesc,
			[]school.ID{gradeA2Twin, gradeA2, gradeA1Avg, gradeA1Early, gradeA1Late}},
		{"one pupil", []school.ID{pupilA1}, school.SortDefault,
			[]school.ID{gradeA1Early, gradeA1Late, gradeA1Avg}},
		{"pupil without grades", []school.ID{pupilA3}, school.SortDefault, nil},
		{"no pupils", nil, school.SortDefault, nil},
		{"unknown pupil", []school.ID{42}, school.SortDefault, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.Grades(context.Background(), school.GradeQuery{
				SchoolID: schoolA, PupilIDs: tc.pupils, Sort: tc.sort})
			mustNil(t, "grades", err)
			same(t, "ids", gradeIDs(got), idsOrNil(tc.want))
			if total != len(tc.want) {
				t.Errorf("total = %d, want %d", total, len(tc.want))
			}
		})
	}
}

// idsOrNil makes no rows comparable, whether a store or a case says nil or
// empty.
func idsOrNil(ids []school.ID) []school.ID {
	if len(ids) == 0 {
		return []school.ID{}
	}
	return ids
}

// tiedWorld adds 150 grades of pupil A3 entered in the same millisecond,
// imported with their ids shuffled.
func tiedWorld() (*school.World, []school.ID) {
	w := world()
	at := amsterdam(2024, 2, 1, 12, 0, 0, 7)
	var ids []school.ID
	for i := range 150 {
		ids = append(ids, gradeBase+1000+school.ID(i))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, i := range rng.Perm(len(ids)) {
		w.Grades = append(w.Grades, school.Grade{ID: ids[i], SchoolID: schoolA,
			PupilID: pupilA3, SubjectID: subjArt, ColumnID: 7, Type: school.ColumnTest,
			Tenths: 60, HasValue: true, Current: 60, Entered: at, Weight: 1})
	}
	return w, ids
}

func testGradeTies(t *testing.T, s school.Store) {
	ctx := context.Background()
	w, ids := tiedWorld()
	mustNil(t, "import", s.Import(ctx, w))

	page := func(sort school.Sort, offset int) []school.ID {
		t.Helper()
		got, total, err := s.Grades(ctx, school.GradeQuery{SchoolID: schoolA,
			PupilIDs: []school.ID{pupilA3}, Sort: sort,
			Page: school.Page{Offset: offset, Limit: 100}})
		mustNil(t, "grades", err)
		if total != 150 {
			t.Errorf("total = %d, want 150", total)
		}
		return gradeIDs(got)
	}
	reversed := make([]school.ID, len(ids))
	for i, id := range ids {
		reversed[len(ids)-1-i] = id
	}
	cases := []struct {
		name string
		sort school.Sort
		want []school.ID
	}{
		{"default", school.SortDefault, ids},
		{"time ascending", school.SortTimeAsc, ids},
		{"time descending", school.SortTimeDesc, reversed},
		{"id ascending", school.SortIDAsc, ids},
		{"id descending", school.SortIDDesc, reversed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			first, second := page(tc.sort, 0), page(tc.sort, 100)
			if len(first) != 100 || len(second) != 50 {
				t.Fatalf("pages of %d and %d, want 100 and 50", len(first), len(second))
			}
			same(t, "two pages", append(first, second...), tc.want)
			// The same order on every call.
			same(t, "first page again", page(tc.sort, 0), first)
		})
	}
}

func testGradePages(t *testing.T, s school.Store) {
	imported(t, s)
	both := []school.ID{pupilA1, pupilA2}
	cases := []struct {
		name string
		page school.Page
		want []school.ID
	}{
		{"no limit", school.Page{}, []school.ID{gradeA1Early, gradeA1Late, gradeA2,
			gradeA2Twin, gradeA1Avg}},
		{"negative limit is no limit", school.Page{Offset: 3, Limit: -1},
			[]school.ID{gradeA2Twin, gradeA1Avg}},
		{"middle", school.Page{Offset: 2, Limit: 2}, []school.ID{gradeA2, gradeA2Twin}},
		{"cut at the end", school.Page{Offset: 4, Limit: 100}, []school.ID{gradeA1Avg}},
		{"past the end", school.Page{Offset: 5, Limit: 100}, nil},
		{"far past the end", school.Page{Offset: 1000, Limit: 10}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.Grades(context.Background(), school.GradeQuery{
				SchoolID: schoolA, PupilIDs: both, Page: tc.page})
			mustNil(t, "grades", err)
			same(t, "ids", gradeIDs(got), idsOrNil(tc.want))
			if total != 5 {
				t.Errorf("total = %d, want 5 (before paging)", total)
			}
		})
	}
}

func testLessonWindow(t *testing.T, s school.Store) {
	w := imported(t, s)
	both := []school.ID{pupilA1, pupilA2}
	monday, saturday0030 := school.Date(2024, 3, 4), amsterdam(2024, 3, 9, 0, 30, 0, 0)
	week := []school.ID{weekday[0], mathMonday, weekday[1], weekday[2], weekday[3],
		weekday[4]}
	cases := []struct {
		name     string
		pupils   []school.ID
		from, to time.Time
		want     []school.ID
	}{
		// begindatum=2024-03-04&einddatum=2024-03-08: the end date is
		// inclusive, so the window ends at Saturday's local midnight.
		{"weekdays, shared group once", both, monday, school.Date(2024, 3, 9), week},
		{"with saturday", both, monday, school.Date(2024, 3, 10),
			append(append([]school.ID{}, week...), saturday)},
		{"one pupil, not in the math group", []school.ID{pupilA2}, monday,
			school.Date(2024, 3, 9), weekday},
		{"start is inclusive", both, saturday0030, school.Date(2024, 3, 10),
			[]school.ID{saturday}},
		{"end is exclusive", both, school.Date(2024, 3, 8), saturday0030,
			[]school.ID{weekday[4]}},
		{"last millisecond of sunday", both, school.Date(2024, 3, 3), monday,
			[]school.ID{sundayBefore}},
		{"pupil in no group", []school.ID{pupilA3}, monday, school.Date(2024, 3, 9), nil},
		{"no pupils", nil, monday, school.Date(2024, 3, 9), nil},
		{"empty window", both, monday, monday, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.Lessons(context.Background(), school.LessonQuery{
				SchoolID: schoolA, PupilIDs: tc.pupils, From: tc.from, To: tc.to})
			mustNil(t, "lessons", err)
			same(t, "ids", lessonIDs(got), idsOrNil(tc.want))
			if total != len(tc.want) {
				t.Errorf("total = %d, want %d", total, len(tc.want))
			}
		})
	}

	// A listed lesson is the whole lesson, teachers in order included, and
	// a summer-time start keeps its local hour.
	got, _, err := s.Lessons(context.Background(), school.LessonQuery{SchoolID: schoolA,
		PupilIDs: both, From: school.Date(2024, 3, 4), To: school.Date(2024, 4, 30)})
	mustNil(t, "lessons", err)
	byID := map[school.ID]school.Lesson{}
	for _, l := range w.Lessons {
		byID[l.ID] = l
	}
	for _, l := range got {
		want := byID[l.ID]
		sameTime(t, fmt.Sprintf("lesson %d start", l.ID), l.Start, want.Start)
		sameTime(t, fmt.Sprintf("lesson %d end", l.ID), l.End, want.End)
		l.Start, l.End = want.Start, want.End
		same(t, "listed lesson", l, want)
	}
	if l := got[len(got)-1]; l.ID != summer || l.Start.Hour() != 9 {
		t.Errorf("last lesson %d starts at local hour %d, want %d at 9", l.ID,
			l.Start.Hour(), summer)
	}
}

func testLessonOrder(t *testing.T, s school.Store) {
	imported(t, s)
	q := school.LessonQuery{SchoolID: schoolA, PupilIDs: []school.ID{pupilA1, pupilA2},
		From: school.Date(2024, 3, 4), To: school.Date(2024, 3, 9)}
	cases := []struct {
		name string
		sort school.Sort
		page school.Page
		want []school.ID
	}{
		{"default is start then id", school.SortDefault, school.Page{},
			[]school.ID{weekday[0], mathMonday, weekday[1], weekday[2], weekday[3], weekday[4]}},
		{"time ascending", school.SortTimeAsc, school.Page{},
			[]school.ID{weekday[0], mathMonday, weekday[1], weekday[2], weekday[3], weekday[4]}},
		{"time descending", school.SortTimeDesc, school.Page{},
			[]school.ID{weekday[4], weekday[3], weekday[2], weekday[1], mathMonday, weekday[0]}},
		{"id ascending", school.SortIDAsc, school.Page{},
			[]school.ID{weekday[0], weekday[1], weekday[2], weekday[3], weekday[4], mathMonday}},
		{"id descending", school.SortIDDesc, school.Page{},
			[]school.ID{mathMonday, weekday[4], weekday[3], weekday[2], weekday[1], weekday[0]}},
		{"a page", school.SortDefault, school.Page{Offset: 1, Limit: 2},
			[]school.ID{mathMonday, weekday[1]}},
		{"past the end", school.SortDefault, school.Page{Offset: 6, Limit: 2}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := q
			q.Sort, q.Page = tc.sort, tc.page
			got, total, err := s.Lessons(context.Background(), q)
			mustNil(t, "lessons", err)
			same(t, "ids", lessonIDs(got), idsOrNil(tc.want))
			if total != 6 {
				t.Errorf("total = %d, want 6 (before paging)", total)
			}
		})
	}
}

func testPupilsTaughtBy(t *testing.T, s school.Store) {
	imported(t, s)
	cases := []struct {
		name           string
		school, staffs school.ID
		want           []school.ID
	}{
		{"teaches one group", schoolA, teacherA1, []school.ID{pupilA1}},
		{"teaches two groups that share a pupil", schoolA, teacherA2,
			[]school.ID{pupilA1, pupilA2}},
		{"other school", schoolB, teacherB, []school.ID{pupilB1}},
		{"unknown teacher", schoolA, 42, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.PupilsTaughtBy(context.Background(), tc.school, tc.staffs)
			mustNil(t, "pupils taught", err)
			same(t, "ids", idsOrNil(got), idsOrNil(tc.want))
		})
	}
}

func testSubjects(t *testing.T, s school.Store) {
	ctx := context.Background()
	w := imported(t, s)
	math, dutch, art := w.Subjects[0], w.Subjects[1], w.Subjects[2]
	cases := []struct {
		name string
		page school.Page
		want []school.Subject
	}{
		{"all, by abbreviation", school.Page{}, []school.Subject{art, dutch, math}},
		{"first page", school.Page{Limit: 2}, []school.Subject{art, dutch}},
		{"second page", school.Page{Offset: 2, Limit: 2}, []school.Subject{math}},
		{"past the end", school.Page{Offset: 3, Limit: 2}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.Subjects(ctx, schoolA, tc.page)
			mustNil(t, "subjects", err)
			// nil and empty both mean no rows.
			if len(got)+len(tc.want) > 0 {
				same(t, "subjects", got, tc.want)
			}
			if total != 3 {
				t.Errorf("total = %d, want 3", total)
			}
		})
	}
	got, err := s.SubjectsByID(ctx, schoolA, []school.ID{subjArt, 42, subjMath})
	mustNil(t, "subjects by id", err)
	same(t, "SubjectsByID (by id)", got, []school.Subject{math, art})
	one, err := s.Subject(ctx, schoolA, subjDutch)
	mustNil(t, "subject", err)
	same(t, "Subject", one, dutch)
}
