package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps prepared statements of the hot list queries, keyed by
// their text. Preparing the grades page query costs about as much as
// running it, so the cache roughly halves a page's time.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxCachedIDs bounds what is cached: the text of a list query depends on
// the length of its IN list, and a pupil or a parent asks for a few ids.
const maxCachedIDs = 8

// get returns the cached statement of text, preparing it on first use, or
// nil when ids is too long to cache. It must not be called inside a
// transaction: a :memory: store has one connection, and the transaction
// holds it.
func (c *stmtCache) get(ctx context.Context, ids int, text string) (*sql.Stmt, error) {
	if ids > maxCachedIDs {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[text]; ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[text] = st
	return st, nil
}

// queryTx runs text on tx, through st when there is one; the statement
// stays prepared on each connection it has run on.
func queryTx(ctx context.Context, tx *sql.Tx, st *sql.Stmt, text string,
	args ...any) (*sql.Rows, error) {
	if st == nil {
		return tx.QueryContext(ctx, text, args...)
	}
	return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
}

// close releases the statements.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for _, st := range c.m {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
	}
	c.m = nil
	return first
}
