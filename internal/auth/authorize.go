package auth

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

const (
	authorizeRoute = "/oauth2/authorize"
	// authTTL is how long a login may take from the authorize call on.
	authTTL = 30 * time.Minute
	// stickinessCookie is the load-balancer cookie of the real service;
	// opensom needs none, but scrapers carry it and some look for it.
	stickinessCookie = "inloggen-stickiness"
)

// authRequest is an authorize call as the login pages carry it, sealed
// into the auth value. Short JSON names keep the value short.
type authRequest struct {
	ClientID string `json:"c"`
	// RedirectURI is as given; empty when the call named none and the
	// client has just one.
	RedirectURI string `json:"r,omitempty"`
	Scope       string `json:"s"`
	State       string `json:"st,omitempty"`
	Tenant      string `json:"t,omitempty"` // school uuid, once known
	Challenge   string `json:"cc,omitempty"`
	Method      string `json:"cm,omitempty"`
	Nonce       string `json:"n,omitempty"`
	Claims      string `json:"cl,omitempty"` // as claimNames keeps them
	OIDCIss     string `json:"oi,omitempty"`
	Expires     int64  `json:"x"` // unix seconds
}

const purposeAuth = "auth"

// Bounds on what a client may make us carry around.
const (
	maxStateLen  = 512
	maxNonceLen  = 256
	maxClaimsLen = 2048
)

// redirectError is an error that goes back to the client's redirect URI
// (RFC 6749 4.1.2.1).
type redirectError struct {
	code, description string
}

// handleAuthorize is GET /oauth2/authorize (spec 2.5.1). Client and
// redirect URI are checked first, and a failure there is a page of ours:
// redirecting to an unchecked URI would make us an open redirector. Every
// later error goes back to the redirect URI. Success sends the browser to
// the login page with the request sealed into ?auth=.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET")
		s.page(w, http.StatusMethodNotAllowed, pageData{Title: "Niet toegestaan",
			Message: "Deze pagina wordt alleen met GET geopend."})
		return
	}
	q := r.URL.Query()

	client, redirect, msg := s.checkClient(q.Get("client_id"), q.Get("redirect_uri"))
	if msg != "" {
		s.log.Info("authorize refused", "route", authorizeRoute,
			"status", http.StatusBadRequest, "err", msg)
		s.page(w, http.StatusBadRequest, pageData{Title: "Ongeldig verzoek", Message: msg})
		return
	}
	state := q.Get("state")

	req, rerr := s.authorizeRequest(r, client)
	if rerr != nil {
		s.redirectBack(w, r, redirect, url.Values{"error": {rerr.code},
			"error_description": {rerr.description}}, state)
		return
	}
	req.RedirectURI = q.Get("redirect_uri")

	auth, err := s.seal.seal(purposeAuth, req)
	if err != nil {
		s.pageFault(w, authorizeRoute, err)
		return
	}
	http.SetCookie(w, s.cookie(stickinessCookie, "opensom", 0))
	http.Redirect(w, r, s.publicURL+"/?auth="+url.QueryEscape(auth), http.StatusFound)
}

// checkClient finds the client and the URI to redirect to. A redirect URI
// must equal one registered to exactly this client, byte for byte (C08);
// without one, a client with a single registered URI uses that. msg is
// the page text of a refusal, naming the URI.
func (s *Server) checkClient(clientID, redirectURI string) (Client, string, string) {
	if clientID == "" {
		return Client{}, "", "Er is geen client_id meegegeven."
	}
	c, ok := s.clients[clientID]
	if !ok {
		return Client{}, "", "Onbekende client: " + clientID
	}
	if redirectURI == "" {
		if len(c.RedirectURIs) != 1 {
			return Client{}, "", "Er is geen redirect_uri meegegeven."
		}
		return c, c.RedirectURIs[0], ""
	}
	if !slices.Contains(c.RedirectURIs, redirectURI) {
		return Client{}, "", "De redirect_uri " + redirectURI +
			" is niet geregistreerd voor client " + clientID + "."
	}
	return c, redirectURI, ""
}

// authorizeRequest checks the parameters after the client's and builds
// what the login pages carry.
func (s *Server) authorizeRequest(r *http.Request, c Client) (authRequest, *redirectError) {
	q := r.URL.Query()
	bad := func(desc string) (authRequest, *redirectError) {
		return authRequest{}, &redirectError{code: "invalid_request", description: desc}
	}
	if rt := q.Get("response_type"); rt != "code" {
		return authRequest{}, &redirectError{code: "unsupported_response_type",
			description: "Only response_type=code is supported"}
	}
	for _, k := range []string{"client_id", "redirect_uri", "response_type", "state",
		"code_challenge", "code_challenge_method", "scope", "nonce", "claims"} {
		if len(q[k]) > 1 {
			return bad("Parameter given more than once: " + k)
		}
	}
	if len(q.Get("state")) > maxStateLen || len(q.Get("nonce")) > maxNonceLen ||
		len(q.Get("claims")) > maxClaimsLen {
		return bad("A parameter is too long")
	}
	if q.Get("request") != "" || q.Get("request_uri") != "" {
		return authRequest{}, &redirectError{code: "request_not_supported",
			description: "Request objects are not supported"}
	}
	// opensom keeps no single sign-on session: every login asks for the
	// credentials, which is what prompt=login, force_authn and
	// session=no_session ask for anyway, and prompt=none can never work.
	if slices.Contains(strings.Fields(q.Get("prompt")), "none") {
		return authRequest{}, &redirectError{code: "login_required",
			description: "There is no login session; the user must log in"}
	}

	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && method != "":
		return bad("code_challenge_method without code_challenge")
	case challenge == "" && c.ID != legacyClientID:
		// Only the legacy client may go without PKCE (spec 2.4.3).
		return bad("code_challenge is required for this client")
	case challenge != "":
		if method == "" {
			method = pkcePlain // RFC 7636 4.3
		}
		if method != pkceS256 && method != pkcePlain {
			return bad("code_challenge_method must be S256 or plain")
		}
		if !validVerifier(challenge) {
			return bad("code_challenge must be 43 to 128 unreserved characters")
		}
	}

	claims, err := parseClaimsParam(q.Get("claims"))
	if err != nil {
		return bad(err.Error())
	}

	req := authRequest{
		ClientID: c.ID, Scope: grantedScope(q.Get("scope")), State: q.Get("state"),
		Challenge: challenge, Method: method, Nonce: q.Get("nonce"), Claims: claims,
		Expires: s.now().Add(authTTL).Unix(),
	}
	if tenant := q.Get("tenant_uuid"); tenant != "" {
		sc, err := s.store.SchoolByUUID(r.Context(), tenant)
		if errors.Is(err, school.ErrNotFound) {
			return bad("Unknown tenant_uuid")
		}
		if err != nil {
			s.log.Error("authorize: load school", "route", authorizeRoute, "err", err)
			return authRequest{}, &redirectError{code: "server_error",
				description: "The server could not handle the request"}
		}
		req.Tenant = sc.UUID
		if iss := q.Get("oidc_iss"); iss != "" {
			if !slices.ContainsFunc(sc.OIDCURLs, func(o school.OIDCURL) bool {
				return o.URL == iss
			}) {
				return bad("oidc_iss is not an identity provider of this school")
			}
			req.OIDCIss = iss
		}
	}
	return req, nil
}

// openAuth reads an auth value; it fails for a value not sealed by us or
// one whose login time is up.
func (s *Server) openAuth(raw string) (authRequest, bool) {
	var req authRequest
	if raw == "" || s.seal.open(purposeAuth, raw, &req) != nil {
		return authRequest{}, false
	}
	if s.now().Unix() >= req.Expires {
		return authRequest{}, false
	}
	if _, ok := s.clients[req.ClientID]; !ok {
		return authRequest{}, false
	}
	return req, true
}

// redirectTarget is where a finished authorize call goes: the registered
// URI the call named, or the client's only one.
func (s *Server) redirectTarget(req authRequest) string {
	if req.RedirectURI != "" {
		return req.RedirectURI
	}
	return s.clients[req.ClientID].RedirectURIs[0]
}

// redirectBack sends the browser to the client with params, the state and
// the issuer (RFC 9207).
func (s *Server) redirectBack(w http.ResponseWriter, r *http.Request, redirectURI string,
	params url.Values, state string) {
	if state != "" {
		params.Set("state", state)
	}
	params.Set("iss", s.publicURL)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, withQuery(redirectURI, params), http.StatusFound)
}

// withQuery adds params to uri. An app-scheme URI gets :443 in its
// authority, as the real service writes it (spec 2.5.2): GOS waits for a
// URL in exactly that form.
func withQuery(uri string, params url.Values) string {
	u, err := url.Parse(uri)
	if err != nil { // registered URIs parse; this is defence only
		return uri
	}
	if u.Scheme != "http" && u.Scheme != "https" && u.Host != "" && u.Port() == "" {
		u.Host += ":443"
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}
