package sqlstore

import (
	"strings"
	"testing"
)

// The conformance suite and the migration tests run from the external
// package (conformance_test.go), through sqltest; here are the parts that
// need the package's insides.

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
}

func TestDialectMigration(t *testing.T) {
	cases := []struct {
		name string
		d    dialect
		in   string
		want string
	}{
		{"sqlite keeps types", sqliteDialect, "id INTEGER PRIMARY KEY, v BLOB",
			"id INTEGER PRIMARY KEY, v BLOB"},
		{"postgres widens and renames", postgresDialect, "id INTEGER PRIMARY KEY, v BLOB",
			"id BIGINT PRIMARY KEY, v BYTEA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.migration(tc.in); got != tc.want {
				t.Errorf("migration(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSplitMigration(t *testing.T) {
	cases := []struct {
		file, version, dialect string
	}{
		{"0001_schema.sql", "0001_schema.sql", ""},
		{"0002_auth_codes.postgres.sql", "0002_auth_codes.sql", "postgres"},
		{"0004_x.sqlite.sql", "0004_x.sql", "sqlite"},
		{"0005_y.mysql.sql", "0005_y.mysql.sql", ""},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			v, d := splitMigration(tc.file)
			if v != tc.version || d != tc.dialect {
				t.Errorf("splitMigration(%q) = %q, %q; want %q, %q", tc.file, v, d,
					tc.version, tc.dialect)
			}
		})
	}
}

// Each dialect gets every step once, under the shared name, from its own
// file where it has one.
func TestLoadMigrations(t *testing.T) {
	for _, d := range []dialect{sqliteDialect, postgresDialect} {
		t.Run(d.name, func(t *testing.T) {
			ms, err := loadMigrations(d)
			if err != nil {
				t.Fatal(err)
			}
			var versions []string
			for _, m := range ms {
				versions = append(versions, m.version)
			}
			want := "0001_schema.sql 0002_auth_codes.sql 0003_data_version.sql"
			if got := strings.Join(versions, " "); !strings.HasPrefix(got, want) {
				t.Errorf("versions %q, want them to start %q", got, want)
			}
			secrets := ms[1].sql
			wantType := map[string]string{"sqlite": "value TEXT", "postgres": "value BYTEA"}[d.name]
			if !strings.Contains(secrets, wantType) {
				t.Errorf("%s's 0002 lacks %q:\n%s", d.name, wantType, secrets)
			}
		})
	}
}
