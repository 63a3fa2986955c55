package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Limiter decides whether one more request from key (a client address)
// may go ahead now. When not, it says how long to wait. A limiter that
// keeps its counts elsewhere (the database, Redis) can fail; the caller
// then lets the request through (see limited).
type Limiter interface {
	Allow(ctx context.Context, key string, now time.Time) (ok bool, retryAfter time.Duration,
		err error)
}

// RateLimit is a token bucket: Burst requests at once, refilled at
// PerSecond.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// DefaultRateLimit is high enough that a test suite or benchmark on one
// address does not trip it, and still stops a flood from one address.
// Guessing passwords slowly is the lockout's job, not this one's.
var DefaultRateLimit = RateLimit{PerSecond: 200, Burst: 1000}

// OrDefault is r, or DefaultRateLimit when r is not a usable rate.
func (r RateLimit) OrDefault() RateLimit {
	if r.PerSecond <= 0 || r.Burst <= 0 {
		return DefaultRateLimit
	}
	return r
}

// memLimiter is a token bucket per key, in memory, for one process: a
// server on SQLite, which is one process by design. Several nodes use the
// store's or Redis's buckets instead, or each would allow the whole rate.
// Idle buckets are swept so that many addresses cannot grow the map
// without bound.
type memLimiter struct {
	rate    RateLimit
	maxKeys int

	mu      sync.Mutex
	buckets map[string]*school.Bucket
}

// NewMemoryLimiter is a per-process Limiter with rate r.
func NewMemoryLimiter(r RateLimit) Limiter {
	return &memLimiter{rate: r.OrDefault(), maxKeys: 100_000,
		buckets: make(map[string]*school.Bucket)}
}

func (l *memLimiter) Allow(_ context.Context, key string, now time.Time) (bool, time.Duration,
	error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.sweep(now)
		}
		b = &school.Bucket{Tokens: float64(l.rate.Burst), At: now}
		l.buckets[key] = b
	}
	next, ok, wait := b.Take(now, l.rate.PerSecond, l.rate.Burst)
	*b = next
	return ok, wait, nil
}

// sweep drops buckets that have refilled: they hold nothing to remember.
// Past that, the whole map goes, which forgets a few partial buckets
// rather than growing.
func (l *memLimiter) sweep(now time.Time) {
	full := school.FullAfter(l.rate.PerSecond, l.rate.Burst)
	for k, b := range l.buckets {
		if now.Sub(b.At) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxKeys {
		clear(l.buckets)
	}
}

// storeLimiter keeps the buckets in the store, shared by every node on
// its database.
type storeLimiter struct {
	store school.RateLimits
	rate  RateLimit
}

// NewStoreLimiter is a Limiter with rate r whose buckets live in st, so
// that nodes on one database share one limit per address.
func NewStoreLimiter(st school.RateLimits, r RateLimit) Limiter {
	return storeLimiter{store: st, rate: r.OrDefault()}
}

func (l storeLimiter) Allow(ctx context.Context, key string, now time.Time) (bool,
	time.Duration, error) {
	return l.store.TakeToken(ctx, key, now, l.rate.PerSecond, l.rate.Burst)
}

// limitTimeout bounds the limiter's answer: a slow database or Redis
// must not hold up every login, and a late answer is let through anyway.
const limitTimeout = time.Second

// failOpen logs a limiter's failures at Warn once per kind of failure
// until the limiter answers again, so that an outage makes a few lines
// rather than one per request.
type failOpen struct {
	log     *slog.Logger
	failing atomic.Bool // fast path: nothing to clear while it answers

	mu     sync.Mutex
	logged map[string]bool
}

// failed records err and logs it when its kind is new.
func (f *failOpen) failed(err error, route string) {
	kind := failureKind(err)
	f.mu.Lock()
	if f.logged == nil {
		f.logged = make(map[string]bool)
	}
	first := !f.logged[kind]
	f.logged[kind] = true
	f.failing.Store(true)
	f.mu.Unlock()
	if first {
		f.log.Warn("rate limiter failed; letting requests through until it answers",
			"err", err, "route", route)
	}
}

// answered forgets the failures, so that the next outage is logged too.
func (f *failOpen) answered() {
	if !f.failing.Load() {
		return
	}
	f.mu.Lock()
	clear(f.logged)
	f.failing.Store(false)
	f.mu.Unlock()
	f.log.Info("rate limiter answers again")
}

// failureKind names what went wrong without the parts that differ per
// request: a timeout, a cancel, or the type of the innermost error.
func failureKind(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			return fmt.Sprintf("%T", err)
		}
		err = inner
	}
}

// clientAddr is the address a request is limited by: the peer of the
// connection, or, when the server is told to trust a proxy in front of
// it, the last address that proxy appended to X-Forwarded-For.
func clientAddr(r *http.Request, trustForwarded bool) string {
	if trustForwarded {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// retrySeconds is Retry-After in whole seconds, at least one.
func retrySeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
