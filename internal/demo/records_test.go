package demo

import (
	"testing"

	"github.com/opensom/opensom/internal/school"
)

func TestRecords(t *testing.T) {
	w := generate(t, testSeed, testNow)
	counts := []struct {
		name string
		n    int
	}{
		{"holidays", len(w.Holidays)}, {"lesson hours", len(w.LessonHours)},
		{"absence reasons", len(w.AbsenceReasons)}, {"absence reports", len(w.AbsenceReports)},
		{"observations", len(w.Observations)}, {"measures", len(w.Measures)},
		{"study guides", len(w.StudyGuides)}, {"homework", len(w.Homework)},
		{"conversations", len(w.Conversations)},
	}
	for _, c := range counts {
		if c.n == 0 {
			t.Errorf("no %s", c.name)
		}
	}

	groups := map[school.ID]school.Group{}
	for _, g := range w.Groups {
		groups[g.ID] = g
	}
	lessons := map[school.ID]school.Lesson{}
	for _, l := range w.Lessons {
		lessons[l.ID] = l
	}
	kinds := map[school.HomeworkKind]int{}
	seen := map[school.ID]bool{}
	for _, h := range w.Homework {
		kinds[h.Kind]++
		if h.ID < 1_000_000_000 || seen[h.ID] || seen[h.ItemID] {
			t.Fatalf("homework %d: id small or repeated", h.ID)
		}
		seen[h.ID], seen[h.ItemID] = true, true
		if g, ok := groups[h.GroupID]; !ok || g.SchoolID != h.SchoolID {
			t.Fatalf("homework %d: group %d not in its school", h.ID, h.GroupID)
		}
		if h.Kind == school.HomeworkLesson && lessons[h.LessonID].GroupID != h.GroupID {
			t.Fatalf("homework %d: lesson %d not of its group", h.ID, h.LessonID)
		}
		if y, wk := h.Due.ISOWeek(); y != h.ISOYear || wk != h.WeekFrom || h.WeekTo < h.WeekFrom {
			t.Fatalf("homework %d: weeks %d~%d..%d do not hold its due date", h.ID, h.ISOYear,
				h.WeekFrom, h.WeekTo)
		}
	}
	for _, k := range []school.HomeworkKind{school.HomeworkLesson, school.HomeworkDay,
		school.HomeworkWeek} {
		if kinds[k] == 0 {
			t.Errorf("no homework of kind %s", k)
		}
	}
	for _, o := range w.Observations {
		l, ok := lessons[o.LessonID]
		if !ok || !l.Start.Equal(o.Start) || !l.Start.Before(testNow) {
			t.Fatalf("observation %d: not on a past lesson", o.ID)
		}
	}

	var admins []school.Account
	for _, a := range w.Accounts {
		if a.Role == school.RoleAdmin {
			admins = append(admins, a)
		}
	}
	if len(admins) != 1 || admins[0].SchoolID != w.Schools[0].ID {
		t.Fatalf("administrators %+v, want one in the first school", admins)
	}
}
