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

// RunNodes is the part of the suite for several opensom nodes on one
// database: open returns two stores on one new, empty, migrated database,
// both closed when t ends. What one writes the other reads at once, and
// writes that race from both come out as they would from one store.
func RunNodes(t *testing.T, open func(t *testing.T) (a, b school.Store)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b school.Store)
	}{
		{"SeeEachOther", testNodesSeeEachOther},
		{"RefreshRace", func(t *testing.T, a, b school.Store) {
			refreshRace(t, []school.Store{a, b})
		}},
		{"ReuseAcrossNodes", testNodesReuse},
		{"FailLoginRace", testNodesFailLogin},
		{"AuthCodeRace", testNodesAuthCode},
		{"SigningKeyRace", testNodesSigningKeys},
		{"SecretRace", testNodesSecret},
		{"HomeworkRace", testNodesHomeworkRace},
		{"TakeTokenRace", func(t *testing.T, a, b school.Store) {
			takeRace(t, []school.Store{a, b})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := open(t)
			tt.fn(t, a, b)
		})
	}
}

// race runs fn(i) for i in [0, n) at once and waits for all.
func race(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}

// An import on one node shows on the other, data version included, and so
// do a lockout and a revoked family.
func testNodesSeeEachOther(t *testing.T, a, b school.Store) {
	ctx := context.Background()
	before, err := b.DataVersion(ctx)
	mustNil(t, "data version", err)
	w := imported(t, a)
	if empty, err := b.Empty(ctx); err != nil || empty {
		t.Fatalf("other node after import: Empty = %v, %v; want false", empty, err)
	}
	got, err := b.School(ctx, w.Schools[0].ID)
	mustNil(t, "school on the other node", err)
	same(t, "School", got, w.Schools[0])
	if v, err := b.DataVersion(ctx); err != nil || v == before {
		t.Errorf("other node's data version %d, %v; want it moved from %d", v, err, before)
	}

	const maxFailures, lockFor = 2, time.Minute
	for range maxFailures {
		_, err := a.FailLogin(ctx, schoolA, "iemand", t0, maxFailures, lockFor)
		mustNil(t, "fail login", err)
	}
	at, err := b.LoginAttempts(ctx, schoolA, "iemand")
	mustNil(t, "attempts on the other node", err)
	sameTime(t, "LockedUntil on the other node", at.LockedUntil, t0.Add(lockFor))

	mustNil(t, "add", a.AddRefreshToken(ctx, token("see-1", "see")))
	mustNil(t, "revoke", b.RevokeFamily(ctx, "see", t0))
	if revoked, err := a.FamilyRevoked(ctx, "see"); err != nil || !revoked {
		t.Errorf("family revoked on the other node: %v, %v; want true", revoked, err)
	}
}

// A token rotated on one node and presented again on the other after the
// grace window revokes its family on both.
func testNodesReuse(t *testing.T, a, b school.Store) {
	ctx := context.Background()
	mustNil(t, "add", a.AddRefreshToken(ctx, token("reuse-1", "reuse")))
	at := t0.Add(time.Hour)
	mustNil(t, "rotate on a", a.RotateRefreshToken(ctx, "reuse-1", token("reuse-2", "x"),
		at, grace))
	err := b.RotateRefreshToken(ctx, "reuse-1", token("reuse-2b", "x"),
		at.Add(grace+time.Second), grace)
	if !errors.Is(err, school.ErrTokenReused) {
		t.Fatalf("reuse on b: %v, want ErrTokenReused", err)
	}
	err = a.RotateRefreshToken(ctx, "reuse-2", token("reuse-3", "x"),
		at.Add(grace+2*time.Second), grace)
	if !errors.Is(err, school.ErrTokenRevoked) {
		t.Errorf("the replacement on a after the reuse: %v, want ErrTokenRevoked", err)
	}
}

// Failures counted at once on both nodes all count, and exactly one of
// them reaches the limit and locks.
func testNodesFailLogin(t *testing.T, a, b school.Store) {
	ctx := context.Background()
	const perNode, lockFor = 10, time.Minute
	cases := []struct {
		name        string
		maxFailures int
		wantLocks   int
		want        school.LoginAttempts
	}{
		{"counts every failure", 1000, 0, school.LoginAttempts{Failures: 2 * perNode}},
		{"the last failure locks", 2 * perNode, 1,
			school.LoginAttempts{LockedUntil: t0.Add(lockFor)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := "race-" + tc.name
			results := make([]school.LoginAttempts, 2*perNode)
			errs := make([]error, 2*perNode)
			race(2*perNode, func(i int) {
				node := []school.Store{a, b}[i%2]
				results[i], errs[i] = node.FailLogin(ctx, schoolA, name, t0, tc.maxFailures,
					lockFor)
			})
			locks := 0
			for i, err := range errs {
				mustNil(t, fmt.Sprintf("failure %d", i), err)
				if !results[i].LockedUntil.IsZero() {
					locks++
				}
			}
			if locks != tc.wantLocks {
				t.Errorf("%d failures answered locked, want %d", locks, tc.wantLocks)
			}
			got, err := b.LoginAttempts(ctx, schoolA, name)
			mustNil(t, "attempts", err)
			checkAttempts(t, "after the race", got, tc.want)
		})
	}
}

// Of exchanges of one code racing on both nodes, exactly one wins.
func testNodesAuthCode(t *testing.T, a, b school.Store) {
	ctx := context.Background()
	mustNil(t, "add", a.AddAuthCode(ctx, authCode("node-code")))
	const n = 8
	errs := make([]error, n)
	race(n, func(i int) {
		errs[i] = []school.Store{a, b}[i%2].UseAuthCode(ctx, "node-code", t0)
	})
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, school.ErrCodeUsed):
			t.Errorf("use: %v, want nil or ErrCodeUsed", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d exchanges won, want 1", wins)
	}
}

// Two nodes starting on an empty database may each store a first key:
// both are kept and both nodes list both.
func testNodesSigningKeys(t *testing.T, a, b school.Store) {
	ctx := context.Background()
	nodes := []school.Store{a, b}
	errs := make([]error, 2)
	race(2, func(i int) {
		errs[i] = nodes[i].AddSigningKey(ctx, school.SigningKey{
			KID: fmt.Sprintf("node-%d", i), PrivatePEM: []byte("pem"), CreatedAt: t0})
	})
	for i, err := range errs {
		mustNil(t, fmt.Sprintf("add key on node %d", i), err)
	}
	for i, node := range nodes {
		keys, err := node.SigningKeys(ctx)
		mustNil(t, "keys", err)
		if len(keys) != 2 {
			t.Errorf("node %d lists %d keys, want 2", i, len(keys))
		}
	}
}

// Nodes asking for one secret at once, each with a fresh value of its own,
// all get the same one back.
func testNodesSecret(t *testing.T, a, b school.Store) {
	ctx := context.Background()
	const n = 6
	got := make([][]byte, n)
	errs := make([]error, n)
	race(n, func(i int) {
		// Raw bytes, a zero among them, as a generated secret has.
		got[i], errs[i] = []school.Store{a, b}[i%2].Secret(ctx, "shared", []byte{0, byte(i), 0xff})
	})
	for i := range n {
		mustNil(t, fmt.Sprintf("secret %d", i), errs[i])
		same(t, fmt.Sprintf("secret %d", i), got[i], got[0])
	}
}
