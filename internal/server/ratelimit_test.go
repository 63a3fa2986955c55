package server_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/auth"
	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/ratelimit/redislimit"
	"github.com/opensom/opensom/internal/ratelimit/redislimit/redistest"
	"github.com/opensom/opensom/internal/server"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

// rateConfig allows a burst of 3 token requests per address and refills
// so slowly that a test never sees a refill.
func rateConfig() config.Config {
	cfg := config.Default()
	cfg.RatePerSecond, cfg.RateBurst = 0.001, 3
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	return cfg
}

// node is one opensom handler on its own store over dsn, as a second
// process on the same database would be; limiter nil is the server's own
// choice.
func rateNode(t *testing.T, dsn string, limiter auth.Limiter,
	tune ...func(*config.Config)) *httptest.Server {
	t.Helper()
	st := sqltest.OpenDSN(t, dsn, slog.New(slog.DiscardHandler))
	cfg := rateConfig()
	for _, f := range tune {
		f(&cfg)
	}
	h, err := server.Handler(context.Background(), server.Options{Config: cfg,
		Store: st, Log: slog.New(slog.DiscardHandler), Key: signingKey(t),
		PasswordCost: passwd.Demo, Limiter: limiter})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// tokenStatus posts a token request without a client: a 401 while the
// limit lets it through, a 429 once it does not.
func tokenStatus(t *testing.T, srv *httptest.Server, forwardedFor ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", srv.URL+"/oauth2/token",
		strings.NewReader("grant_type=password"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, f := range forwardedFor {
		req.Header.Add("X-Forwarded-For", f)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// The per-address limit holds for two nodes together where they share its
// buckets (PostgreSQL, Redis), and per process on SQLite, which is one
// process by design.
func TestRateLimitAcrossNodes(t *testing.T) {
	cases := []struct {
		name        string
		nodes       func(t *testing.T) [2]*httptest.Server
		sharedLimit bool
	}{
		{"postgres keeps the buckets in the database", func(t *testing.T) [2]*httptest.Server {
			dsn := sqltest.PostgresURL(t)
			return [2]*httptest.Server{rateNode(t, dsn, nil), rateNode(t, dsn, nil)}
		}, true},
		{"redis keeps them for every node", func(t *testing.T) [2]*httptest.Server {
			dsn := t.TempDir() + "/opensom.db"
			prefix := testRedisPrefix(t)
			return [2]*httptest.Server{
				rateNode(t, dsn, openRedisLimiter(t, prefix)),
				rateNode(t, dsn, openRedisLimiter(t, prefix))}
		}, true},
		{"sqlite keeps them per process", func(t *testing.T) [2]*httptest.Server {
			dsn := t.TempDir() + "/opensom.db"
			return [2]*httptest.Server{rateNode(t, dsn, nil), rateNode(t, dsn, nil)}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nodes := tc.nodes(t)
			for i := range 3 {
				if code, _ := tokenStatus(t, nodes[i%2]); code != http.StatusUnauthorized {
					t.Fatalf("request %d within the burst: %d, want 401", i+1, code)
				}
			}
			code, retry := tokenStatus(t, nodes[1])
			limited := code == http.StatusTooManyRequests
			if limited != tc.sharedLimit {
				t.Fatalf("fourth request, on node B: %d; limited %v, want %v", code, limited,
					tc.sharedLimit)
			}
			if limited && retry == "" {
				t.Error("429 without Retry-After")
			}
		})
	}
}

// Behind a proxy the limit counts the address the proxy appended to
// X-Forwarded-For, and only when told to trust it; otherwise a client
// cannot pick a fresh address per request.
func TestRateLimitForwardedFor(t *testing.T) {
	cases := []struct {
		name  string
		trust bool
		// wantOther: the status of a request from another forwarded address
		// once the first one has spent its burst.
		wantOther int
	}{
		{"trusted: each forwarded address has its own bucket", true, http.StatusUnauthorized},
		{"not trusted: the header changes nothing", false, http.StatusTooManyRequests},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := rateNode(t, ":memory:", nil, func(c *config.Config) {
				c.TrustForwardedFor = tc.trust
			})
			// Documentation addresses (RFC 5737), as a header only.
			for range 3 {
				tokenStatus(t, srv, "192.0.2.1")
			}
			if code, _ := tokenStatus(t, srv, "198.51.100.7, 192.0.2.1"); code !=
				http.StatusTooManyRequests {
				t.Fatalf("the spent address, last in the list: %d, want 429", code)
			}
			if code, _ := tokenStatus(t, srv, "192.0.2.1, 198.51.100.7"); code != tc.wantOther {
				t.Fatalf("another address, last in the list: %d, want %d", code, tc.wantOther)
			}
		})
	}
}

// OpenLimiter says where the buckets are, and refuses a Redis that does
// not answer rather than starting without the limit it was asked for.
func TestOpenLimiter(t *testing.T) {
	cfg := config.Default()
	st := sqltest.OpenDSN(t, ":memory:", nil)
	l, err := server.OpenLimiter(context.Background(), cfg, st, nil)
	if err != nil || l.Where != "memory" {
		t.Errorf("SQLite: where %q, err %v; want memory", l.Where, err)
	}
	cfg.Redis = "redis://127.0.0.1:1/0" // nothing listens on port 1
	if _, err := server.OpenLimiter(context.Background(), cfg, st, nil); err == nil {
		t.Error("a Redis that does not answer: no error")
	}
	cfg.Redis = redistest.URL(t)
	l, err = server.OpenLimiter(context.Background(), cfg, st, nil)
	if err != nil || l.Where != "redis" {
		t.Fatalf("Redis: where %q, err %v; want redis", l.Where, err)
	}
	if err := l.Close(); err != nil {
		t.Error(err)
	}
}

func testRedisPrefix(t *testing.T) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "opensom:test:" + hex.EncodeToString(b[:]) + ":"
}

func openRedisLimiter(t *testing.T, prefix string) auth.Limiter {
	cfg := rateConfig()
	l, err := redislimit.Open(context.Background(), redislimit.Options{URL: redistest.URL(t),
		Prefix: prefix, PerSecond: cfg.RatePerSecond, Burst: cfg.RateBurst})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
