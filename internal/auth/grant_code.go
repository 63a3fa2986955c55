package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/opensom/opensom/internal/school"
)

// codeTTL is how long an authorization code lives.
const codeTTL = 60 * time.Second

// newCode makes the code of a finished login and stores its hash. The code
// is 32 random bytes in base64url: opaque to clients, which only pass it
// back (the real service's 5-part JWE is not imitated).
func (s *Server) newCode(ctx context.Context, req authRequest, acc school.Account) (
	string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("make code: %w", err)
	}
	code := b64.EncodeToString(raw)
	now := s.now()
	row := school.AuthCode{
		Hash: hashToken(code), SchoolID: acc.SchoolID, AccountID: acc.ID,
		ClientID: req.ClientID, RedirectURI: req.RedirectURI, Scope: req.Scope,
		Challenge: req.Challenge, ChallengeMethod: req.Method, Nonce: req.Nonce,
		Claims: req.Claims, FamilyID: uuid.NewString(), AuthTime: now,
		ExpiresAt: now.Add(codeTTL),
	}
	// Expired codes are no use to anyone; an hour's margin keeps a reused
	// code recognisable as reused for a while.
	if err := s.store.DeleteAuthCodes(ctx, now.Add(-time.Hour)); err != nil {
		return "", err
	}
	if err := s.store.AddAuthCode(ctx, row); err != nil {
		return "", fmt.Errorf("store code: %w", err)
	}
	return code, nil
}

// codeGrant is grant_type=authorization_code (spec 2.4.3) with PKCE. A
// code works once: a second use revokes the tokens the first one issued
// (RFC 6749 4.1.2). A wrong verifier or redirect URI consumes nothing.
func (s *Server) codeGrant(ctx context.Context, c Client, req tokenRequest) (
	*tokenAnswer, error) {
	code := req.form.Get("code")
	if code == "" {
		return nil, invalidRequest("Missing parameter: code")
	}
	row, err := s.store.AuthCode(ctx, hashToken(code))
	if errors.Is(err, school.ErrNotFound) {
		return nil, invalidGrant("Invalid authorization code", err)
	}
	if err != nil {
		return nil, fmt.Errorf("load code: %w", err)
	}
	if row.ClientID != c.ID {
		return nil, invalidGrant("Code was issued to another client", nil)
	}
	now := s.now()
	if !row.UsedAt.IsZero() {
		return nil, s.codeReused(ctx, row, now)
	}
	if !now.Before(row.ExpiresAt) {
		return nil, invalidGrant("Authorization code expired", nil)
	}
	if err := checkCodeRequest(row, c, req); err != nil {
		return nil, err
	}

	sess, err := s.codeSession(ctx, row)
	if err != nil {
		return nil, err
	}
	id, err := s.identityFor(ctx, sess)
	if err != nil {
		return nil, err
	}
	refresh, tok, err := s.refreshToken(sess, sess.scope, now)
	if err != nil {
		return nil, err
	}
	// The family's first token is the real once-only step: its family id
	// is the code's, so of two exchanges that race only one can store it,
	// and the loser finds a family that exists and can be revoked.
	err = s.store.AddRefreshToken(ctx, tok)
	if errors.Is(err, school.ErrConflict) {
		return nil, s.codeReused(ctx, row, now)
	}
	if err != nil {
		return nil, fmt.Errorf("store refresh token: %w", err)
	}
	err = s.store.UseAuthCode(ctx, row.Hash, now)
	if errors.Is(err, school.ErrCodeUsed) {
		return nil, s.codeReused(ctx, row, now)
	}
	if err != nil {
		return nil, fmt.Errorf("use code: %w", err)
	}
	return s.issue(sess, id, refresh, now)
}

// checkCodeRequest compares the exchange with the authorize call: the
// redirect URI when one is sent (LUX, QS and SJS send none), and PKCE.
func checkCodeRequest(row school.AuthCode, c Client, req tokenRequest) error {
	want := row.RedirectURI
	if want == "" && len(c.RedirectURIs) == 1 {
		want = c.RedirectURIs[0] // the authorize call named none and got this
	}
	if uri, ok := req.form["redirect_uri"]; ok && uri[0] != want {
		return invalidGrant("redirect_uri differs from the authorize request", nil)
	}
	verifier := req.form.Get("code_verifier")
	if row.Challenge == "" {
		// Only the legacy client gets a code without PKCE. A verifier for
		// a code without challenge would hide a downgrade: refused.
		if verifier != "" {
			return invalidGrant("code_verifier for a code without code_challenge", nil)
		}
		return nil
	}
	if verifier == "" {
		return invalidGrant("Missing code_verifier", nil)
	}
	if !pkceMatches(row.Challenge, row.ChallengeMethod, verifier) {
		return invalidGrant("code_verifier does not match the code_challenge", nil)
	}
	return nil
}

// codeReused revokes what the first exchange issued and refuses.
func (s *Server) codeReused(ctx context.Context, row school.AuthCode, now time.Time) error {
	if err := s.store.RevokeFamily(ctx, row.FamilyID, now); err != nil {
		return fmt.Errorf("revoke family of reused code: %w", err)
	}
	s.log.Warn("authorization code reused; its tokens are revoked",
		"tenant", int64(row.SchoolID))
	return invalidGrant("Authorization code already used", nil)
}

func (s *Server) codeSession(ctx context.Context, row school.AuthCode) (session, error) {
	sc, err := s.store.School(ctx, row.SchoolID)
	if err != nil {
		return session{}, fmt.Errorf("load school of code: %w", err)
	}
	acc, err := s.store.Account(ctx, row.SchoolID, row.AccountID)
	if errors.Is(err, school.ErrNotFound) {
		return session{}, invalidGrant("Account no longer exists", err)
	}
	if err != nil {
		return session{}, fmt.Errorf("load account of code: %w", err)
	}
	return session{school: sc, account: acc, clientID: row.ClientID,
		familyID: row.FamilyID, scope: row.Scope, claims: row.Claims, nonce: row.Nonce,
		authTime: row.AuthTime}, nil
}
