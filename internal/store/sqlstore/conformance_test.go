package sqlstore_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
	"github.com/opensom/opensom/internal/store/storetest"
)

// The whole suite on every backend: SQLite always, PostgreSQL when
// OPENSOM_TEST_POSTGRES is set (and always in CI).
func TestConformance(t *testing.T) {
	for _, b := range sqltest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			open := func(t *testing.T) school.Store { return sqltest.OpenDSN(t, b.DSN(t), nil) }
			storetest.Run(t, open)
			storetest.RunAuth(t, open)
		})
	}
}

// Two stores on one database, as two nodes have; not for :memory:, whose
// connections are databases of their own.
func TestNodes(t *testing.T) {
	for _, b := range sqltest.Backends() {
		if !b.Shared {
			continue
		}
		t.Run(b.Name, func(t *testing.T) {
			storetest.RunNodes(t, func(t *testing.T) (school.Store, school.Store) {
				dsn := b.DSN(t)
				return sqltest.OpenDSN(t, dsn, nil), sqltest.OpenDSN(t, dsn, nil)
			})
		})
	}
}

// Running the migrations again, on an open database or by opening it
// again, changes nothing.
func TestMigrationsTwice(t *testing.T) {
	ctx := context.Background()
	for _, b := range sqltest.Backends() {
		if !b.Shared {
			continue
		}
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.DSN(t)
			s := sqltest.OpenDSN(t, dsn, nil)
			key := school.SigningKey{KID: "k", PrivatePEM: []byte("x")}
			if err := s.AddSigningKey(ctx, key); err != nil {
				t.Fatalf("add key: %v", err)
			}
			before := appliedVersions(t, dsn)
			if len(before) < 3 {
				t.Fatalf("%d migrations recorded, want at least 3: %v", len(before), before)
			}

			again := sqltest.OpenDSN(t, dsn, nil)
			after := appliedVersions(t, dsn)
			same := len(after) == len(before)
			for v, at := range before {
				same = same && after[v] == at
			}
			if !same {
				t.Errorf("after a second run: %v, want %v", after, before)
			}
			keys, err := again.SigningKeys(ctx)
			if err != nil || len(keys) != 1 {
				t.Errorf("data after a second run: %d keys, %v; want the 1 key", len(keys), err)
			}
		})
	}
}

// Nodes that start at once on one new database all open it, and each
// step is applied once.
func TestConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	for _, b := range sqltest.Backends() {
		if !b.Shared {
			continue
		}
		t.Run(b.Name, func(t *testing.T) {
			dsn := b.DSN(t)
			const n = 4
			stores := make([]*sqlstore.Store, n)
			errs := make([]error, n)
			start := make(chan struct{})
			done := make(chan int)
			for i := range n {
				go func() {
					<-start
					stores[i], errs[i] = sqlstore.Open(ctx, dsn, nil)
					done <- i
				}()
			}
			close(start)
			for range n {
				i := <-done
				if errs[i] != nil {
					t.Errorf("open %d: %v", i, errs[i])
					continue
				}
				t.Cleanup(func() { stores[i].Close() })
				if _, err := stores[i].Empty(ctx); err != nil {
					t.Errorf("store %d: %v", i, err)
				}
			}
			if got := appliedVersions(t, dsn); len(got) < 3 {
				t.Errorf("recorded %v, want every migration", got)
			}
		})
	}
}

// appliedVersions reads schema_migrations straight from the database.
func appliedVersions(t *testing.T, dsn string) map[string]int64 {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(),
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
		if _, twice := out[v]; twice {
			t.Errorf("migration %s recorded twice", v)
		}
		out[v] = at
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
