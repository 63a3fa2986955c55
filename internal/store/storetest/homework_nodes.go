package storetest

import (
	"context"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// testNodesHomeworkRace: first ticks made at once on two nodes all
// succeed, and each (assignment, pupil) ends with exactly one tick.
func testNodesHomeworkRace(t *testing.T, a, b school.Store) {
	ctx := context.Background()
	mustNil(t, "import", a.Import(ctx, recordsWorld()))
	stores := []school.Store{a, b}
	homework := []school.ID{hwMath, hwMathDay}
	errs := make([]error, 8)
	race(len(errs), func(i int) {
		_, errs[i] = stores[i%2].SetHomeworkDone(ctx, school.HomeworkDone{SchoolID: schoolA,
			HomeworkID: homework[(i/2)%2], PupilID: pupilA1, Done: i%3 == 0})
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("tick %d: %v", i, err)
		}
	}
	ticks, err := b.HomeworkDone(ctx, schoolA, homework, []school.ID{pupilA1})
	mustNil(t, "ticks", err)
	if len(ticks) != len(homework) {
		t.Fatalf("%d ticks after the race, want one per assignment: %+v", len(ticks), ticks)
	}
}
