package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// WorldSource is the Source of the world last imported or reset to; ""
// when that world had none.
func (s *Store) WorldSource(ctx context.Context) (string, error) {
	var src string
	err := s.read.QueryRowContext(ctx, `SELECT source FROM world_source WHERE id = 1`).Scan(&src)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("load world source: %w", err)
	}
	return src, nil
}

// setWorldSource records a world's Source in the transaction that writes
// the world.
func setWorldSource(ctx context.Context, tx *sql.Tx, d dialect, src string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM world_source`); err != nil {
		return fmt.Errorf("clear world source: %w", err)
	}
	if src == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, d.query(`INSERT INTO world_source (id, source) VALUES (1, ?)`), src)
	if err != nil {
		return fmt.Errorf("record world source: %w", err)
	}
	return nil
}
