package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step; version is its file name.
type migration struct {
	version string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	// The four-digit prefix orders them.
	sort.Strings(names)
	ms := make([]migration, 0, len(names))
	for _, name := range names {
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		ms = append(ms, migration{version: strings.TrimPrefix(name, "migrations/"), sql: string(b)})
	}
	return ms, nil
}

// migrate applies the migrations not yet recorded in schema_migrations, in
// order, each in its own transaction together with its record, so a failed
// step leaves the database at the step before.
func migrate(ctx context.Context, db *sql.DB, d dialect) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	const create = `
		CREATE TABLE IF NOT EXISTS schema_migrations (
			version    TEXT PRIMARY KEY,
			applied_at INTEGER NOT NULL
		)`
	if _, err := db.ExecContext(ctx, d.migration(create)); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, d, m); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, d dialect, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration %s: %w", m.version, err)
	}
	defer tx.Rollback()

	// Checked inside the transaction, so two processes opening one new
	// database do not both apply a step.
	var n int
	err = tx.QueryRowContext(ctx,
		d.query(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n)
	if err != nil {
		return fmt.Errorf("check migration %s: %w", m.version, err)
	}
	if n > 0 {
		return nil
	}

	if _, err := tx.ExecContext(ctx, d.migration(m.sql)); err != nil {
		return fmt.Errorf("apply migration %s: %w", m.version, err)
	}
	// The wall clock is right here: applied_at is a record for people, not
	// an input of any logic.
	_, err = tx.ExecContext(ctx,
		d.query(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
		m.version, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("record migration %s: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration %s: %w", m.version, err)
	}
	return nil
}
