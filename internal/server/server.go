// Package server wires opensom's parts into one HTTP handler and opens
// the store that backs it, so that the binary and the tests start the very
// same thing.
package server

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/auth"
	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/clock"
	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/httpx"
	"github.com/opensom/opensom/internal/metrics"
	"github.com/opensom/opensom/internal/ratelimit/redislimit"
	"github.com/opensom/opensom/internal/rest"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore"
)

// OpenStore opens the database and fills it with the demo world when it
// holds no school yet.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger,
	now time.Time) (school.Store, error) {
	st, err := sqlstore.Open(ctx, cfg.DB, log)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	empty, err := st.Empty(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("inspect database: %w", err)
	}
	if !empty {
		return st, nil
	}
	w, err := demo.Generate(demo.Options{Seed: cfg.Seed, Now: now, Scale: cfg.Scale})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("generate demo world: %w", err)
	}
	if err := st.Import(ctx, w); err != nil {
		// Two nodes started on one empty database both try; the one that
		// loses finds the world the other imported, and that is fine.
		if errors.Is(err, school.ErrConflict) {
			if empty, e := st.Empty(ctx); e == nil && !empty {
				log.Info("another node filled the database with the demo world first")
				return st, nil
			}
		}
		st.Close()
		return nil, fmt.Errorf("import demo world: %w", err)
	}
	log.Info("filled empty database with the demo world", "seed", cfg.Seed, "scale", cfg.Scale,
		"schools", len(w.Schools), "pupils", len(w.Pupils), "lessons", len(w.Lessons),
		"grades", len(w.Grades))
	return st, nil
}

// Options are what Handler needs besides the configuration.
type Options struct {
	Config config.Config
	Store  school.Store
	Log    *slog.Logger
	Now    func() time.Time
	// Key signs tokens; nil loads the stored key or makes one. Tests pass
	// one key to many servers to save generating it.
	Key *rsa.PrivateKey
	// PasswordCost is the cost burnt for an unknown username; it should
	// match the cost of the stored hashes (passwd.Demo for the demo world).
	PasswordCost passwd.Params
	// Metrics collects what /metrics serves; nil makes a fresh set.
	Metrics *metrics.Metrics
	// Clock is the one settable clock, which the admin API moves; nil
	// makes one over Now, so a test's own Now still drives it.
	Clock *clock.Clock
	// Limiter keeps the per-address rate limit; nil is OpenLimiter's
	// choice without Redis: the store's buckets when several nodes share
	// the store, the process's memory otherwise.
	Limiter auth.Limiter
	// DemoNow is the instant the demo world was generated around
	// (OpenStore's now), so that an admin reset brings back that world;
	// zero is the clock's time when Handler starts.
	DemoNow time.Time
}

// readier is what /readyz asks of the store: that it answers and that its
// migrations are current. A store without it is ready while it lives.
type readier interface {
	Ready(ctx context.Context) error
}

// Handler builds the whole HTTP surface on a store: the token endpoint,
// the REST API and the school list, inside the shared middleware.
func Handler(ctx context.Context, o Options) (http.Handler, error) {
	cfg := o.Config
	clk := o.Clock
	if clk == nil {
		clk = clock.New(o.Now)
	}
	now := clk.Now
	m := o.Metrics
	if m == nil {
		m = metrics.New()
	}
	if ps, ok := o.Store.(metrics.PoolStats); ok {
		if err := m.WatchPool(ps); err != nil {
			return nil, fmt.Errorf("watch pool: %w", err)
		}
	}
	limiter := o.Limiter
	if limiter == nil {
		limiter, _ = localLimiter(o.Store, cfg)
	}
	cost := o.PasswordCost
	if cost == (passwd.Params{}) {
		cost = passwd.Demo
	}
	as, err := auth.New(ctx, auth.Options{
		Store: o.Store, Now: now, Log: o.Log, PublicURL: cfg.PublicURL, OOPURL: cfg.OOPURL,
		AccessTTL: cfg.AccessTTL, RefreshTTL: cfg.RefreshTTL, RefreshGrace: cfg.RefreshGrace,
		MaxAttempts: cfg.MaxAttempts, LockFor: cfg.LockFor, Clients: auth.KnownClients(),
		BurnCost: cost, Key: o.Key, Metrics: m,
		Limiter: limiter, RateLimit: rateOf(cfg), TrustForwardedFor: cfg.TrustForwardedFor,
	})
	if err != nil {
		return nil, fmt.Errorf("start auth: %w", err)
	}
	mux := http.NewServeMux()
	as.Register(mux)
	rest.New(rest.Options{Store: o.Store, Auth: as, Log: o.Log, Now: now,
		PublicURL: cfg.PublicURL, CacheBytes: cacheBytes(cfg.AnswerCacheMiB),
		AllowedOrigins: cfg.AllowedOrigins()}).Register(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writePlain(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", readyz(o.Store, o.Log))
	// TODO: /metrics has no access control of its own and is served on the
	// public port; an operator must fence it off at the proxy, or anyone can
	// read request rates and pool use.
	mux.Handle("GET /metrics", m.Handler())
	adm, err := newAdmin(cfg, o, clk, as)
	if err != nil {
		return nil, err
	}
	// Durations are the wall clock's, whatever the sandbox clock says.
	return httpx.Wrap(adm.Wrap(mux), o.Log, time.Now, m), nil
}

// multiNode is a store that other processes may share (sqlstore on
// PostgreSQL).
type multiNode interface {
	MultiNode() bool
}

// Limit is where the per-address rate limit keeps its buckets.
type Limit struct {
	auth.Limiter
	Where string       // "redis", "database" or "memory", for the log
	Close func() error // releases what OpenLimiter opened
}

// OpenLimiter opens where the per-address rate limit keeps its buckets:
// Redis when cfg.Redis is set, else as localLimiter.
func OpenLimiter(ctx context.Context, cfg config.Config, st school.Store,
	log *slog.Logger) (Limit, error) {
	if cfg.Redis == "" {
		l, where := localLimiter(st, cfg)
		return Limit{Limiter: l, Where: where, Close: func() error { return nil }}, nil
	}
	r := rateOf(cfg)
	rl, err := redislimit.Open(ctx, redislimit.Options{URL: cfg.Redis,
		PerSecond: r.PerSecond, Burst: r.Burst, Log: log})
	if err != nil {
		return Limit{}, err
	}
	return Limit{Limiter: rl, Where: "redis", Close: rl.Close}, nil
}

// localLimiter keeps the buckets in the store when other nodes share it,
// so that the limit holds for all of them together, and in memory when
// this process is the only one.
func localLimiter(st school.Store, cfg config.Config) (auth.Limiter, string) {
	if mn, ok := st.(multiNode); ok && mn.MultiNode() {
		return auth.NewStoreLimiter(st, rateOf(cfg)), "database"
	}
	return auth.NewMemoryLimiter(rateOf(cfg)), "memory"
}

func rateOf(cfg config.Config) auth.RateLimit {
	return auth.RateLimit{PerSecond: cfg.RatePerSecond, Burst: cfg.RateBurst}
}

// newAdmin builds the admin API: closed without an admin token; with one,
// it resets to the demo world of the configured seed and knows callers by
// their bearer tokens.
func newAdmin(cfg config.Config, o Options, clk *clock.Clock,
	as *auth.Server) (*admin.Admin, error) {
	demoNow := o.DemoNow
	if demoNow.IsZero() {
		demoNow = clk.Now()
	}
	adm, err := admin.New(admin.Options{
		Token: cfg.AdminToken, Clock: clk, Store: o.Store, Log: o.Log,
		PasswordCost: o.PasswordCost,
		World: func() (*school.World, error) {
			return demo.Generate(demo.Options{Seed: cfg.Seed, Now: demoNow, Scale: cfg.Scale})
		},
		Caller: func(r *http.Request) (admin.Caller, bool) {
			p, err := as.Authenticate(r)
			if err != nil {
				return admin.Caller{}, false
			}
			return admin.Caller{FamilyID: p.FamilyID, ClientID: p.ClientID}, true
		},
	})
	if err != nil {
		return nil, fmt.Errorf("start admin: %w", err)
	}
	return adm, nil
}

// readyz answers 200 when the store answers and is migrated, 503 with a
// fixed text otherwise; the cause goes to the log, not to the prober.
func readyz(st school.Store, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rd, ok := st.(readier)
		if !ok {
			writePlain(w, http.StatusOK, "ok")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := rd.Ready(ctx); err != nil {
			log.Warn("not ready", "err", err, "route", "/readyz")
			writePlain(w, http.StatusServiceUnavailable, "not ready")
			return
		}
		writePlain(w, http.StatusOK, "ok")
	}
}

func writePlain(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
}

// cacheBytes turns --answer-cache (MiB; 0 is off) into rest's CacheBytes,
// where off is a negative number.
func cacheBytes(mib int) int {
	if mib == 0 {
		return -1
	}
	return mib << 20
}
