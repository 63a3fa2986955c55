package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// DataVersion is the counter that every write of school data moves.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.read.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("load data version: %w", err)
	}
	return v, nil
}

// bumpDataVersion moves the counter inside a write of school data.
func bumpDataVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE data_version SET version = version + 1 WHERE id = 1`)
	if err != nil {
		return fmt.Errorf("bump data version: %w", err)
	}
	return nil
}
