// Package redistest finds the Redis that tests may use: the one named by
// OPENSOM_TEST_REDIS. Without it the Redis tests skip, or fail when
// CI=true, since CI runs every one of them.
package redistest

import (
	"os"
	"testing"
)

// EnvRedis names the Redis for tests, e.g. redis://127.0.0.1:6379/0.
const EnvRedis = "OPENSOM_TEST_REDIS"

// URL returns OPENSOM_TEST_REDIS, skipping t when it is not set, or
// failing t when CI=true.
func URL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(EnvRedis); u != "" {
		return u
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set, and CI must run the Redis tests", EnvRedis)
	}
	t.Skipf("Redis tests skipped: %s is not set (a Redis the tests may write keys "+
		"under opensom:test: to, e.g. redis://127.0.0.1:6379/0)", EnvRedis)
	return ""
}
