package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
	"time"
)

// Migrations live in migrations/ as NNNN_name.sql, one step each, applied
// in the order of NNNN. A step whose SQL cannot be shared has a file per
// dialect instead or beside it, NNNN_name.sqlite.sql and
// NNNN_name.postgres.sql: a dialect's own file wins over the shared one,
// and a step with only other dialects' files is skipped. Whichever file
// is run, the step is recorded under its shared name, NNNN_name.sql, so a
// database migrated before a step got its own files stays up to date.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step; version is its shared file name.
type migration struct {
	version string
	sql     string
}

// dialectNames are the infixes of per-dialect migration files.
var dialectNames = []string{sqliteDialect.name, postgresDialect.name}

// splitMigration returns the step a file belongs to and the dialect it is
// for ("" when shared).
func splitMigration(file string) (version, dialectName string) {
	base := strings.TrimSuffix(file, ".sql")
	for _, name := range dialectNames {
		if strings.HasSuffix(base, "."+name) {
			return strings.TrimSuffix(base, "."+name) + ".sql", name
		}
	}
	return file, ""
}

func loadMigrations(d dialect) ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	// For each step, the file to run: the dialect's own, else the shared.
	chosen := map[string]string{}
	for _, name := range names {
		version, only := splitMigration(path.Base(name))
		switch {
		case only == d.name:
			chosen[version] = name
		case only == "":
			if _, ok := chosen[version]; !ok {
				chosen[version] = name
			}
		}
	}
	versions := make([]string, 0, len(chosen))
	for v := range chosen {
		versions = append(versions, v)
	}
	// The four-digit prefix orders them.
	sort.Strings(versions)
	ms := make([]migration, 0, len(versions))
	for _, v := range versions {
		b, err := migrationFiles.ReadFile(chosen[v])
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", chosen[v], err)
		}
		ms = append(ms, migration{version: v, sql: d.migration(string(b))})
	}
	return ms, nil
}

// migrate applies the migrations not yet recorded in schema_migrations, in
// order, each in its own transaction together with its record, so a failed
// step leaves the database at the step before. Every transaction starts
// with the dialect's migration lock, so nodes that start at once on one
// new database take turns and each step runs once.
func migrate(ctx context.Context, db *sql.DB, d dialect, log *slog.Logger) error {
	ms, err := loadMigrations(d)
	if err != nil {
		return err
	}
	const create = `
		CREATE TABLE IF NOT EXISTS schema_migrations (
			version    TEXT PRIMARY KEY,
			applied_at INTEGER NOT NULL
		)`
	// Under the lock too: two PostgreSQL sessions creating one table at
	// once can both fail the IF NOT EXISTS check.
	err = inMigration(ctx, db, d, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, d.migration(create))
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		applied, err := applyMigration(ctx, db, d, m)
		if err != nil {
			return err
		}
		if applied {
			log.Info("applied migration", "version", m.version, "dialect", d.name)
		}
	}
	return nil
}

// inMigration runs fn in a transaction that holds the migration lock.
func inMigration(ctx context.Context, db *sql.DB, d dialect, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if d.lockMigrations != "" {
		if _, err := tx.ExecContext(ctx, d.lockMigrations); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// applyMigration runs m unless it is recorded, and reports whether it ran.
func applyMigration(ctx context.Context, db *sql.DB, d dialect, m migration) (bool, error) {
	applied := false
	err := inMigration(ctx, db, d, func(tx *sql.Tx) error {
		// Checked after taking the lock, so a step another node has just
		// applied is seen as recorded.
		var n int
		err := tx.QueryRowContext(ctx,
			d.query(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`),
			m.version).Scan(&n)
		if err != nil || n > 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		// The wall clock is right here: applied_at is a record for
		// people, not an input of any logic.
		_, err = tx.ExecContext(ctx,
			d.query(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
			m.version, time.Now().UnixMilli())
		applied = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("migration %s: %w", m.version, err)
	}
	return applied, nil
}
