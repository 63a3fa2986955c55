package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

// refreshGrant is grant_type=refresh_token (spec 2.4.2). Every use rotates:
// the old token is exchanged for a new one of the same family. Nothing is
// consumed until the token has proved itself and its client.
func (s *Server) refreshGrant(ctx context.Context, c Client, req tokenRequest) (
	*tokenAnswer, error) {
	raw := req.form.Get("refresh_token")
	if raw == "" {
		return nil, invalidRequest("Missing parameter: refresh_token")
	}
	rc, err := s.parseRefresh(ctx, raw)
	if err != nil {
		return nil, invalidGrant("Invalid refresh token", err)
	}

	old, err := s.store.RefreshToken(ctx, hashToken(raw))
	if errors.Is(err, school.ErrNotFound) {
		return nil, invalidGrant("Invalid refresh token", err)
	}
	if err != nil {
		return nil, fmt.Errorf("load refresh token: %w", err)
	}
	if old.ClientID != c.ID {
		return nil, invalidGrant("Token was issued to another client", nil)
	}

	scope, err := narrowScope(old.Scope, req.form.Get("scope"))
	if err != nil {
		return nil, err
	}
	sess, err := s.loadSession(ctx, old, scope)
	if err != nil {
		return nil, err
	}
	sess.claims = rc.Claims

	id, err := s.identityFor(ctx, sess)
	if err != nil {
		return nil, err
	}

	now := s.now()
	next, row, err := s.refreshToken(sess, old.Scope, now)
	if err != nil {
		return nil, err
	}
	err = s.store.RotateRefreshToken(ctx, old.Hash, row, now, s.grace)
	switch {
	case errors.Is(err, school.ErrTokenReused), errors.Is(err, school.ErrTokenRevoked):
		// The real IdP's answer to a replayed token (ED#26).
		return nil, &oauthError{status: http.StatusForbidden, code: "invalid_grant",
			description: "Invalid grant: Token revoked", cause: err}
	case errors.Is(err, school.ErrNotFound):
		return nil, invalidGrant("Invalid refresh token", err)
	case err != nil:
		return nil, fmt.Errorf("rotate refresh token: %w", err)
	}
	return s.issue(sess, id, next, now)
}

// loadSession rebuilds who a stored refresh token belongs to. It runs
// before the rotation so that a failure here consumes nothing.
func (s *Server) loadSession(ctx context.Context, t school.RefreshToken, scope string) (
	session, error) {
	sc, err := s.store.School(ctx, t.SchoolID)
	if err != nil {
		return session{}, fmt.Errorf("load school of refresh token: %w", err)
	}
	acc, err := s.store.Account(ctx, t.SchoolID, t.AccountID)
	if errors.Is(err, school.ErrNotFound) {
		return session{}, invalidGrant("Account no longer exists", err)
	}
	if err != nil {
		return session{}, fmt.Errorf("load account of refresh token: %w", err)
	}
	return session{school: sc, account: acc, clientID: t.ClientID,
		familyID: t.FamilyID, scope: scope}, nil
}

// narrowScope is the scope of a refresh: the family's own when none is
// asked, else the asked part of it. Asking for more is invalid_scope
// (RFC 6749 6); unknown values are dropped as at login.
func narrowScope(family, asked string) (string, error) {
	if strings.TrimSpace(asked) == "" {
		return family, nil
	}
	want := grantedScope(asked)
	for _, sc := range strings.Fields(want) {
		if !hasScope(family, sc) {
			return "", &oauthError{status: http.StatusBadRequest, code: "invalid_scope",
				description: "Scope exceeds the scope granted at login: " + sc}
		}
	}
	return want, nil
}
