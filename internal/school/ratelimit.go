package school

import (
	"context"
	"math"
	"time"
)

// RateLimits keeps token buckets, one per key, where every node sees them,
// so that a limit per client address holds for all nodes together.
type RateLimits interface {
	// TakeToken takes one token from key's bucket, which holds at most
	// burst tokens and refills at perSecond; a bucket never seen is full.
	// When the bucket holds less than one token, nothing is taken and
	// retryAfter says when one will be there. Takes that race, on one node
	// or on several, never take more than the bucket holds.
	TakeToken(ctx context.Context, key string, now time.Time, perSecond float64,
		burst int) (ok bool, retryAfter time.Duration, err error)
}

// Bucket is the state of one token bucket: tokens left at At.
type Bucket struct {
	Tokens float64
	At     time.Time
}

// Take refills b for the time since b.At, capped at burst, and takes one
// token when there is one. A now before b.At (another node's clock, a
// little behind) adds nothing and keeps b.At, so that the time between
// them is not counted twice. The limiters in memory, in SQL and in Redis
// all follow these rules.
func (b Bucket) Take(now time.Time, perSecond float64, burst int) (next Bucket, ok bool,
	retryAfter time.Duration) {
	if elapsed := now.Sub(b.At).Seconds(); elapsed > 0 {
		b.Tokens = math.Min(float64(burst), b.Tokens+elapsed*perSecond)
		b.At = now
	}
	if b.Tokens >= 1 {
		b.Tokens--
		return b, true, 0
	}
	return b, false, time.Duration((1 - b.Tokens) / perSecond * float64(time.Second))
}

// FullAfter is how long a bucket takes to refill from empty: a bucket idle
// that long is full, so forgetting it changes nothing.
func FullAfter(perSecond float64, burst int) time.Duration {
	return time.Duration(float64(burst) / perSecond * float64(time.Second))
}
