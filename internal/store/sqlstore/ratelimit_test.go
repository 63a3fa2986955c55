package sqlstore

import (
	"context"
	"testing"
	"time"
)

// A sweep deletes only buckets idle since before its cut-off, at most
// limit of them, and a swept key starts again with a full bucket.
func TestSweepBuckets(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	const perSecond, burst = 1, 2
	take := func(key string, at time.Time) bool {
		t.Helper()
		ok, _, err := s.TakeToken(ctx, key, at, perSecond, burst)
		if err != nil {
			t.Fatalf("take %s: %v", key, err)
		}
		return ok
	}
	// The fresh bucket first: a take now and then sweeps by itself, and
	// one at the later time would sweep the old buckets.
	take("fresh", t0.Add(time.Minute))
	take("fresh", t0.Add(time.Minute))
	for _, k := range []string{"old-1", "old-2", "old-3"} {
		take(k, t0)
		take(k, t0)
	}

	cut := t0.Add(time.Second)
	steps := []struct {
		name  string
		limit int
		want  int64
	}{
		{"bounded by limit", 2, 2},
		{"the rest of the old", 10, 1},
		{"nothing old is left", 10, 0},
	}
	for _, st := range steps {
		n, err := s.sweepBuckets(ctx, cut, st.limit)
		if err != nil || n != st.want {
			t.Fatalf("%s: swept %d, %v; want %d", st.name, n, err, st.want)
		}
	}
	if take("fresh", t0.Add(time.Minute)) {
		t.Error("the fresh, empty bucket was swept: a take succeeded")
	}
	if !take("old-1", t0) || !take("old-1", t0) {
		t.Error("a swept key did not start full")
	}
}
