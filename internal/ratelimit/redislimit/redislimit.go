// Package redislimit keeps the per-address token buckets of the token
// endpoint and the login pages in Redis, so that every node behind one
// Redis shares one limit. One Lua script reads, refills and takes from a
// bucket, which Redis runs atomically; each bucket expires once it would
// be full again, so idle addresses cost nothing.
package redislimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultPrefix starts every key this package writes.
const DefaultPrefix = "opensom:ratelimit:"

// take is the token bucket of school.Bucket.Take, in Lua: KEYS[1] is the
// bucket, a hash of t (tokens) and at (unix ms); ARGV is now (unix ms),
// the rate per second, the burst and the time to live in ms. It answers
// {1, 0} when a token was taken, else {0, ms until the next one}. A now
// before at (a node whose clock is behind) adds nothing and keeps at.
var take = redis.NewScript(`
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
  at = now
end
local ok, wait = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {ok, wait}
`)

// Limiter is a rate limit per key in Redis. It satisfies auth.Limiter.
type Limiter struct {
	client    *redis.Client
	prefix    string
	perSecond float64
	burst     int
	ttl       time.Duration
}

// Options configure a Limiter.
type Options struct {
	URL       string // redis://host:port/db
	Prefix    string // default DefaultPrefix
	PerSecond float64
	Burst     int
	// Log gets the Redis client's own messages (failed dials and the
	// like) at Warn; nil leaves them on the client's default, stderr.
	Log *slog.Logger
}

// slogPrinter hands the Redis client's messages to slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Printf(ctx context.Context, format string, v ...any) {
	p.log.WarnContext(ctx, "redis client", "err", fmt.Sprintf(format, v...))
}

// setLogger points the Redis client's logger, which is one per process,
// at the first Log given.
var setLogger sync.Once

// Timeouts of the client: a limiter that cannot answer fast is let
// through by its caller, so waiting long for Redis buys nothing.
const (
	dialTimeout = 2 * time.Second
	ioTimeout   = 500 * time.Millisecond
)

// Open connects to the Redis at o.URL and checks that it answers.
func Open(ctx context.Context, o Options) (*Limiter, error) {
	if o.PerSecond <= 0 || o.Burst < 1 {
		return nil, fmt.Errorf("redis limiter: rate %v/s, burst %d: want both positive",
			o.PerSecond, o.Burst)
	}
	opt, err := redis.ParseURL(o.URL)
	if err != nil {
		// Not err's text: it may quote the URL, password and all.
		return nil, errors.New("redis limiter: not a valid redis:// URL")
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = dialTimeout, ioTimeout, ioTimeout
	opt.MaxRetries = 1
	// No maintenance notifications: they may move connections to
	// endpoints the server names, and opensom talks only to the one given.
	opt.MaintNotificationsConfig = &maintnotifications.Config{
		Mode: maintnotifications.ModeDisabled}
	if o.Log != nil {
		setLogger.Do(func() { redis.SetLogger(slogPrinter{o.Log}) })
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	l := &Limiter{
		client:    redis.NewClient(opt),
		prefix:    o.Prefix,
		perSecond: o.PerSecond,
		burst:     o.Burst,
		// A bucket left alone this long is full, and a missing bucket is
		// full too; the second is for clocks that differ a little.
		ttl: time.Duration(float64(o.Burst)/o.PerSecond*float64(time.Second)) + time.Second,
	}
	if err := l.client.Ping(ctx).Err(); err != nil {
		l.client.Close()
		return nil, fmt.Errorf("redis limiter: ping: %w", err)
	}
	return l, nil
}

// Allow takes a token from key's bucket.
func (l *Limiter) Allow(ctx context.Context, key string, now time.Time) (bool, time.Duration,
	error) {
	ttl := max(1, int64(math.Ceil(float64(l.ttl)/float64(time.Millisecond))))
	res, err := take.Run(ctx, l.client, []string{l.prefix + key},
		now.UnixMilli(), l.perSecond, l.burst, ttl).Int64Slice()
	if err != nil {
		return false, 0, fmt.Errorf("redis take token: %w", err)
	}
	if len(res) != 2 {
		return false, 0, fmt.Errorf("redis take token: %d values, want 2", len(res))
	}
	return res[0] == 1, time.Duration(res[1]) * time.Millisecond, nil
}

// Close closes the connections.
func (l *Limiter) Close() error { return l.client.Close() }
