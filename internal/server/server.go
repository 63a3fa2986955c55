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
	"github.com/opensom/opensom/internal/world"
)

// OpenStore opens the database and fills it when it holds no school yet:
// with the world file of cfg.World, or else the demo world. A world file
// is read first, so that a file with problems stops the start before
// anything is opened. A database that holds a world already is kept as it
// is; with a world file it must be that file's world (ErrOtherWorld).
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger,
	now time.Time) (school.Store, error) {
	var w *school.World
	if cfg.World != "" {
		var err error
		if w, err = world.LoadFile(cfg.World, world.Options{Now: now}); err != nil {
			return nil, err
		}
	}
	st, err := sqlstore.Open(ctx, cfg.DB, log)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := fill(ctx, st, cfg, log, now, w); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// ErrOtherWorld: the database holds another world than the world file
// names.
var ErrOtherWorld = errors.New("database holds another world")

// fill imports the world file's world w, or the demo world when w is nil,
// into an empty store, and checks that a store that is not empty holds w.
func fill(ctx context.Context, st school.Store, cfg config.Config, log *slog.Logger,
	now time.Time, w *school.World) error {
	empty, err := st.Empty(ctx)
	if err != nil {
		return fmt.Errorf("inspect database: %w", err)
	}
	if !empty {
		return holds(ctx, st, cfg, w)
	}
	what, attrs := "the world file "+cfg.World, []any{}
	if w == nil {
		what, attrs = "the demo world", []any{"seed", cfg.Seed, "scale", cfg.Scale}
		if w, err = demo.Generate(demo.Options{Seed: cfg.Seed, Now: now,
			Scale: cfg.Scale}); err != nil {
			return fmt.Errorf("generate demo world: %w", err)
		}
	}
	if err := st.Import(ctx, w); err != nil {
		// Two nodes started on one empty database both try; the one that
		// loses finds the world the other imported, and that is fine.
		if errors.Is(err, school.ErrConflict) {
			if empty, e := st.Empty(ctx); e == nil && !empty {
				log.Info("another node filled the database first")
				return holds(ctx, st, cfg, w)
			}
		}
		return fmt.Errorf("import %s: %w", what, err)
	}
	log.Info("filled empty database with "+what, append(attrs, "schools", len(w.Schools),
		"pupils", len(w.Pupils), "lessons", len(w.Lessons), "grades", len(w.Grades))...)
	return nil
}

// holds checks that a store that is not empty holds the world file's
// world (nothing to check without a world file): a server started again
// on the same file keeps the data it finds, one started on another file
// refuses rather than mix two worlds.
//
// TODO: "the same file" is the same content, whatever the day: a file of
// relative dates ("today-3d") kept in a database from an earlier day keeps
// that day's dates until a reset, as the demo world does.
func holds(ctx context.Context, st school.Store, cfg config.Config, w *school.World) error {
	if cfg.World == "" {
		return nil
	}
	src, err := st.WorldSource(ctx)
	if err != nil {
		return err
	}
	if src == w.Source {
		return nil
	}
	had := "the demo world"
	if src != "" {
		had = "another world file, or an earlier version of this one"
	}
	return fmt.Errorf("%w: %s was filled from %s, not from %s; start with a fresh --db "+
		"(a new file or :memory:) to load the world file", ErrOtherWorld, cfg.DBForLog(), had,
		cfg.World)
}

// WorldFunc makes the world that an admin reset imports: the world file
// of cfg.World read again (so a reset picks up its changes; a file that
// now has problems answers *world.Errors), or else the demo world of the
// configured seed. now is the instant the world is made around, the same
// for every reset, so that a reset brings back the world the server
// started with.
func WorldFunc(cfg config.Config, now time.Time) func() (*school.World, error) {
	if cfg.World != "" {
		return func() (*school.World, error) {
			return world.LoadFile(cfg.World, world.Options{Now: now})
		}
	}
	return func() (*school.World, error) {
		return demo.Generate(demo.Options{Seed: cfg.Seed, Now: now, Scale: cfg.Scale})
	}
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
	// DemoNow is the instant the world was made around (OpenStore's now),
	// so that an admin reset brings back that world; zero is the clock's
	// time when Handler starts.
	DemoNow time.Time
	// World makes the world an admin reset imports; nil is
	// WorldFunc(Config, DemoNow): the world file, or the demo world.
	World func() (*school.World, error)
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
// it resets to o.World (the world file, or the demo world of the
// configured seed) and knows callers by their bearer tokens.
func newAdmin(cfg config.Config, o Options, clk *clock.Clock,
	as *auth.Server) (*admin.Admin, error) {
	makeWorld := o.World
	if makeWorld == nil {
		demoNow := o.DemoNow
		if demoNow.IsZero() {
			demoNow = clk.Now()
		}
		makeWorld = WorldFunc(cfg, demoNow)
	}
	adm, err := admin.New(admin.Options{
		Token: cfg.AdminToken, Clock: clk, Store: o.Store, Log: o.Log,
		PasswordCost: o.PasswordCost,
		World:        makeWorld,
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
