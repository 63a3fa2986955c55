package school

import (
	"testing"
	"time"
)

func TestBucketTake(t *testing.T) {
	t0 := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	const perSecond, burst = 2, 3
	tests := []struct {
		name     string
		b        Bucket
		now      time.Time
		wantOK   bool
		wantLeft float64
		wantAt   time.Time
		wantWait time.Duration
	}{
		{"full bucket takes one", Bucket{3, t0}, t0, true, 2, t0, 0},
		{"empty bucket refuses", Bucket{0, t0}, t0, false, 0, t0, 500 * time.Millisecond},
		{"half a token waits for the rest", Bucket{0.5, t0}, t0, false, 0.5, t0,
			250 * time.Millisecond},
		{"refills by elapsed time", Bucket{0, t0}, t0.Add(time.Second), true, 1,
			t0.Add(time.Second), 0},
		{"refill stops at burst", Bucket{1, t0}, t0.Add(time.Hour), true, 2, t0.Add(time.Hour), 0},
		{"an earlier clock adds nothing", Bucket{0, t0}, t0.Add(-time.Hour), false, 0, t0,
			500 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next, ok, wait := tc.b.Take(tc.now, perSecond, burst)
			if ok != tc.wantOK || next.Tokens != tc.wantLeft || !next.At.Equal(tc.wantAt) ||
				wait != tc.wantWait {
				t.Errorf("Take = %+v, %v, %v; want {%v %v}, %v, %v", next, ok, wait,
					tc.wantLeft, tc.wantAt, tc.wantOK, tc.wantWait)
			}
		})
	}
}

func TestFullAfter(t *testing.T) {
	if got := FullAfter(200, 1000); got != 5*time.Second {
		t.Errorf("FullAfter(200, 1000) = %v, want 5s", got)
	}
}
