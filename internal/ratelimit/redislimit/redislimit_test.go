package redislimit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/ratelimit/redislimit"
	"github.com/opensom/opensom/internal/ratelimit/redislimit/redistest"
)

// open connects to the Redis of OPENSOM_TEST_REDIS with a key prefix of
// the test's own, so that runs and tests never share a bucket.
func open(t *testing.T, perSecond float64, burst int, prefix string) *redislimit.Limiter {
	t.Helper()
	url := redistest.URL(t)
	l, err := redislimit.Open(context.Background(), redislimit.Options{URL: url,
		Prefix: prefix, PerSecond: perSecond, Burst: burst})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func newPrefix(t *testing.T) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "opensom:test:" + hex.EncodeToString(b[:]) + ":"
}

// The bucket follows school.Bucket's rules, step by step, on the times it
// is given rather than Redis's clock.
func TestTakeSteps(t *testing.T) {
	t0 := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	steps := []struct {
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
		{"a clock behind adds nothing", "a", 200 * time.Millisecond, false, 500 * time.Millisecond},
		{"refilled", "a", time.Second, true, 0},
	}
	l := open(t, 1, 2, newPrefix(t))
	for _, s := range steps {
		ok, wait, err := l.Allow(context.Background(), s.key, t0.Add(s.after))
		if err != nil || ok != s.wantOK || wait != s.wantWait {
			t.Errorf("%s: Allow = %v, %v, %v; want %v, %v, nil", s.name, ok, wait, err,
				s.wantOK, s.wantWait)
		}
	}
}

// Two limiters on one Redis (two nodes) share each bucket, and takes that
// race never take more than the bucket holds.
func TestSharedAndRacing(t *testing.T) {
	prefix := newPrefix(t)
	nodes := []*redislimit.Limiter{open(t, 0.001, 10, prefix), open(t, 0.001, 10, prefix)}
	now := time.Now()
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			got, _, err := nodes[i%2].Allow(context.Background(), "addr", now)
			if err != nil {
				t.Errorf("take %d: %v", i, err)
			}
			if got {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 10 {
		t.Errorf("%d of 40 racing takes went through, want the burst of 10", ok.Load())
	}
}

// A bucket expires once it would be full again, so idle addresses leave
// nothing behind.
func TestBucketExpires(t *testing.T) {
	prefix := newPrefix(t)
	l := open(t, 10, 5, prefix) // full again after 0.5s; kept 1.5s
	if _, _, err := l.Allow(context.Background(), "k", time.Now()); err != nil {
		t.Fatal(err)
	}
	ttl, err := l.TTL(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 0 || ttl > 1500*time.Millisecond {
		t.Errorf("bucket ttl %v, want above 0 and at most 1.5s", ttl)
	}
}

func TestOpenErrors(t *testing.T) {
	cases := []struct {
		name string
		o    redislimit.Options
		want string
	}{
		{"no rate", redislimit.Options{URL: "redis://127.0.0.1:6379", Burst: 1}, "want both positive"},
		{"no burst", redislimit.Options{URL: "redis://127.0.0.1:6379", PerSecond: 1}, "want both positive"},
		{"not a redis URL", redislimit.Options{URL: "http://user:hunter2@127.0.0.1:6379",
			PerSecond: 1, Burst: 1}, "not a valid redis:// URL"},
		// Port 1 on loopback: nothing listens, so the ping fails at once.
		{"nothing there", redislimit.Options{URL: "redis://:hunter2@127.0.0.1:1/0",
			PerSecond: 1, Burst: 1}, "ping"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := redislimit.Open(context.Background(), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open = %v, want an error saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}
