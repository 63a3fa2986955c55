package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// AddAuthCode stores a new code; a hash already taken is ErrConflict.
func (s *Store) AddAuthCode(ctx context.Context, c school.AuthCode) error {
	_, err := s.write.ExecContext(ctx, s.d.query(`
		INSERT INTO auth_codes (hash, school_id, account_id, client_id, redirect_uri,
		                        scope, challenge, challenge_method, nonce, claims,
		                        family_id, auth_time, expires_at, used_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		c.Hash, int64(c.SchoolID), int64(c.AccountID), c.ClientID, c.RedirectURI,
		c.Scope, c.Challenge, c.ChallengeMethod, c.Nonce, c.Claims, c.FamilyID,
		millis(c.AuthTime), millis(c.ExpiresAt), nullMillis(c.UsedAt))
	if s.d.conflict(err) {
		err = fmt.Errorf("%w: %w", school.ErrConflict, err)
	}
	if err != nil {
		return fmt.Errorf("add auth code: %w", err)
	}
	return nil
}

// AuthCode loads a code by its hash, used or not.
func (s *Store) AuthCode(ctx context.Context, hash string) (school.AuthCode, error) {
	var (
		c                 school.AuthCode
		authTime, expires int64
		used              sql.NullInt64
	)
	err := s.read.QueryRowContext(ctx, s.d.query(`
		SELECT hash, school_id, account_id, client_id, redirect_uri, scope, challenge,
		       challenge_method, nonce, claims, family_id, auth_time, expires_at, used_at
		FROM auth_codes WHERE hash = ?`), hash).
		Scan(&c.Hash, &c.SchoolID, &c.AccountID, &c.ClientID, &c.RedirectURI, &c.Scope,
			&c.Challenge, &c.ChallengeMethod, &c.Nonce, &c.Claims, &c.FamilyID,
			&authTime, &expires, &used)
	if err != nil {
		return school.AuthCode{}, fmt.Errorf("load auth code: %w", notFound(err))
	}
	c.AuthTime, c.ExpiresAt, c.UsedAt = fromMillis(authTime), fromMillis(expires),
		fromNullMillis(used)
	return c, nil
}

// UseAuthCode marks a code used. The UPDATE only matches an unused code,
// so of two exchanges that race exactly one changes a row.
func (s *Store) UseAuthCode(ctx context.Context, hash string, now time.Time) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.query(`
			UPDATE auth_codes SET used_at = ? WHERE hash = ? AND used_at IS NULL`),
			millis(now), hash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx,
			s.d.query(`SELECT 1 FROM auth_codes WHERE hash = ?`), hash).Scan(&one)
		if err != nil {
			return notFound(err)
		}
		return school.ErrCodeUsed
	})
	if err != nil {
		return fmt.Errorf("use auth code: %w", err)
	}
	return nil
}

// DeleteAuthCodes removes the codes that expired before t.
func (s *Store) DeleteAuthCodes(ctx context.Context, before time.Time) error {
	_, err := s.write.ExecContext(ctx,
		s.d.query(`DELETE FROM auth_codes WHERE expires_at < ?`), millis(before))
	if err != nil {
		return fmt.Errorf("delete auth codes: %w", err)
	}
	return nil
}

// Secret returns the named secret, storing fresh when there is none. The
// insert does nothing when another node got there first, and the read
// after it returns whichever secret won.
func (s *Store) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	var value []byte
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.query(`
			INSERT INTO server_secrets (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO NOTHING`), name, fresh)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx,
			s.d.query(`SELECT value FROM server_secrets WHERE name = ?`), name).Scan(&value)
	})
	if err != nil {
		return nil, fmt.Errorf("load secret %s: %w", name, notFound(err))
	}
	return value, nil
}
