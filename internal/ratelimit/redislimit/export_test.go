package redislimit

import (
	"context"
	"time"
)

// TTL is how long key's bucket is still kept, for the tests.
func (l *Limiter) TTL(ctx context.Context, key string) (time.Duration, error) {
	return l.client.PTTL(ctx, l.prefix+key).Result()
}
