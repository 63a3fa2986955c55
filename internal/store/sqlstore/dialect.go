package sqlstore

import (
	"errors"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is where SQLite and PostgreSQL differ. Every query is written once,
// with ? placeholders and types both accept; a dialect rewrites the few
// places that differ. Only SQLite is wired to a driver today.
type dialect struct {
	name string
	// numbered turns ? into $1, $2, ... (PostgreSQL).
	numbered bool
	// bigints turns INTEGER into BIGINT in migrations: SQLite's INTEGER is
	// 64 bits (and INTEGER PRIMARY KEY is the rowid), PostgreSQL's is 32.
	bigints bool
	// forUpdate locks the rows a read-then-write transaction reads. SQLite
	// needs none: its write transactions begin IMMEDIATE and so hold the
	// write lock from the start.
	forUpdate string
	// conflict reports whether err is a unique or primary key violation.
	conflict func(err error) bool
}

var sqliteDialect = dialect{
	name:     "sqlite",
	conflict: sqliteConflict,
}

// postgresDialect is ready for a pgx driver; nothing opens it yet.
var postgresDialect = dialect{
	name:      "postgres",
	numbered:  true,
	bigints:   true,
	forUpdate: " FOR UPDATE",
	// TODO: match pgconn.PgError code 23505 once pgx is a module of ours;
	// until then a PostgreSQL unique violation would not map to ErrConflict.
	conflict: func(error) bool { return false },
}

func sqliteConflict(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// query rewrites a query for the dialect.
func (d dialect) query(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// migration rewrites a schema file for the dialect.
func (d dialect) migration(q string) string {
	if !d.bigints {
		return q
	}
	return strings.ReplaceAll(q, "INTEGER", "BIGINT")
}

// placeholders is "?, ?, ?" for n values, for IN lists.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
