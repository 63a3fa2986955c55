package sqlstore

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is where SQLite and PostgreSQL differ. Every query is written once,
// with ? placeholders and types both accept; a dialect rewrites the few
// places that differ.
type dialect struct {
	name string
	// numbered turns ? into $1, $2, ... (PostgreSQL).
	numbered bool
	// bigints turns INTEGER into BIGINT and BLOB into BYTEA in migrations:
	// SQLite's INTEGER is 64 bits (and INTEGER PRIMARY KEY is the rowid),
	// PostgreSQL's is 32, and PostgreSQL has no BLOB.
	bigints bool
	// forUpdate locks the rows a read-then-write transaction reads. SQLite
	// needs none: its write transactions begin IMMEDIATE and so hold the
	// write lock from the start.
	forUpdate string
	// bytewise follows a text ORDER BY key so that both backends order by
	// bytes: SQLite's default collation does, PostgreSQL's follows the
	// database's locale.
	bytewise string
	// lockMigrations is the first statement of every migration
	// transaction; on PostgreSQL it makes nodes that start at once migrate
	// one after the other. SQLite's IMMEDIATE transactions already do.
	lockMigrations string
	// readTx begins a read transaction. On PostgreSQL it must be
	// REPEATABLE READ, or each statement of it would see its own snapshot.
	readTx *sql.TxOptions
	// conflict reports whether err is a unique or primary key violation.
	conflict func(err error) bool
}

var sqliteDialect = dialect{
	name:     "sqlite",
	readTx:   &sql.TxOptions{ReadOnly: true},
	conflict: sqliteConflict,
}

// migrationLockKey is the advisory lock key of opensom's migrations: any
// fixed number no other program on the database uses ("opensom" in hex,
// roughly).
const migrationLockKey = 0x6f70656e736f6d

var postgresDialect = dialect{
	name:           "postgres",
	numbered:       true,
	bigints:        true,
	forUpdate:      " FOR UPDATE",
	bytewise:       ` COLLATE "C"`,
	lockMigrations: "SELECT pg_advisory_xact_lock(" + strconv.Itoa(migrationLockKey) + ")",
	readTx:         &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	conflict:       postgresConflict,
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

// pgUniqueViolation is SQLSTATE unique_violation, which a primary key
// violation is too.
const pgUniqueViolation = "23505"

func postgresConflict(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == pgUniqueViolation
}

// isPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
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

// migrationTypes are the type names a shared migration file may use that
// PostgreSQL spells differently.
var migrationTypes = strings.NewReplacer("INTEGER", "BIGINT", "BLOB", "BYTEA")

// migration rewrites a schema file for the dialect.
func (d dialect) migration(q string) string {
	if !d.bigints {
		return q
	}
	return migrationTypes.Replace(q)
}

// placeholders is "?, ?, ?" for n values, for IN lists.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
