package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/opensom/opensom/internal/school"
)

// worldWriter writes a world in parts, in transactions that last from the
// first Write after a Commit to the next Commit. Its loader keeps each
// table's batch across parts, so a part's few rows of a table wait for
// the next part's instead of costing a statement of their own.
type worldWriter struct {
	s *Store
	// conn is the writer's own connection on PostgreSQL, kept for COPY
	// (see copyRows); nil on SQLite.
	conn *sql.Conn
	tx   *sql.Tx // nil between transactions
	l    *loader
	// failed is the error that ended the writer: after a failed Write or
	// Commit, whose transaction is rolled back, it refuses everything.
	failed error
}

var _ school.WorldLoader = (*Store)(nil)

// WriteWorld starts writing a world (school.WorldLoader). On SQLite the
// writer holds the database's write lock while a transaction is open, so
// other writers, a server's included, wait until it commits.
func (s *Store) WriteWorld(ctx context.Context, replace bool) (school.WorldWriter, error) {
	w := &worldWriter{s: s}
	if err := w.begin(ctx); err != nil {
		return nil, err
	}
	if err := w.clear(ctx, replace); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// clear wipes the school data, or checks that there is none.
func (w *worldWriter) clear(ctx context.Context, replace bool) error {
	if replace {
		if err := w.wipe(ctx); err != nil {
			return fmt.Errorf("write world: %w", err)
		}
		return nil
	}
	var n int
	err := w.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM schools LIMIT 1) s`).
		Scan(&n)
	if err != nil {
		return fmt.Errorf("write world: count schools: %w", err)
	}
	if n > 0 {
		return school.ErrNotEmpty
	}
	return nil
}

// wipe empties what Reset empties. PostgreSQL truncates: a DELETE checks
// every row it removes against the foreign keys that point at its table,
// which takes minutes for a big world (half a minute for the study guides
// of 10,000 pupils, against their homework's dead rows). TRUNCATE is not
// MVCC-safe, so a server reading meanwhile may see empty tables before the
// new world commits; seed while no server runs.
//
// TODO: SQLite deletes row by row, about 9 s for a world of 10,000 pupils,
// and the file keeps its size (the free pages are reused by the new world).
func (w *worldWriter) wipe(ctx context.Context) error {
	if !w.s.d.truncate {
		return wipe(ctx, w.tx)
	}
	if _, err := w.tx.ExecContext(ctx, "TRUNCATE "+strings.Join(resetTables, ", ")); err != nil {
		return fmt.Errorf("truncate: %w", err)
	}
	return nil
}

func (w *worldWriter) begin(ctx context.Context) error {
	if w.s.d.copy && w.conn == nil {
		conn, err := w.s.write.Conn(ctx)
		if err != nil {
			return fmt.Errorf("write world: connect: %w", err)
		}
		w.conn = conn
	}
	var (
		tx  *sql.Tx
		err error
	)
	if w.conn != nil {
		tx, err = w.conn.BeginTx(ctx, nil)
	} else {
		tx, err = w.s.write.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("write world: begin: %w", err)
	}
	w.tx, w.l = tx, newLoader(ctx, tx, w.s.d)
	if w.conn != nil {
		w.l.copy = w.copyRows
	}
	return nil
}

// copyRows sends rows with COPY on the connection of the open
// transaction, so that they are part of it.
//
// TODO: PostgreSQL still checks every row's foreign keys as it arrives:
// about 33,000 rows a second here, so 10,000 pupils take a minute and
// 100,000 about ten. Constraints deferred to the commit, or dropped and
// added back around a seed, would take most of that away.
func (w *worldWriter) copyRows(ctx context.Context, table string, cols []string,
	rows [][]any) error {
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: a %T is no pgx connection", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}

// Write queues the part's rows; full batches are sent at once.
func (w *worldWriter) Write(ctx context.Context, part *school.World) error {
	if w.failed != nil {
		return w.failed
	}
	if w.tx == nil {
		if err := w.begin(ctx); err != nil {
			return err
		}
	}
	w.l.ctx = ctx
	err := w.l.load(part)
	if err == nil && part.Source != "" {
		err = setWorldSource(ctx, w.tx, w.s.d, part.Source)
	}
	if err != nil {
		w.l.close()
		return w.fail(errors.Join(err, w.rollback()))
	}
	return nil
}

// fail ends the writer with err.
func (w *worldWriter) fail(err error) error {
	w.failed = fmt.Errorf("write world: %w", err)
	return w.failed
}

// Commit sends what is queued, moves the data version and commits.
func (w *worldWriter) Commit(ctx context.Context) error {
	if w.failed != nil {
		return w.failed
	}
	if w.tx == nil {
		return nil
	}
	w.l.ctx = ctx
	err := w.l.flush()
	if err == nil {
		err = bumpDataVersion(ctx, w.tx)
	}
	w.l.close()
	if err != nil {
		return w.fail(errors.Join(err, w.rollback()))
	}
	err = w.tx.Commit()
	w.tx, w.l = nil, nil
	if err != nil {
		return w.fail(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Close rolls back what was not committed.
func (w *worldWriter) Close() error {
	var err error
	if w.tx != nil {
		w.l.close()
		err = w.rollback()
	}
	if w.conn != nil {
		err = errors.Join(err, w.conn.Close())
		w.conn = nil
	}
	return err
}

func (w *worldWriter) rollback() error {
	err := w.tx.Rollback()
	w.tx, w.l = nil, nil
	if err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back: %w", err)
	}
	return nil
}
