package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Stats is the use of the store's connection pools, summed over the
// writer and the readers, for the metrics at /metrics.
func (s *Store) Stats() sql.DBStats {
	w := s.write.Stats()
	if s.read == s.write {
		return w
	}
	r := s.read.Stats()
	return sql.DBStats{
		MaxOpenConnections: w.MaxOpenConnections + r.MaxOpenConnections,
		OpenConnections:    w.OpenConnections + r.OpenConnections,
		InUse:              w.InUse + r.InUse,
		Idle:               w.Idle + r.Idle,
		WaitCount:          w.WaitCount + r.WaitCount,
		WaitDuration:       w.WaitDuration + r.WaitDuration,
		MaxIdleClosed:      w.MaxIdleClosed + r.MaxIdleClosed,
		MaxIdleTimeClosed:  w.MaxIdleTimeClosed + r.MaxIdleTimeClosed,
		MaxLifetimeClosed:  w.MaxLifetimeClosed + r.MaxLifetimeClosed,
	}
}

// ErrNotMigrated: the database lacks a migration this binary knows, so
// a node started before an upgrade's migrations ran answers not ready.
var ErrNotMigrated = errors.New("migrations not current")

// Ready reports whether both pools answer and every migration this binary
// embeds is recorded, for /readyz.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping writer: %w", err)
	}
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping readers: %w", err)
	}
	ms, err := loadMigrations(s.d)
	if err != nil {
		return err
	}
	var n int
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if err != nil {
		return fmt.Errorf("count migrations: %w", err)
	}
	if n < len(ms) {
		return fmt.Errorf("%w: %d of %d applied", ErrNotMigrated, n, len(ms))
	}
	return nil
}
