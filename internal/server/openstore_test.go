package server_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/server"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

// TestOpenStoreRace: nodes started at once on one empty shared database all
// come up, and the demo world is there once.
func TestOpenStoreRace(t *testing.T) {
	for _, b := range sqltest.Backends() {
		if !b.Shared {
			continue
		}
		t.Run(b.Name, func(t *testing.T) {
			cfg := config.Default()
			cfg.DB = b.DSN(t)
			log := slog.New(slog.DiscardHandler)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make([]error, 3)
			for i := range errs {
				wg.Go(func() {
					st, err := server.OpenStore(ctx, cfg, log, demoNow)
					if err == nil {
						defer st.Close()
						var accs int
						if a, e := st.Accounts(ctx); e == nil {
							accs = len(a)
						}
						if accs == 0 {
							t.Errorf("node %d: no accounts after start", i)
						}
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("node %d did not start: %v", i, err)
				}
			}
		})
	}
}
