package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Sweeping idle buckets: about one take in sweepEvery also deletes up to
// sweepBatch buckets idle longer than a full refill. Chance rather than a
// counter keeps the Store free of state for it, and a batch bounds the
// work one request pays for.
const (
	sweepEvery = 256
	sweepBatch = 100
)

// TakeToken takes one token from key's bucket (see school.RateLimits). A
// new key's row is inserted already less the token it gives, which is the
// whole work for an address seen for the first time. Otherwise the row is
// read under the write lock (IMMEDIATE on SQLite, FOR UPDATE on
// PostgreSQL), so that takes racing on any number of nodes run one after
// the other and never take more than the bucket holds.
func (s *Store) TakeToken(ctx context.Context, key string, now time.Time, perSecond float64,
	burst int) (bool, time.Duration, error) {
	if perSecond <= 0 || burst < 1 {
		return false, 0, fmt.Errorf("take token: rate %v/s, burst %d: want both positive",
			perSecond, burst)
	}
	var (
		ok   bool
		wait time.Duration
	)
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		var err error
		ok, wait, err = takeToken(ctx, tx, s.d, key, now, perSecond, burst)
		return err
	})
	if err != nil {
		return false, 0, fmt.Errorf("take token: %w", err)
	}
	if rand.N(sweepEvery) == 0 {
		before := now.Add(-school.FullAfter(perSecond, burst))
		if _, err := s.sweepBuckets(ctx, before, sweepBatch); err != nil {
			// The take stands; the rows wait for the next sweep.
			s.log.Warn("sweep rate limit buckets", "err", err)
		}
	}
	return ok, wait, nil
}

func takeToken(ctx context.Context, tx *sql.Tx, d dialect, key string, now time.Time,
	perSecond float64, burst int) (bool, time.Duration, error) {
	// Twice at most: a sweep may delete the row between the insert that
	// finds it and the read that locks it; the second insert then makes it.
	for range 2 {
		res, err := tx.ExecContext(ctx, d.query(`
			INSERT INTO rate_buckets (bucket, tokens, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (bucket) DO NOTHING`), key, float64(burst-1), millis(now))
		if err != nil {
			return false, 0, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err == nil, 0, err
		}

		var b school.Bucket
		var at int64
		err = tx.QueryRowContext(ctx, d.query(`
			SELECT tokens, updated_at FROM rate_buckets WHERE bucket = ?`+d.forUpdate), key).
			Scan(&b.Tokens, &at)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return false, 0, err
		}
		// Whole milliseconds on both sides, as stored, so that refills do
		// not drift with the sub-millisecond part of now.
		b.At = time.UnixMilli(at)
		next, ok, wait := b.Take(time.UnixMilli(millis(now)), perSecond, burst)
		_, err = tx.ExecContext(ctx, d.query(`
			UPDATE rate_buckets SET tokens = ?, updated_at = ? WHERE bucket = ?`),
			next.Tokens, millis(next.At), key)
		return ok, wait, err
	}
	return false, 0, errors.New("bucket vanished twice")
}

// sweepBuckets deletes up to limit buckets last used before before and
// says how many went. The age is checked again on the row itself, so that
// on PostgreSQL a bucket taken from while the delete waited for its lock
// is kept.
func (s *Store) sweepBuckets(ctx context.Context, before time.Time, limit int) (int64, error) {
	res, err := s.write.ExecContext(ctx, s.d.query(`
		DELETE FROM rate_buckets
		WHERE updated_at < ? AND bucket IN (
			SELECT bucket FROM rate_buckets WHERE updated_at < ? LIMIT ?)`),
		millis(before), millis(before), limit)
	if err != nil {
		return 0, fmt.Errorf("sweep rate buckets: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sweep rate buckets: %w", err)
	}
	return n, nil
}

// MultiNode reports whether other opensom processes may share this
// database (PostgreSQL), so that state kept in one process's memory, such
// as a rate limit, would hold for that process only.
func (s *Store) MultiNode() bool { return s.d.name == postgresDialect.name }
