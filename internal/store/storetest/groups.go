package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// testGroupsOfPupils: the groups of each pupil, as the fixture's groups
// say, and nothing of another school.
func testGroupsOfPupils(t *testing.T, s school.Store) {
	ctx := context.Background()
	w := imported(t, s)
	want := map[school.ID][]school.ID{}
	for _, g := range w.Groups {
		if g.SchoolID != schoolA {
			continue
		}
		for _, p := range g.PupilIDs {
			want[p] = append(want[p], g.ID)
		}
	}
	for _, ids := range want {
		slices.Sort(ids)
	}
	got, err := s.GroupsOfPupils(ctx, schoolA, []school.ID{pupilA1, pupilA2, pupilB1, 42})
	mustNil(t, "groups of pupils", err)
	if _, ok := got[pupilB1]; ok {
		t.Fatalf("a pupil of school B came back for school A: %v", got)
	}
	for _, p := range []school.ID{pupilA1, pupilA2} {
		if len(want[p]) == 0 {
			t.Fatalf("fixture: pupil %d is in no group", p)
		}
		same(t, "groups", got[p], want[p])
	}
	none, err := s.GroupsOfPupils(ctx, schoolA, nil)
	mustNil(t, "groups of no pupils", err)
	if len(none) != 0 {
		t.Fatalf("no pupils asked, got %v", none)
	}
}
