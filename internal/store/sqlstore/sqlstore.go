// Package sqlstore is opensom's one SQL implementation of school.Store. It
// runs on SQLite through the pure-Go driver modernc.org/sqlite, and on
// PostgreSQL through pgx (as database/sql driver "pgx"); the queries are
// written once and a small dialect rewrites them.
//
// On PostgreSQL every piece of state lives in the database, and each write
// that reads first either locks what it read or is one conditional
// statement, so that several opensom nodes on one database behave as one.
//
// Times are stored as UTC unix milliseconds and come back in school.Amsterdam;
// anything finer than a millisecond is dropped. Dates are stored as
// yyyy-MM-dd and come back as Amsterdam midnight.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/opensom/opensom/internal/school"
)

// Store is a school.Store over database/sql.
type Store struct {
	// write serialises writers on one connection whose transactions begin
	// IMMEDIATE, so a read-then-write transaction holds the write lock from
	// its first statement and SQLite never has to upgrade a lock (which
	// fails with SQLITE_BUSY instead of waiting).
	write *sql.DB
	// read runs queries concurrently; for :memory: it is write itself,
	// because every connection to :memory: is a database of its own. On
	// PostgreSQL both are one pool.
	read *sql.DB
	d    dialect
	log  *slog.Logger
	// hot holds the prepared list queries, on read.
	hot stmtCache
}

var _ school.Store = (*Store)(nil)

// Pragmas every pooled connection gets, through the DSN so that new
// connections get them too.
const (
	pragmaCommon = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)"
	pragmaWrite  = "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	pragmaRead   = "&_pragma=query_only(1)"
)

// Open opens the database named by dsn: a postgres:// or postgresql:// URL,
// a SQLite file path (created when missing) or ":memory:". It runs the
// migrations before returning.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{d: sqliteDialect, log: log}
	open := s.openPools
	if isPostgres(dsn) {
		s.d, open = postgresDialect, s.openPostgres
	}
	if err := open(ctx, dsn); err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", s.d.name, err)
	}
	return s, nil
}

// migrate runs the migrations. A SQLite file that other processes open at
// the same moment can answer SQLITE_BUSY to the first BEGIN at once,
// without waiting out busy_timeout (while one of them turns the file to
// WAL); the migrations are safe to run again, so they are, for a while.
func (s *Store) migrate(ctx context.Context) error {
	const tries, pause = 50, 100 * time.Millisecond
	for try := 1; ; try++ {
		err := migrate(ctx, s.write, s.d, s.log)
		if err == nil || !sqliteBusy(err) || try == tries {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// The PostgreSQL pool. Each node holds at most pgMaxConns connections, so
// N nodes need N*pgMaxConns of the server's max_connections (100 by
// default). A statement or an idle open transaction that runs longer than
// its timeout is cancelled by the server, so one stuck request cannot hold
// row locks for ever; a URL that sets either parameter keeps its own.
const (
	pgMaxConns         = 16
	pgMaxIdleConns     = 8
	pgConnMaxLifetime  = 30 * time.Minute
	pgConnMaxIdleTime  = 5 * time.Minute
	pgStatementTimeout = "30s"
	pgIdleInTxTimeout  = "60s"
)

func (s *Store) openPostgres(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// Not err's text: it quotes the URL, and hiding the password of a
		// URL that does not parse is only best effort.
		return errors.New("parse database url: not a valid postgres:// URL")
	}
	for name, value := range map[string]string{
		"statement_timeout":                   pgStatementTimeout,
		"idle_in_transaction_session_timeout": pgIdleInTxTimeout,
	} {
		if _, ok := cfg.RuntimeParams[name]; !ok {
			cfg.RuntimeParams[name] = value
		}
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(pgMaxConns)
	db.SetMaxIdleConns(pgMaxIdleConns)
	db.SetConnMaxLifetime(pgConnMaxLifetime)
	db.SetConnMaxIdleTime(pgConnMaxIdleTime)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("connect to postgres: %w", err)
	}
	s.write, s.read = db, db
	s.hot.db = db
	return nil
}

func (s *Store) openPools(_ context.Context, dsn string) error {
	if dsn == ":memory:" {
		db, err := sql.Open("sqlite", ":memory:?"+pragmaCommon+"&_txlock=immediate")
		if err != nil {
			return fmt.Errorf("open memory database: %w", err)
		}
		// One connection that never closes: losing it loses the database.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		s.write, s.read = db, db
		s.hot.db = db
		return nil
	}

	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	w, err := sql.Open("sqlite", dsn+sep+pragmaCommon+pragmaWrite)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", dsn+sep+pragmaCommon+pragmaRead)
	if err != nil {
		w.Close()
		return fmt.Errorf("open database: %w", err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	r.SetMaxIdleConns(max(4, runtime.NumCPU()))
	s.write, s.read = w, r
	s.hot.db = r
	return nil
}

// Close closes the pools.
func (s *Store) Close() error {
	err := errors.Join(s.hot.close(), s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// querier is what *sql.DB and *sql.Tx share, so helpers serve both.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inRead runs fn in a read transaction, so the queries of one call (a page
// and its total, rows and their child rows) see one snapshot.
func (s *Store) inRead(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.read.BeginTx(ctx, s.d.readTx)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// inWrite runs fn in a write transaction and commits when fn returns nil.
func (s *Store) inWrite(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// notFound turns sql.ErrNoRows into school.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return school.ErrNotFound
	}
	return err
}

// millis is the stored form of a time.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis is a stored time in Amsterdam.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).In(school.Amsterdam) }

// nullMillis stores the zero time as NULL.
func nullMillis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromNullMillis(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMillis(n.Int64)
}

// dateText stores a date as its Amsterdam yyyy-MM-dd; the zero time as "".
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return school.FormatDate(t)
}

func fromDateText(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return school.ParseDate(s)
}

// window is the LIMIT/OFFSET of a page; Limit <= 0 means no limit. Both
// dialects accept a LIMIT of the largest int64.
func window(p school.Page) (string, []any) {
	limit := int64(p.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	return " LIMIT ? OFFSET ?", []any{limit, max(p.Offset, 0)}
}

// idArgs turns ids into query arguments.
func idArgs(ids []school.ID) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = int64(id)
	}
	return args
}
