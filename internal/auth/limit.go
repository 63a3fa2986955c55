package auth

import (
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limiter decides whether one more request from key (a client address)
// may go ahead now. When not, it says how long to wait. It is the seam
// for a limiter shared by several nodes (in the database or Redis); the
// one here keeps its counts in memory, per node.
type Limiter interface {
	Allow(key string, now time.Time) (ok bool, retryAfter time.Duration)
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

// memLimiter is a token bucket per key, in memory. Idle buckets are swept
// so that many addresses cannot grow the map without bound.
//
// TODO: the counts are per node; behind a load balancer N nodes allow N
// times the rate. A limiter in the database or Redis goes behind Limiter.
type memLimiter struct {
	rate    RateLimit
	maxKeys int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewMemoryLimiter is a per-process Limiter with rate r.
func NewMemoryLimiter(r RateLimit) Limiter {
	if r.PerSecond <= 0 || r.Burst <= 0 {
		r = DefaultRateLimit
	}
	return &memLimiter{rate: r, maxKeys: 100_000, buckets: make(map[string]*bucket)}
}

func (l *memLimiter) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = math.Min(float64(l.rate.Burst), b.tokens+elapsed*l.rate.PerSecond)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate.PerSecond * float64(time.Second))
	return false, wait
}

// sweep drops buckets that have refilled: they hold nothing to remember.
// Past that, the whole map goes, which forgets a few partial buckets
// rather than growing.
func (l *memLimiter) sweep(now time.Time) {
	full := time.Duration(float64(l.rate.Burst) / l.rate.PerSecond * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxKeys {
		clear(l.buckets)
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
