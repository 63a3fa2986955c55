package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// t0 is the fixed clock of the token tests; no test reads the wall clock.
var t0 = amsterdam(2024, 3, 4, 10, 0, 0, 0)

const grace = 10 * time.Second

func token(hash, family string) school.RefreshToken {
	return school.RefreshToken{
		Hash: hash, FamilyID: family, SchoolID: schoolA, AccountID: accPupil,
		ClientID: "somtoday-leerling-native", Scope: "openid",
		IssuedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour),
	}
}

// rotation is one RotateRefreshToken call, after seconds past t0.
type rotation struct {
	old, next string
	after     time.Duration
	want      error
}

func testRefreshRotation(t *testing.T, s school.Store) {
	ctx := context.Background()
	hour := time.Hour
	cases := []struct {
		name        string
		revokeFirst bool
		steps       []rotation
		wantRevoked bool
		// rotatedAt, when set, is when token "1" must say it was rotated.
		rotatedAt time.Duration
		// absent are hashes that must not have been stored.
		absent []string
	}{
		{name: "happy path", rotatedAt: hour, steps: []rotation{
			{"1", "2", hour, nil},
			{"2", "3", 2 * hour, nil},
		}},
		{name: "reuse after grace revokes the family", wantRevoked: true, absent: []string{"2b"},
			steps: []rotation{
				{"1", "2", hour, nil},
				{"1", "2b", hour + grace + time.Second, school.ErrTokenReused},
				// The token that replaced it is dead too.
				{"2", "3", hour + grace + 2*time.Second, school.ErrTokenRevoked},
			}},
		{name: "reuse within grace succeeds", rotatedAt: hour, steps: []rotation{
			{"1", "2", hour, nil},
			{"1", "2b", hour + grace, nil},
			{"2b", "3", hour + grace + time.Second, nil},
		}},
		// The window runs from the first rotation; a second one inside it
		// does not stretch it.
		{name: "grace runs from the first rotation", wantRevoked: true, steps: []rotation{
			{"1", "2", hour, nil},
			{"1", "2b", hour + grace/2, nil},
			{"1", "2c", hour + grace + time.Second, school.ErrTokenReused},
		}},
		{name: "expired", absent: []string{"2"}, steps: []rotation{
			{"1", "2", 30 * 24 * hour, school.ErrTokenRevoked},
		}},
		{name: "revoked family", revokeFirst: true, wantRevoked: true, absent: []string{"2"},
			steps: []rotation{{"1", "2", hour, school.ErrTokenRevoked}}},
		{name: "unknown token", absent: []string{"2"}, steps: []rotation{
			{"nope", "2", hour, school.ErrNotFound},
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Every case has its own family and hashes in the one store.
			family := fmt.Sprintf("family-%d", i)
			h := func(name string) string { return fmt.Sprintf("hash-%d-%s", i, name) }
			mustNil(t, "add", s.AddRefreshToken(ctx, token(h("1"), family)))
			if tc.revokeFirst {
				mustNil(t, "revoke", s.RevokeFamily(ctx, family, t0))
			}
			for _, st := range tc.steps {
				// The next token claims another family: the store must put
				// it in old's.
				next := token(h(st.next), "elsewhere")
				next.IssuedAt = t0.Add(st.after)
				err := s.RotateRefreshToken(ctx, h(st.old), next, t0.Add(st.after), grace)
				if !errors.Is(err, st.want) || (st.want == nil && err != nil) {
					t.Fatalf("rotate %s -> %s at +%v: %v, want %v", st.old, st.next,
						st.after, err, st.want)
				}
				if err != nil {
					continue
				}
				got, err := s.RefreshToken(ctx, h(st.next))
				mustNil(t, "load next", err)
				want := next
				want.FamilyID = family
				sameTime(t, "IssuedAt", got.IssuedAt, want.IssuedAt)
				sameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
				got.IssuedAt, got.ExpiresAt = want.IssuedAt, want.ExpiresAt
				same(t, "next token", got, want)
			}
			revoked, err := s.FamilyRevoked(ctx, family)
			mustNil(t, "family revoked", err)
			if revoked != tc.wantRevoked {
				t.Errorf("FamilyRevoked = %v, want %v", revoked, tc.wantRevoked)
			}
			if tc.rotatedAt != 0 {
				old, err := s.RefreshToken(ctx, h("1"))
				mustNil(t, "load old", err)
				// The first rotation's time, kept through the second.
				sameTime(t, "RotatedAt", old.RotatedAt, t0.Add(tc.rotatedAt))
			}
			for _, name := range tc.absent {
				if _, err := s.RefreshToken(ctx, h(name)); !errors.Is(err, school.ErrNotFound) {
					t.Errorf("token %s: %v, want ErrNotFound", name, err)
				}
			}
		})
	}

}

func testRefreshConcurrent(t *testing.T, s school.Store) {
	refreshRace(t, []school.Store{s})
}

// refreshRace rotates one token from many goroutines at once, goroutine g
// through nodes[g%len(nodes)], all stores of one database: together they
// must behave as one store does.
func refreshRace(t *testing.T, nodes []school.Store) {
	ctx := context.Background()
	s := nodes[0]
	cases := []struct {
		name  string
		grace time.Duration
		// spread gives each goroutine a later clock by this much.
		spread time.Duration
	}{
		{"same instant, within grace", grace, 0},
		{"no grace, later clocks", 0, time.Millisecond},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			family := fmt.Sprintf("race-%d", i)
			old := fmt.Sprintf("race-%d-old", i)
			mustNil(t, "add", s.AddRefreshToken(ctx, token(old, family)))

			const n = 8
			errs := make([]error, n)
			var wg sync.WaitGroup
			for g := range n {
				wg.Go(func() {
					next := token(fmt.Sprintf("race-%d-next-%d", i, g), family)
					now := t0.Add(time.Hour + time.Duration(g)*tc.spread)
					node := nodes[g%len(nodes)]
					errs[g] = node.RotateRefreshToken(ctx, old, next, now, tc.grace)
				})
			}
			wg.Wait()

			won, latest, reused := 0, -1, false
			for g, err := range errs {
				switch {
				case err == nil:
					won, latest = won+1, g
				case errors.Is(err, school.ErrTokenReused):
					reused = true
				case errors.Is(err, school.ErrTokenRevoked):
				default:
					t.Errorf("goroutine %d: %v, want nil or a sentinel", g, err)
				}
				// A token exists exactly when its rotation succeeded.
				_, lerr := s.RefreshToken(ctx, fmt.Sprintf("race-%d-next-%d", i, g))
				if (err == nil) != (lerr == nil) {
					t.Errorf("goroutine %d: rotate %v but load %v", g, err, lerr)
				}
			}
			if won == 0 {
				t.Error("no rotation succeeded")
			}
			if tc.spread == 0 && won != n {
				t.Errorf("%d of %d rotations at one instant succeeded, want all", won, n)
			}
			revoked, err := s.FamilyRevoked(ctx, family)
			mustNil(t, "family revoked", err)
			if revoked != reused {
				t.Errorf("FamilyRevoked = %v, but a rotation saw reuse: %v", revoked, reused)
			}
			got, err := s.RefreshToken(ctx, old)
			mustNil(t, "load old", err)
			// One after the other, the first rotation sets RotatedAt, and
			// every later clock is past its grace: the winner with the
			// latest clock must be that first one. Rotations that all read
			// the token unrotated would all win instead.
			if latest >= 0 {
				sameTime(t, "RotatedAt (the winner with the latest clock)", got.RotatedAt,
					t0.Add(time.Hour+time.Duration(latest)*tc.spread))
			}
		})
	}
}

func testRefreshFamily(t *testing.T, s school.Store) {
	ctx := context.Background()
	first := token("fam-1", "fam")
	mustNil(t, "add", s.AddRefreshToken(ctx, first))

	got, err := s.RefreshToken(ctx, "fam-1")
	mustNil(t, "load", err)
	if !got.RotatedAt.IsZero() {
		t.Errorf("new token RotatedAt = %v, want zero", got.RotatedAt)
	}
	sameTime(t, "IssuedAt", got.IssuedAt, first.IssuedAt)

	if err := s.AddRefreshToken(ctx, token("fam-2", "fam")); !errors.Is(err, school.ErrConflict) {
		t.Errorf("a second family with the same id: %v, want ErrConflict", err)
	}
	cases := []struct {
		name   string
		family string
		want   bool
	}{
		{"live family", "fam", false},
		{"unknown family counts as revoked", "nope", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			revoked, err := s.FamilyRevoked(ctx, tc.family)
			mustNil(t, "family revoked", err)
			if revoked != tc.want {
				t.Errorf("FamilyRevoked(%s) = %v, want %v", tc.family, revoked, tc.want)
			}
		})
	}
	mustNil(t, "revoke", s.RevokeFamily(ctx, "fam", t0))
	mustNil(t, "revoke again", s.RevokeFamily(ctx, "fam", t0.Add(time.Hour)))
	if revoked, err := s.FamilyRevoked(ctx, "fam"); err != nil || !revoked {
		t.Errorf("after RevokeFamily: %v, %v; want true", revoked, err)
	}
}

func testLoginAttempts(t *testing.T, s school.Store) {
	ctx := context.Background()
	const maxFailures, lockFor = 3, 15 * time.Minute
	now := t0
	steps := []struct {
		name string
		want school.LoginAttempts
	}{
		{"first failure", school.LoginAttempts{Failures: 1}},
		{"second failure", school.LoginAttempts{Failures: 2}},
		{"third failure locks and resets", school.LoginAttempts{LockedUntil: now.Add(lockFor)}},
		{"counting goes on after the lock", school.LoginAttempts{Failures: 1,
			LockedUntil: now.Add(lockFor)}},
	}
	for _, st := range steps {
		got, err := s.FailLogin(ctx, schoolA, "niemand", now, maxFailures, lockFor)
		mustNil(t, st.name, err)
		checkAttempts(t, st.name, got, st.want)
		stored, err := s.LoginAttempts(ctx, schoolA, "niemand")
		mustNil(t, st.name, err)
		checkAttempts(t, st.name+", stored", stored, st.want)
	}

	// Other names, and the same name elsewhere, are untouched.
	for _, other := range []struct {
		school school.ID
		name   string
	}{{schoolA, "iemand"}, {schoolB, "niemand"}, {schoolA, "Niemand"}} {
		got, err := s.LoginAttempts(ctx, other.school, other.name)
		mustNil(t, "other", err)
		checkAttempts(t, fmt.Sprintf("%d/%s", other.school, other.name), got,
			school.LoginAttempts{})
	}

	mustNil(t, "reset", s.ResetLogin(ctx, schoolA, "niemand"))
	got, err := s.LoginAttempts(ctx, schoolA, "niemand")
	mustNil(t, "after reset", err)
	checkAttempts(t, "after reset", got, school.LoginAttempts{})
}

func checkAttempts(t *testing.T, what string, got, want school.LoginAttempts) {
	t.Helper()
	if got.Failures != want.Failures {
		t.Errorf("%s: Failures = %d, want %d", what, got.Failures, want.Failures)
	}
	sameTime(t, what+": LockedUntil", got.LockedUntil, want.LockedUntil)
}

func testSigningKeys(t *testing.T, s school.Store) {
	ctx := context.Background()
	keys, err := s.SigningKeys(ctx)
	mustNil(t, "no keys", err)
	if len(keys) != 0 {
		t.Fatalf("fresh store has %d keys", len(keys))
	}
	added := []school.SigningKey{
		{KID: "k-middle", PrivatePEM: []byte("-----BEGIN PRIVATE KEY-----\nAA==\n"),
			CreatedAt: t0},
		{KID: "k-new", PrivatePEM: []byte("new"), CreatedAt: t0.Add(time.Hour)},
		{KID: "k-old", PrivatePEM: []byte("old"), CreatedAt: t0.Add(-time.Hour)},
	}
	for _, k := range added {
		mustNil(t, "add key", s.AddSigningKey(ctx, k))
	}
	dup := added[0]
	if err := s.AddSigningKey(ctx, dup); !errors.Is(err, school.ErrConflict) {
		t.Errorf("a kid twice: %v, want ErrConflict", err)
	}
	keys, err = s.SigningKeys(ctx)
	mustNil(t, "keys", err)
	want := []school.SigningKey{added[1], added[0], added[2]}
	if len(keys) != len(want) {
		t.Fatalf("%d keys, want %d", len(keys), len(want))
	}
	for i, k := range keys {
		sameTime(t, "CreatedAt", k.CreatedAt, want[i].CreatedAt)
		k.CreatedAt = want[i].CreatedAt
		same(t, "key (newest first)", k, want[i])
	}
}
