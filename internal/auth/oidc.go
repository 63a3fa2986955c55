package auth

import (
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

const (
	discoveryRoute  = "/.well-known/openid-configuration"
	jwksRoute       = "/oauth2/jwks.json"
	userinfoRoute   = "/oauth2/userinfo"
	revokeRoute     = "/oauth2/revoke"
	introspectRoute = "/oauth2/introspect"
	logoutRoute     = "/oauth2/logout"
)

// handleDiscovery is the OIDC discovery document. It lists what this
// server does, not what the real one lists: no implicit or
// client_credentials grant, no signed userinfo.
func (s *Server) handleDiscovery(w http.ResponseWriter, _ *http.Request) {
	u := s.publicURL
	doc := map[string]any{
		"issuer":                                u,
		"authorization_endpoint":                u + authorizeRoute,
		"token_endpoint":                        u + tokenRoute,
		"userinfo_endpoint":                     u + userinfoRoute,
		"jwks_uri":                              u + jwksRoute,
		"revocation_endpoint":                   u + revokeRoute,
		"introspection_endpoint":                u + introspectRoute,
		"end_session_endpoint":                  u + logoutRoute,
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"grant_types_supported":                 s.grantTypes(),
		"code_challenge_methods_supported":      []string{pkcePlain, pkceS256},
		"scopes_supported":                      []string{scopeOpenID, scopeOffline},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic",
			"client_secret_post", "none"},
		"revocation_endpoint_auth_methods_supported": []string{"client_secret_basic",
			"client_secret_post", "none"},
		"introspection_endpoint_auth_methods_supported": []string{"client_secret_basic",
			"client_secret_post"},
		"claims_supported": append([]string{"sub", "iss", "aud", "exp", "iat",
			"auth_time", "nonce", "sid"}, personClaimNames...),
		"claims_parameter_supported":                     true,
		"request_parameter_supported":                    false,
		"request_uri_parameter_supported":                false,
		"authorization_response_iss_parameter_supported": true,
		"prompt_values_supported":                        []string{"login", "none"},
		"ui_locales_supported":                           []string{"nl-NL"},
	}
	writePublicJSON(w, doc)
}

func (s *Server) grantTypes() []string {
	out := make([]string, 0, len(s.grants))
	for g := range s.grants {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// handleJWKS lists every key that verifies: the one that signs and the
// retired ones whose tokens may still be valid.
func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	s.keys.refresh(r.Context(), false)
	keys := s.keys.publicKeys()
	out := make([]jwk, 0, len(keys))
	for kid, k := range keys {
		out = append(out, jwk{Kty: "RSA", Use: "sig", Alg: "RS256", Kid: kid,
			N: b64.EncodeToString(k.N.Bytes()),
			E: b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())})
	}
	slices.SortFunc(out, func(a, b jwk) int { return strings.Compare(a.Kid, b.Kid) })
	writePublicJSON(w, map[string]any{"keys": out})
}

// writePublicJSON writes a document anyone may read and cache a little.
func writePublicJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, v)
}

// handleUserinfo answers the person claims of an access token's account
// (OIDC Core 5.3). The token needs the openid scope.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{
			"error": "invalid_request", "error_description": "Use GET or POST"})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")

	p, err := s.Authenticate(r)
	switch {
	case errors.Is(err, ErrNoToken):
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token",
			"error_description": "No bearer token"})
		return
	case errors.Is(err, ErrBadToken):
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token",
			"error_description": "The access token is invalid"})
		return
	case err != nil:
		s.jsonFault(w, userinfoRoute, err)
		return
	}
	if !hasScope(p.Scope, scopeOpenID) {
		w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="openid"`)
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "insufficient_scope",
			"error_description": "The token lacks the openid scope"})
		return
	}

	sc, acc, id, err := s.person(r, p)
	if err != nil {
		s.jsonFault(w, userinfoRoute, err)
		return
	}
	out := map[string]string{"sub": subjectOf(sc, acc)}
	for k, v := range personClaims(sc, id) {
		out[k] = v
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) person(r *http.Request, p Principal) (school.School, school.Account,
	identity, error) {
	sc, err := s.store.School(r.Context(), p.SchoolID)
	if err != nil {
		return school.School{}, school.Account{}, identity{}, fmt.Errorf("load school: %w", err)
	}
	acc, err := s.store.Account(r.Context(), p.SchoolID, p.AccountID)
	if err != nil {
		return school.School{}, school.Account{}, identity{},
			fmt.Errorf("load account: %w", err)
	}
	id, err := s.identityOf(r.Context(), acc)
	if err != nil {
		return school.School{}, school.Account{}, identity{}, err
	}
	return sc, acc, id, nil
}

func (s *Server) jsonFault(w http.ResponseWriter, route string, err error) {
	s.log.Error("request failed", "route", route, "status",
		http.StatusInternalServerError, "err", err)
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error",
		"error_description": "The server could not handle the request"})
}
