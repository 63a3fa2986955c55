package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/opensom/opensom/internal/school"
)

// worldWriter writes a world in parts, in transactions that last from the
// first Write after a Commit to the next Commit. Its loader keeps each
// table's batch across parts, so a part's few rows of a table wait for
// the next part's instead of costing a statement of their own.
type worldWriter struct {
	s  *Store
	tx *sql.Tx // nil between transactions
	l  *loader
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
		if err := wipe(ctx, w.tx); err != nil {
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

func (w *worldWriter) begin(ctx context.Context) error {
	tx, err := w.s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write world: begin: %w", err)
	}
	w.tx, w.l = tx, newLoader(ctx, tx, w.s.d)
	return nil
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
	if err := w.l.load(part); err != nil {
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
	if w.tx == nil {
		return nil
	}
	w.l.close()
	return w.rollback()
}

func (w *worldWriter) rollback() error {
	err := w.tx.Rollback()
	w.tx, w.l = nil, nil
	if err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back: %w", err)
	}
	return nil
}
