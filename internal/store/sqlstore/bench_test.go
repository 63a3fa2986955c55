package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// benchWorld is a world of the demo's shape, scale times over: per school
// 30 pupils in 3 classes, 2,000 lessons and 750 grades per scale unit.
func benchWorld(scale int) *school.World {
	w := &school.World{}
	id := school.ID(3_000_000_000)
	next := func() school.ID { id++; return id }
	start := school.Date(2023, 9, 4)
	for range 2 {
		sc := school.School{ID: next(), Name: "Bench", City: "X", Tenant: "b", Abbrev: "B"}
		sc.UUID = fmt.Sprint(sc.ID)
		w.Schools = append(w.Schools, sc)
		subj := school.Subject{ID: next(), SchoolID: sc.ID, Abbrev: "ne"}
		teacher := school.Staff{ID: next(), SchoolID: sc.ID}
		w.Subjects, w.Staff = append(w.Subjects, subj), append(w.Staff, teacher)
		var groups []school.Group
		for range 3 * scale {
			groups = append(groups, school.Group{ID: next(), SchoolID: sc.ID})
		}
		for i := range 30 * scale {
			p := school.Pupil{ID: next(), SchoolID: sc.ID, BirthDate: school.Date(2008, 1, 1)}
			w.Pupils = append(w.Pupils, p)
			g := &groups[i%len(groups)]
			g.PupilIDs = append(g.PupilIDs, p.ID)
		}
		w.Groups = append(w.Groups, groups...)
		for i := range 2000 * scale {
			g := groups[i%len(groups)]
			at := start.Add(time.Duration(i/len(groups)) * 2 * time.Hour)
			w.Lessons = append(w.Lessons, school.Lesson{ID: next(), SchoolID: sc.ID,
				GroupID: g.ID, SubjectID: subj.ID, StaffIDs: []school.ID{teacher.ID},
				Start: at, End: at.Add(50 * time.Minute), Status: school.StatusActive})
		}
		pupils := w.Pupils[len(w.Pupils)-30*scale:]
		for i := range 750 * scale {
			p := pupils[i%len(pupils)]
			w.Grades = append(w.Grades, school.Grade{ID: next(), SchoolID: sc.ID,
				PupilID: p.ID, SubjectID: subj.ID,
				Entered:  start.Add(time.Duration(i) * time.Minute),
				HasValue: true, Tenths: 70, Current: 70, Weight: 1})
		}
	}
	return w
}

func BenchmarkImport(b *testing.B) {
	for _, scale := range []int{1, 10} {
		w := benchWorld(scale)
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			for i := range b.N {
				s, err := Open(context.Background(),
					filepath.Join(b.TempDir(), fmt.Sprintf("%d.db", i)), nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Import(context.Background(), w); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
			b.ReportMetric(float64(len(w.Lessons)+len(w.Grades)), "rows")
		})
	}
}

// benchStore is a file store holding benchWorld(scale).
func benchStore(b *testing.B, scale int) (*Store, *school.World) {
	b.Helper()
	w := benchWorld(scale)
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "q.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.Import(context.Background(), w); err != nil {
		b.Fatal(err)
	}
	return s, w
}

func BenchmarkGradesPage(b *testing.B) {
	s, w := benchStore(b, 10)
	p := w.Pupils[0]
	q := school.GradeQuery{SchoolID: p.SchoolID, PupilIDs: []school.ID{p.ID},
		Page: school.Page{Limit: 100}}
	b.ResetTimer()
	for range b.N {
		if _, _, err := s.Grades(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLessonsWeek(b *testing.B) {
	s, w := benchStore(b, 10)
	p := w.Pupils[0]
	from := school.Date(2023, 10, 2)
	q := school.LessonQuery{SchoolID: p.SchoolID, PupilIDs: []school.ID{p.ID},
		From: from, To: from.AddDate(0, 0, 7), Page: school.Page{Limit: 100}}
	b.ResetTimer()
	for range b.N {
		ls, _, err := s.Lessons(context.Background(), q)
		if err != nil || len(ls) == 0 {
			b.Fatal(len(ls), err)
		}
	}
}
