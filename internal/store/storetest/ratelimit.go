package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// take is one TakeToken call and what it should answer.
type take struct {
	key      string
	after    time.Duration // since t0
	wantOK   bool
	wantWait time.Duration // when refused
}

// testRateLimit: a bucket gives its burst at once, refuses with the time to
// the next token, refills by elapsed time up to the burst, keeps keys apart,
// and counts a clock that runs behind as no time at all.
func testRateLimit(t *testing.T, s school.Store) {
	const perSecond, burst = 2, 3
	cases := []struct {
		name  string
		takes []take
	}{
		{"burst then refused", []take{
			{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, true, 0},
			{"a", 0, false, 500 * time.Millisecond},
			{"a", 100 * time.Millisecond, false, 400 * time.Millisecond},
		}},
		{"refills by elapsed time", []take{
			{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, true, 0},
			{"a", 500 * time.Millisecond, true, 0},
			{"a", 500 * time.Millisecond, false, 500 * time.Millisecond},
		}},
		{"refill stops at the burst", []take{
			{"a", 0, true, 0},
			{"a", time.Hour, true, 0}, {"a", time.Hour, true, 0}, {"a", time.Hour, true, 0},
			{"a", time.Hour, false, 500 * time.Millisecond},
		}},
		{"keys are apart", []take{
			{"a", 0, true, 0}, {"a", 0, true, 0}, {"a", 0, true, 0},
			{"b", 0, true, 0},
			{"a", 0, false, 500 * time.Millisecond},
		}},
		{"a clock behind adds nothing", []take{
			{"a", time.Minute, true, 0}, {"a", time.Minute, true, 0},
			{"a", time.Minute, true, 0},
			{"a", 0, false, 500 * time.Millisecond},
			{"a", time.Minute + 500*time.Millisecond, true, 0},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A key prefix per case: the cases share the store.
			prefix := tc.name + "/"
			for i, tk := range tc.takes {
				ok, wait, err := s.TakeToken(context.Background(), prefix+tk.key,
					t0.Add(tk.after), perSecond, burst)
				mustNil(t, fmt.Sprintf("take %d", i), err)
				if ok != tk.wantOK || (!ok && wait != tk.wantWait) {
					t.Errorf("take %d (%s at +%v) = %v, wait %v; want %v, wait %v", i, tk.key,
						tk.after, ok, wait, tk.wantOK, tk.wantWait)
				}
			}
		})
	}
}

// testRateLimitConcurrent: of takes racing on one store, exactly the
// burst succeed.
func testRateLimitConcurrent(t *testing.T, s school.Store) {
	takeRace(t, []school.Store{s})
}

// takeRace takes from one bucket from many goroutines spread over nodes,
// at one instant, and fails unless exactly the burst succeed.
func takeRace(t *testing.T, nodes []school.Store) {
	ctx := context.Background()
	const n, burst = 24, 10
	oks := make([]bool, n)
	errs := make([]error, n)
	race(n, func(i int) {
		// A rate so low that no token comes back during the race.
		oks[i], _, errs[i] = nodes[i%len(nodes)].TakeToken(ctx, "race", t0, 0.001, burst)
	})
	taken := 0
	for i := range n {
		mustNil(t, fmt.Sprintf("take %d", i), errs[i])
		if oks[i] {
			taken++
		}
	}
	if taken != burst {
		t.Errorf("%d of %d racing takes succeeded, want the burst of %d", taken, n, burst)
	}
}
