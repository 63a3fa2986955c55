// Package sqltest opens stores for tests: SQLite by default, and a new
// PostgreSQL database for each test when OPENSOM_TEST_POSTGRES names a
// server where tests may create databases. It is a package of its own,
// not a _test file, so that every package's tests open stores alike.
//
// The variables:
//
//	OPENSOM_TEST_POSTGRES  a postgres:// URL of a server and a database to
//	                       connect to while creating and dropping the test
//	                       databases (opensom_test_<random>); without it the
//	                       PostgreSQL tests skip, or fail when CI=true
//	OPENSOM_TEST_DB        "sqlite" or "postgres": the backend of Open;
//	                       default postgres when OPENSOM_TEST_POSTGRES is set
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/opensom/opensom/internal/store/sqlstore"
)

// The environment variables this package reads.
const (
	EnvPostgres = "OPENSOM_TEST_POSTGRES"
	EnvBackend  = "OPENSOM_TEST_DB"
)

// Backend is a kind of database a store runs on.
type Backend struct {
	Name string
	// DSN returns a new, empty database for t, removed when t ends.
	DSN func(t testing.TB) string
	// Shared reports whether two stores opened on one DSN see one
	// database (not so for SQLite's :memory:).
	Shared bool
}

// Backends are every kind of database the store must pass its suite on.
// The PostgreSQL one skips (fails in CI) without OPENSOM_TEST_POSTGRES.
func Backends() []Backend {
	return []Backend{
		{Name: "sqlite-file", DSN: sqliteFile, Shared: true},
		{Name: "sqlite-memory", DSN: func(testing.TB) string { return ":memory:" }},
		{Name: "postgres", DSN: PostgresURL, Shared: true},
	}
}

func sqliteFile(t testing.TB) string { return filepath.Join(t.TempDir(), "opensom.db") }

// DefaultBackend is the backend Open uses: OPENSOM_TEST_DB, else postgres
// when OPENSOM_TEST_POSTGRES is set, else sqlite.
func DefaultBackend() string {
	if b := os.Getenv(EnvBackend); b != "" {
		return b
	}
	if os.Getenv(EnvPostgres) != "" {
		return "postgres"
	}
	return "sqlite"
}

// Open opens a new, empty, migrated store of the default backend (SQLite
// :memory: or a new PostgreSQL database) and closes it when t ends. A nil
// log discards.
func Open(t testing.TB, log *slog.Logger) *sqlstore.Store {
	t.Helper()
	switch b := DefaultBackend(); b {
	case "sqlite":
		return OpenDSN(t, ":memory:", log)
	case "postgres":
		return OpenDSN(t, PostgresURL(t), log)
	default:
		t.Fatalf("%s=%q: want sqlite or postgres", EnvBackend, b)
		return nil
	}
}

// OpenDSN opens a store on dsn and closes it when t ends.
func OpenDSN(t testing.TB, dsn string, log *slog.Logger) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, log)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

// RequirePostgres returns OPENSOM_TEST_POSTGRES, skipping t when it is not
// set, or failing t when CI=true: CI runs every PostgreSQL test.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	server := os.Getenv(EnvPostgres)
	if server != "" {
		return server
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set, and CI must run the PostgreSQL tests", EnvPostgres)
	}
	t.Skipf("PostgreSQL tests skipped: %s is not set (a server URL where tests may "+
		"create databases, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)",
		EnvPostgres)
	return ""
}

// PostgresURL creates a new, empty database on the server of
// OPENSOM_TEST_POSTGRES and returns its URL; the database is dropped when
// t ends, after the stores closed in t's cleanups (which run first).
func PostgresURL(t testing.TB) string {
	t.Helper()
	server := RequirePostgres(t)
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s: want a postgres:// URL", EnvPostgres)
	}
	admin, err := adminDB(server)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	name := "opensom_test_" + randomHex(t, 8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// template0 takes no connections, so tests creating databases at once
	// never find their template busy.
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE ends sessions a test left open, such as a killed node's.
		_, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

var admin struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// adminDB is the one connection pool of this process to the server's
// admin database, for creating and dropping test databases.
func adminDB(server string) (*sql.DB, error) {
	admin.once.Do(func() {
		admin.db, admin.err = sql.Open("pgx", server)
		if admin.err != nil {
			return
		}
		admin.db.SetMaxOpenConns(2)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.err = admin.db.PingContext(ctx)
	})
	return admin.db, admin.err
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return strings.ToLower(hex.EncodeToString(b))
}
