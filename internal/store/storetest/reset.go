package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// dirty changes what a day of use changes: a lesson cancelled, a token
// family started, a failed login counted. It returns the first lesson.
func dirty(t *testing.T, s school.Store, w *school.World) school.Lesson {
	t.Helper()
	ctx := context.Background()
	l := w.Lessons[0]
	if err := s.SetLessonStatus(ctx, l.SchoolID, l.ID, school.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	if err := s.AddRefreshToken(ctx, token("r1", "fam-r")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FailLogin(ctx, schoolA, "90001", t0, 5, time.Minute); err != nil {
		t.Fatal(err)
	}
	return l
}

func testResetBack(t *testing.T, s school.Store) {
	ctx := context.Background()
	w := imported(t, s)
	l := dirty(t, s, w)
	key := school.SigningKey{KID: "k-reset", PrivatePEM: []byte("x"),
		CreatedAt: time.Unix(1700000000, 0)}
	if err := s.AddSigningKey(ctx, key); err != nil {
		t.Fatal(err)
	}
	before, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}

	if err := s.Reset(ctx, world()); err != nil {
		t.Fatalf("reset: %v", err)
	}

	got, err := s.Lesson(ctx, l.SchoolID, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != school.StatusActive {
		t.Errorf("lesson status after reset = %q, want %q", got.Status, school.StatusActive)
	}
	schools, err := s.Schools(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(schools) != len(w.Schools) {
		t.Errorf("schools after reset: %d, want %d", len(schools), len(w.Schools))
	}
	if _, err := s.RefreshToken(ctx, "r1"); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("refresh token after reset: err = %v, want ErrNotFound", err)
	}
	if revoked, err := s.FamilyRevoked(ctx, "fam-r"); err != nil || !revoked {
		t.Errorf("family after reset: revoked = %v, %v; want true", revoked, err)
	}
	if la, err := s.LoginAttempts(ctx, schoolA, "90001"); err != nil || la.Failures != 0 {
		t.Errorf("login attempts after reset = %+v, %v; want none", la, err)
	}
	keys, err := s.SigningKeys(ctx)
	if err != nil || len(keys) != 1 || keys[0].KID != key.KID {
		t.Errorf("signing keys after reset = %v, %v; want the one stored before", keys, err)
	}
	if after, err := s.DataVersion(ctx); err != nil || after <= before {
		t.Errorf("data version after reset = %d, %v; want more than %d", after, err, before)
	}
}

func testResetAnother(t *testing.T, s school.Store) {
	ctx := context.Background()
	imported(t, s)
	// Only school B, with its own rows.
	full := world()
	w := &school.World{Schools: full.Schools[1:]}
	for _, b := range full.Branches {
		if b.SchoolID == schoolB {
			w.Branches = append(w.Branches, b)
		}
	}

	if err := s.Reset(ctx, w); err != nil {
		t.Fatalf("reset: %v", err)
	}

	schools, err := s.Schools(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(schools) != 1 || schools[0].ID != schoolB {
		t.Fatalf("schools after reset = %+v, want school B alone", schools)
	}
	if _, err := s.Pupil(ctx, schoolA, pupilA1); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("pupil of the old world: err = %v, want ErrNotFound", err)
	}
	if accs, err := s.Accounts(ctx); err != nil || len(accs) != 0 {
		t.Errorf("accounts after reset = %d, %v; want none", len(accs), err)
	}
}

func testResetFails(t *testing.T, s school.Store) {
	ctx := context.Background()
	w := imported(t, s)
	l := dirty(t, s, w)
	before, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schoolsBefore, err := s.Schools(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Two schools with one id: the import half of the reset fails.
	bad := world()
	bad.Schools = append(bad.Schools, bad.Schools[0])

	if err := s.Reset(ctx, bad); err == nil {
		t.Fatal("reset with a conflicting world succeeded")
	}

	schools, err := s.Schools(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(schools, schoolsBefore) {
		t.Errorf("schools changed by a failed reset:\n got %+v\nwant %+v", schools, schoolsBefore)
	}
	if got, err := s.Lesson(ctx, l.SchoolID, l.ID); err != nil ||
		got.Status != school.StatusCancelled {
		t.Errorf("lesson after a failed reset = %q, %v; want it still cancelled", got.Status, err)
	}
	if _, err := s.RefreshToken(ctx, "r1"); err != nil {
		t.Errorf("refresh token after a failed reset: %v", err)
	}
	if v, err := s.DataVersion(ctx); err != nil || v != before {
		t.Errorf("data version after a failed reset = %d, %v; want %d", v, err, before)
	}
}

// testWorldSource: the store keeps the Source of the world it holds, and a
// reset replaces it, also by none.
func testWorldSource(t *testing.T, s school.Store) {
	ctx := context.Background()
	want := func(step, src string) {
		t.Helper()
		got, err := s.WorldSource(ctx)
		if err != nil || got != src {
			t.Fatalf("%s: WorldSource = %q, %v; want %q", step, got, err, src)
		}
	}
	want("empty store", "")

	w := world()
	w.Source = "world-file:one"
	if err := s.Import(ctx, w); err != nil {
		t.Fatal(err)
	}
	want("after import", "world-file:one")

	w = world()
	w.Source = "world-file:two"
	if err := s.Reset(ctx, w); err != nil {
		t.Fatal(err)
	}
	want("after reset", "world-file:two")

	if err := s.Reset(ctx, world()); err != nil {
		t.Fatal(err)
	}
	want("after reset to a world without source", "")
}
