package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/opensom/opensom/internal/school"
)

const tokenSelect = `
	SELECT hash, family_id, school_id, account_id, client_id, scope,
	       issued_at, expires_at, rotated_at
	FROM refresh_tokens`

func scanToken(sc scanner, t *school.RefreshToken) error {
	var issued, expires int64
	var rotated sql.NullInt64
	err := sc.Scan(&t.Hash, &t.FamilyID, &t.SchoolID, &t.AccountID, &t.ClientID, &t.Scope,
		&issued, &expires, &rotated)
	if err != nil {
		return err
	}
	t.IssuedAt, t.ExpiresAt, t.RotatedAt = fromMillis(issued), fromMillis(expires),
		fromNullMillis(rotated)
	return nil
}

func insertToken(ctx context.Context, tx *sql.Tx, d dialect, t school.RefreshToken) error {
	const q = `
		INSERT INTO refresh_tokens (hash, family_id, school_id, account_id, client_id,
		                            scope, issued_at, expires_at, rotated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	_, err := tx.ExecContext(ctx, d.query(q), t.Hash, t.FamilyID, int64(t.SchoolID),
		int64(t.AccountID), t.ClientID, t.Scope, millis(t.IssuedAt), millis(t.ExpiresAt),
		nullMillis(t.RotatedAt))
	if d.conflict(err) {
		return fmt.Errorf("%w: %w", school.ErrConflict, err)
	}
	return err
}

// AddRefreshToken starts a new family with its first token. A family id or
// hash already taken is ErrConflict.
func (s *Store) AddRefreshToken(ctx context.Context, t school.RefreshToken) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			s.d.query(`INSERT INTO token_families (id, revoked_at) VALUES (?, NULL)`), t.FamilyID)
		if s.d.conflict(err) {
			return fmt.Errorf("%w: %w", school.ErrConflict, err)
		}
		if err != nil {
			return err
		}
		return insertToken(ctx, tx, s.d, t)
	})
	if err != nil {
		return fmt.Errorf("add refresh token: %w", err)
	}
	return nil
}

// RefreshToken loads a token by its hash.
func (s *Store) RefreshToken(ctx context.Context, hash string) (school.RefreshToken, error) {
	var t school.RefreshToken
	row := s.read.QueryRowContext(ctx, s.d.query(tokenSelect+` WHERE hash = ?`), hash)
	if err := scanToken(row, &t); err != nil {
		return school.RefreshToken{}, fmt.Errorf("load refresh token: %w", notFound(err))
	}
	return t, nil
}

// verdict is what a rotation comes to.
type verdict int

const (
	rotate     verdict = iota // go ahead
	reuse                     // revoke the family, commit that, answer ErrTokenReused
	deadFamily                // answer ErrTokenRevoked
)

// RotateRefreshToken exchanges the token old for next, which joins old's
// family, in one write transaction. The transaction holds the write lock
// from its first statement (IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL),
// so two rotations of one token run one after the other and the second
// sees the first's rotated_at.
func (s *Store) RotateRefreshToken(ctx context.Context, old string, next school.RefreshToken,
	now time.Time, grace time.Duration) error {
	var (
		schoolID school.ID
		v        verdict
	)
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		const q = `
			SELECT t.family_id, t.school_id, t.expires_at, t.rotated_at, f.revoked_at
			FROM refresh_tokens t
			JOIN token_families f ON f.id = t.family_id
			WHERE t.hash = ?`
		var (
			family           string
			expires          int64
			rotated, revoked sql.NullInt64
		)
		err := tx.QueryRowContext(ctx, s.d.query(q+s.d.forUpdate), old).
			Scan(&family, &schoolID, &expires, &rotated, &revoked)
		if err != nil {
			return notFound(err)
		}

		v = judge(now, grace, fromMillis(expires), fromNullMillis(rotated), revoked.Valid)
		switch v {
		case reuse:
			// Committed, although the call fails: the revocation must last.
			return revokeFamily(ctx, tx, s.d, family, now)
		case deadFamily:
			return school.ErrTokenRevoked
		}

		// COALESCE keeps the first rotation's time, so the grace window
		// runs from it and a second rotation cannot stretch it.
		_, err = tx.ExecContext(ctx, s.d.query(`
			UPDATE refresh_tokens SET rotated_at = COALESCE(rotated_at, ?)
			WHERE hash = ?`), millis(now), old)
		if err != nil {
			return err
		}
		next.FamilyID, next.RotatedAt = family, time.Time{}
		return insertToken(ctx, tx, s.d, next)
	})
	if err != nil {
		return fmt.Errorf("rotate refresh token: %w", err)
	}
	if v == reuse {
		s.log.Warn("refresh token reused after rotation; family revoked",
			"tenant", int64(schoolID))
		return fmt.Errorf("rotate refresh token: %w", school.ErrTokenReused)
	}
	return nil
}

// judge decides a rotation. A token expires at its ExpiresAt instant.
func judge(now time.Time, grace time.Duration, expires, rotated time.Time,
	familyRevoked bool) verdict {
	switch {
	case familyRevoked, !now.Before(expires):
		return deadFamily
	case !rotated.IsZero() && now.Sub(rotated) > grace:
		return reuse
	}
	return rotate
}

// RevokeFamily revokes every token of a family. Revoking a revoked family
// keeps the first time; an unknown family is already revoked, so that is no
// error either.
func (s *Store) RevokeFamily(ctx context.Context, familyID string, now time.Time) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		return revokeFamily(ctx, tx, s.d, familyID, now)
	})
	if err != nil {
		return fmt.Errorf("revoke family: %w", err)
	}
	return nil
}

func revokeFamily(ctx context.Context, tx *sql.Tx, d dialect, familyID string,
	now time.Time) error {
	_, err := tx.ExecContext(ctx, d.query(`
		UPDATE token_families SET revoked_at = COALESCE(revoked_at, ?)
		WHERE id = ?`), millis(now), familyID)
	return err
}

// FamilyRevoked reports whether a family is revoked; unknown families count
// as revoked.
func (s *Store) FamilyRevoked(ctx context.Context, familyID string) (bool, error) {
	var revoked sql.NullInt64
	err := s.read.QueryRowContext(ctx,
		s.d.query(`SELECT revoked_at FROM token_families WHERE id = ?`), familyID).Scan(&revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("check family: %w", err)
	}
	return revoked.Valid, nil
}

// SigningKeys lists the keys, newest first.
func (s *Store) SigningKeys(ctx context.Context) ([]school.SigningKey, error) {
	q := `
		SELECT kid, private_pem, created_at FROM signing_keys
		ORDER BY created_at DESC, kid` + s.d.bytewise + ` DESC`
	out, err := queryList(ctx, s.read, s.d, scanKey, q)
	if err != nil {
		return nil, fmt.Errorf("load signing keys: %w", err)
	}
	return out, nil
}

func scanKey(sc scanner, k *school.SigningKey) error {
	var pem string
	var created int64
	if err := sc.Scan(&k.KID, &pem, &created); err != nil {
		return err
	}
	k.PrivatePEM, k.CreatedAt = []byte(pem), fromMillis(created)
	return nil
}

// AddSigningKey stores a key; a kid already taken is ErrConflict. Nodes
// that start at once on an empty database may each add one: every key is
// kept, and a node verifies with all of them.
func (s *Store) AddSigningKey(ctx context.Context, k school.SigningKey) error {
	_, err := s.write.ExecContext(ctx, s.d.query(`
		INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?)`),
		k.KID, string(k.PrivatePEM), millis(k.CreatedAt))
	if s.d.conflict(err) {
		err = fmt.Errorf("%w: %w", school.ErrConflict, err)
	}
	if err != nil {
		return fmt.Errorf("add signing key: %w", err)
	}
	return nil
}

// LoginAttempts is the failure state of a (school, username); a name never
// failed has the zero state.
func (s *Store) LoginAttempts(ctx context.Context, schoolID school.ID,
	username string) (school.LoginAttempts, error) {
	a, err := loadAttempts(ctx, s.read, s.d, "", schoolID, username)
	if err != nil {
		return school.LoginAttempts{}, fmt.Errorf("load login attempts: %w", err)
	}
	return a, nil
}

// loadAttempts reads the state of a name; lock is "" or the dialect's
// forUpdate.
func loadAttempts(ctx context.Context, q querier, d dialect, lock string, schoolID school.ID,
	username string) (school.LoginAttempts, error) {
	var a school.LoginAttempts
	var locked sql.NullInt64
	err := q.QueryRowContext(ctx, d.query(`
		SELECT failures, locked_until FROM login_attempts
		WHERE school_id = ? AND username = ?`+lock), int64(schoolID), username).
		Scan(&a.Failures, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return school.LoginAttempts{}, nil
	}
	a.LockedUntil = fromNullMillis(locked)
	return a, err
}

// FailLogin counts one failure and, when max failures are reached, locks
// the name until now+lockFor and resets the count. It returns the state
// after the failure. The row is made first when missing and then read
// under a lock, so failures counted at once on several nodes all count.
func (s *Store) FailLogin(ctx context.Context, schoolID school.ID, username string,
	now time.Time, maxFailures int, lockFor time.Duration) (school.LoginAttempts, error) {
	var a school.LoginAttempts
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.query(`
			INSERT INTO login_attempts (school_id, username, failures, locked_until)
			VALUES (?, ?, 0, NULL)
			ON CONFLICT (school_id, username) DO NOTHING`), int64(schoolID), username)
		if err != nil {
			return err
		}
		if a, err = loadAttempts(ctx, tx, s.d, s.d.forUpdate, schoolID, username); err != nil {
			return err
		}
		a = failed(a, now, maxFailures, lockFor)
		_, err = tx.ExecContext(ctx, s.d.query(`
			UPDATE login_attempts SET failures = ?, locked_until = ?
			WHERE school_id = ? AND username = ?`),
			a.Failures, nullMillis(a.LockedUntil), int64(schoolID), username)
		return err
	})
	if err != nil {
		return school.LoginAttempts{}, fmt.Errorf("count failed login: %w", err)
	}
	// As stored: in Amsterdam, to the millisecond, like LoginAttempts says.
	a.LockedUntil = fromNullMillis(nullMillis(a.LockedUntil))
	return a, nil
}

// failed is the state after one more failure.
func failed(a school.LoginAttempts, now time.Time, maxFailures int,
	lockFor time.Duration) school.LoginAttempts {
	a.Failures++
	if a.Failures >= maxFailures {
		return school.LoginAttempts{Failures: 0, LockedUntil: now.Add(lockFor)}
	}
	return a
}

// ResetLogin clears the failures and the lock of a name.
func (s *Store) ResetLogin(ctx context.Context, schoolID school.ID, username string) error {
	_, err := s.write.ExecContext(ctx, s.d.query(`
		DELETE FROM login_attempts WHERE school_id = ? AND username = ?`),
		int64(schoolID), username)
	if err != nil {
		return fmt.Errorf("reset login: %w", err)
	}
	return nil
}
