package sqlstore

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/storetest"
)

func openTest(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	cases := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "opensom.db") }},
		{"memory", func(*testing.T) string { return ":memory:" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) school.Store {
				return openTest(t, tc.dsn(t))
			})
		})
	}
}

func TestMigrationsTwice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "twice.db")
	s := openTest(t, path)
	key := school.SigningKey{KID: "k", PrivatePEM: []byte("x")}
	if err := s.AddSigningKey(ctx, key); err != nil {
		t.Fatalf("add key: %v", err)
	}
	before := appliedVersions(t, s)
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != len(ms) {
		t.Fatalf("%d migrations recorded, want %d", len(before), len(ms))
	}

	// Again on the open database, and by opening the file again.
	if err := migrate(ctx, s.write, s.d); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	again := openTest(t, path)
	after := appliedVersions(t, again)
	if len(after) != len(before) {
		t.Errorf("after a second run: %v, want %v", after, before)
	}
	for v, at := range before {
		if after[v] != at {
			t.Errorf("migration %s re-applied: applied_at %d, then %d", v, at, after[v])
		}
	}
	keys, err := again.SigningKeys(ctx)
	if err != nil || len(keys) != 1 {
		t.Errorf("data after a second run: %d keys, %v; want the 1 key", len(keys), err)
	}
}

func appliedVersions(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	rows, err := s.read.QueryContext(context.Background(),
		`SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var v string
		var at int64
		if err := rows.Scan(&v, &at); err != nil {
			t.Fatal(err)
		}
		out[v] = at
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDialectQuery(t *testing.T) {
	cases := []struct {
		name string
		d    dialect
		in   string
		want string
	}{
		{"sqlite keeps ?", sqliteDialect, "a = ? AND b IN (?, ?)", "a = ? AND b IN (?, ?)"},
		{"postgres numbers", postgresDialect, "a = ? AND b IN (?, ?)", "a = $1 AND b IN ($2, $3)"},
		{"postgres skips quoted", postgresDialect, "a = '?' AND b = ?", "a = '?' AND b = $1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.query(tc.in); got != tc.want {
				t.Errorf("query(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	if got := postgresDialect.migration("id INTEGER PRIMARY KEY"); got != "id BIGINT PRIMARY KEY" {
		t.Errorf("postgres migration = %q", got)
	}
}
