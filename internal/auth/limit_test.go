package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMemoryLimiter(t *testing.T) {
	t0 := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		key      string
		after    time.Duration
		wantOK   bool
		wantWait time.Duration
	}{
		{"first of the burst", "a", 0, true, 0},
		{"second of the burst", "a", 0, true, 0},
		{"over the burst", "a", 0, false, time.Second},
		{"another key has its own", "b", 0, true, 0},
		{"half refilled", "a", 500 * time.Millisecond, false, 500 * time.Millisecond},
		{"refilled", "a", time.Second, true, 0},
	}
	l := NewMemoryLimiter(RateLimit{PerSecond: 1, Burst: 2})
	// The steps run in order against one limiter.
	for _, tc := range cases {
		ok, wait, err := l.Allow(context.Background(), tc.key, t0.Add(tc.after))
		if err != nil || ok != tc.wantOK || wait != tc.wantWait {
			t.Errorf("%s: Allow = %v, %v, %v; want %v, %v, nil", tc.name, ok, wait, err,
				tc.wantOK, tc.wantWait)
		}
	}
}

// rateStore is a school.RateLimits that records its calls and answers err.
type rateStore struct {
	mu    sync.Mutex
	calls []string
	err   error
}

func (s *rateStore) TakeToken(_ context.Context, key string, _ time.Time, perSecond float64,
	burst int) (bool, time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, fmt.Sprintf("%s %v/s %d", key, perSecond, burst))
	return s.err == nil, 0, s.err
}

// The store limiter asks the store with its rate, the default one when
// none is given.
func TestStoreLimiter(t *testing.T) {
	cases := []struct {
		name string
		rate RateLimit
		want string
	}{
		{"its own rate", RateLimit{PerSecond: 3, Burst: 7}, "k 3/s 7"},
		{"the default", RateLimit{}, "k 200/s 1000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := &rateStore{}
			ok, _, err := NewStoreLimiter(st, tc.rate).Allow(context.Background(), "k", time.Time{})
			if !ok || err != nil || len(st.calls) != 1 || st.calls[0] != tc.want {
				t.Errorf("Allow = %v, %v; calls %q, want [%q]", ok, err, st.calls, tc.want)
			}
		})
	}
}

// A limiter that fails lets requests through, logs once per kind of
// failure, and logs again after it has answered in between.
func TestLimiterFailsOpen(t *testing.T) {
	st := &rateStore{}
	r := newRigWith(t, publicURL, func(o *Options) {
		o.Limiter = NewStoreLimiter(st, RateLimit{PerSecond: 1, Burst: 1})
	})
	down := errors.New("connection refused")
	slow := fmt.Errorf("take token: %w", context.DeadlineExceeded)
	steps := []struct {
		name     string
		err      error
		wantWarn int // warnings logged so far
	}{
		{"first failure logs", down, 1},
		{"the same failure again is quiet", down, 1},
		{"another kind logs", slow, 2},
		{"it answers", nil, 2},
		{"failing again logs again", down, 3},
	}
	for _, s := range steps {
		st.mu.Lock()
		st.err = s.err
		st.mu.Unlock()
		rec := httptest.NewRecorder()
		r.mux.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != 200 {
			t.Errorf("%s: login page %d, want 200", s.name, rec.Code)
		}
		if got := strings.Count(r.logs.String(), "rate limiter failed"); got != s.wantWarn {
			t.Errorf("%s: %d warnings logged, want %d", s.name, got, s.wantWarn)
		}
	}
	if !strings.Contains(r.logs.String(), "level=WARN") {
		t.Error("the failures were not logged at Warn")
	}
}

func TestFailureKind(t *testing.T) {
	type custom struct{ error }
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"timeout, wrapped", fmt.Errorf("a: %w", context.DeadlineExceeded), "timeout"},
		{"canceled", context.Canceled, "canceled"},
		{"innermost type", fmt.Errorf("a: %w", fmt.Errorf("b: %w", custom{})), "auth.custom"},
		{"plain", errors.New("x"), "*errors.errorString"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := failureKind(tc.err); got != tc.want {
				t.Errorf("failureKind = %q, want %q", got, tc.want)
			}
		})
	}
}
