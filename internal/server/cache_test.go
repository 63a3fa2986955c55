package server_test

import (
	"context"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// TestCachedAnswersFollowTheData: a repeated GET may come from the answer
// cache, but a write of school data makes it stale at once.
func TestCachedAnswersFollowTheData(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	count := func() int {
		_, m := e.getJSON(t, "/rest/v1/vakken", tok)
		return len(items(t, m))
	}
	before := count()
	if again := count(); again != before {
		t.Fatalf("the same request gave %d then %d subjects", before, again)
	}
	extra := &school.World{Subjects: []school.Subject{{ID: 1100000399, SchoolID: schoolA,
		UUID: "00000000-0000-4000-8000-0000000003a9", Abbrev: "ckv",
		Name: "culturele en kunstzinnige vorming"}}}
	if err := e.store.Import(context.Background(), extra); err != nil {
		t.Fatal(err)
	}
	if after := count(); after != before+1 {
		t.Fatalf("after adding a subject: %d subjects, want %d", after, before+1)
	}
	// Another account never gets this account's cached answer.
	tokS3 := e.login(t, uuidB, "s3", password).AccessToken
	_, m := e.getJSON(t, "/rest/v1/vakken", tokS3)
	if got := items(t, m); len(got) != 1 {
		t.Fatalf("school B sees %d subjects, want its own 1", len(got))
	}
}
