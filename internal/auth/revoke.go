package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/golang-jwt/jwt/v5"
	"github.com/opensom/opensom/internal/school"
)

// handleRevoke is RFC 7009. Revoking either kind of token ends its whole
// family: the refresh tokens and the access tokens issued from them. An
// unknown, expired or garbage token is answered 200 as well, as the RFC
// asks, so the endpoint tells nothing about tokens.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	err := s.revoke(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	if err != nil {
		s.writeToken(w, nil, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return &oauthError{status: http.StatusMethodNotAllowed, code: "invalid_request",
			description: "The revocation endpoint takes POST only"}
	}
	req, err := parseTokenRequest(w, r)
	if err != nil {
		return err
	}
	client, err := s.authenticateClient(req)
	if err != nil {
		return err
	}
	raw := req.form.Get("token")
	if raw == "" {
		return invalidRequest("Missing parameter: token")
	}

	ctx := r.Context()
	family, owner, ok := s.tokenFamily(ctx, raw)
	if !ok {
		return nil
	}
	if owner != client.ID {
		return invalidGrant("Token was issued to another client", nil)
	}
	if err := s.store.RevokeFamily(ctx, family, s.now()); err != nil {
		return fmt.Errorf("revoke family: %w", err)
	}
	return nil
}

// tokenFamily finds the family and client of a valid refresh or access
// token of ours.
func (s *Server) tokenFamily(ctx context.Context, raw string) (family, client string,
	ok bool) {
	if rc, err := s.parseRefresh(ctx, raw); err == nil {
		return rc.FamilyID, rc.ClientID, true
	}
	if ac, err := s.parseAccess(ctx, raw); err == nil {
		return ac.FamilyID, ac.ClientID, true
	}
	return "", "", false
}

// handleIntrospect is RFC 7662, for clients that authenticate with a
// secret: the public app clients cannot prove who they are, and a token's
// holder has no need to ask about it.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	ans, err := s.introspect(w, r)
	if err != nil {
		s.writeToken(w, nil, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, ans)
}

func (s *Server) introspect(w http.ResponseWriter, r *http.Request) (map[string]any, error) {
	if r.Method != http.MethodPost {
		return nil, &oauthError{status: http.StatusMethodNotAllowed, code: "invalid_request",
			description: "The introspection endpoint takes POST only"}
	}
	req, err := parseTokenRequest(w, r)
	if err != nil {
		return nil, err
	}
	client, err := s.authenticateClient(req)
	if err != nil {
		return nil, err
	}
	if client.SecretHash == "" {
		return nil, invalidClient(req.basic)
	}
	raw := req.form.Get("token")
	if raw == "" {
		return nil, invalidRequest("Missing parameter: token")
	}

	ctx := r.Context()
	inactive := map[string]any{"active": false}
	if ac, err := s.parseAccess(ctx, raw); err == nil {
		return s.describe(ctx, ac.registered, ac.FamilyID, ac.ClientID, ac.Scope,
			"access_token")
	}
	rc, err := s.parseRefresh(ctx, raw)
	if err != nil {
		return inactive, nil
	}
	row, err := s.store.RefreshToken(ctx, hashToken(raw))
	if errors.Is(err, school.ErrNotFound) {
		return inactive, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load refresh token: %w", err)
	}
	if !row.RotatedAt.IsZero() {
		return inactive, nil // replaced; only a racing refresh may still use it
	}
	return s.describe(ctx, rc.registered, rc.FamilyID, rc.ClientID, row.Scope,
		"refresh_token")
}

func (s *Server) describe(ctx context.Context, c registered, family, client, scope,
	kind string) (map[string]any, error) {
	revoked, err := s.store.FamilyRevoked(ctx, family)
	if err != nil {
		return nil, fmt.Errorf("check family: %w", err)
	}
	if revoked {
		return map[string]any{"active": false}, nil
	}
	out := map[string]any{"active": true, "client_id": client, "scope": scope,
		"token_type": kind, "iss": c.Issuer, "exp": c.ExpiresAt.Unix(),
		"iat": c.IssuedAt.Unix()}
	if c.Subject != "" {
		out["sub"] = c.Subject
	}
	if c.Audience != "" {
		out["aud"] = c.Audience
	}
	if c.ID != "" {
		out["jti"] = c.ID
	}
	return out, nil
}

// handleLogout is OIDC RP-initiated logout. An id_token_hint of ours, even
// an expired one, ends the family it names (its sid). The browser goes to
// post_logout_redirect_uri only when that is registered to the client the
// hint (or client_id) names; anything else is a page, never a redirect.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		s.page(w, http.StatusMethodNotAllowed, pageData{Title: "Niet toegestaan",
			Message: "Gebruik GET of POST."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		s.page(w, http.StatusBadRequest, pageData{Title: "Ongeldig verzoek",
			Message: "Het verzoek kon niet worden gelezen."})
		return
	}
	hint, clientID := r.Form.Get("id_token_hint"), r.Form.Get("client_id")
	redirect := r.Form.Get("post_logout_redirect_uri")

	var family string
	if hint != "" {
		c, err := s.parseHint(r.Context(), hint)
		if err != nil || (clientID != "" && clientID != c.Audience) {
			s.page(w, http.StatusBadRequest, pageData{Title: "Ongeldig verzoek",
				Message: "De id_token_hint is niet geldig."})
			return
		}
		clientID, family = c.Audience, c.SID
	}
	if redirect != "" {
		c, ok := s.clients[clientID]
		if !ok || !slices.Contains(c.PostLogoutRedirectURIs, redirect) {
			s.page(w, http.StatusBadRequest, pageData{Title: "Ongeldig verzoek",
				Message: "De post_logout_redirect_uri " + redirect +
					" is niet geregistreerd voor deze client."})
			return
		}
	}

	if family != "" {
		if err := s.store.RevokeFamily(r.Context(), family, s.now()); err != nil {
			s.pageFault(w, logoutRoute, fmt.Errorf("revoke family: %w", err))
			return
		}
	}
	if redirect != "" {
		params := url.Values{}
		if st := r.Form.Get("state"); st != "" {
			params.Set("state", st)
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, withQuery(redirect, params), http.StatusFound)
		return
	}
	s.page(w, http.StatusOK, pageData{Title: "Uitgelogd",
		Message: "Je bent uitgelogd. Je kunt dit venster sluiten."})
}

// parseHint verifies an id token's signature and issuer but not its
// lifetime: a hint is usually sent after the id token has expired.
func (s *Server) parseHint(ctx context.Context, raw string) (idClaims, error) {
	var c idClaims
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithoutClaimsValidation())
	if _, err := p.ParseWithClaims(raw, &c, s.keys.keyFunc(ctx)); err != nil {
		return idClaims{}, fmt.Errorf("parse id token hint: %w", err)
	}
	if c.Issuer != s.publicURL || c.Audience == "" {
		return idClaims{}, errors.New("id token hint of another issuer")
	}
	return c, nil
}
