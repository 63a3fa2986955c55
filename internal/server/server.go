// Package server wires opensom's parts into one HTTP handler and opens
// the store that backs it, so that the binary and the tests start the very
// same thing.
package server

import (
	"context"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/opensom/opensom/internal/auth"
	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/httpx"
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
	w, err := demo.Generate(demo.Options{Seed: cfg.Seed, Now: now})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("generate demo world: %w", err)
	}
	if err := st.Import(ctx, w); err != nil {
		st.Close()
		return nil, fmt.Errorf("import demo world: %w", err)
	}
	log.Info("filled empty database with the demo world", "seed", cfg.Seed,
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
}

// Handler builds the whole HTTP surface on a store: the token endpoint,
// the REST API and the school list, inside the shared middleware.
func Handler(ctx context.Context, o Options) (http.Handler, error) {
	cfg := o.Config
	cost := o.PasswordCost
	if cost == (passwd.Params{}) {
		cost = passwd.Demo
	}
	as, err := auth.New(ctx, auth.Options{
		Store: o.Store, Now: o.Now, Log: o.Log, PublicURL: cfg.PublicURL, OOPURL: cfg.OOPURL,
		AccessTTL: cfg.AccessTTL, RefreshTTL: cfg.RefreshTTL, RefreshGrace: cfg.RefreshGrace,
		MaxAttempts: cfg.MaxAttempts, LockFor: cfg.LockFor, Clients: auth.KnownClients(),
		BurnCost: cost, Key: o.Key,
	})
	if err != nil {
		return nil, fmt.Errorf("start auth: %w", err)
	}
	mux := http.NewServeMux()
	as.Register(mux)
	rest.New(rest.Options{Store: o.Store, Auth: as, Log: o.Log, Now: o.Now,
		PublicURL: cfg.PublicURL}).Register(mux)
	return httpx.Wrap(mux, o.Log, o.Now), nil
}
