package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

const (
	tokenRoute = "/oauth2/token"
	// maxTokenBody is far above any real token request (a refresh token is
	// about a kilobyte) and small enough that nobody can make us buffer much.
	maxTokenBody = 64 << 10
)

// tokenRequest is a token request parsed once; grants read only this.
type tokenRequest struct {
	grantType    string
	clientID     string // from the body
	clientSecret string
	basic        bool // HTTP Basic credentials were sent
	basicID      string
	basicSecret  string
	form         url.Values // every parameter, for the grants
}

// grantFunc is one grant type. It returns the answer, an *oauthError for a
// refusal, or any other error for a fault of ours.
type grantFunc func(ctx context.Context, c Client, req tokenRequest) (*tokenAnswer, error)

// tokenAnswer is the RFC 6749 5.1 body plus SOMtoday's fields, in the order
// the real IdP writes them. No field may be null: clients such as SWIFT
// decode every one as a required string.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	APIURL       string `json:"somtoday_api_url"`
	OOPURL       string `json:"somtoday_oop_url"`
	Scope        string `json:"scope"`
	Tenant       string `json:"somtoday_tenant"`
	Abbrev       string `json:"somtoday_organisatie_afkorting"`
	IDToken      string `json:"id_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

// oauthError is a refusal in RFC 6749 5.2 terms. Only code and description
// reach the client; cause is for the log.
type oauthError struct {
	status      int
	code        string
	description string
	basic       bool // answer with a Basic challenge (RFC 6749 5.2)
	cause       error
}

func (e *oauthError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.code, e.description, e.cause)
	}
	return e.code + ": " + e.description
}

func (e *oauthError) Unwrap() error { return e.cause }

func invalidRequest(desc string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: "invalid_request", description: desc}
}

func invalidClient(basic bool) *oauthError {
	return &oauthError{status: http.StatusUnauthorized, code: "invalid_client",
		description: "Client authentication failed", basic: basic}
}

func invalidGrant(desc string, cause error) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: "invalid_grant",
		description: "Invalid grant: " + desc, cause: cause}
}

var errNotForm = invalidRequest("The request body must be application/x-www-form-urlencoded")

// errTooMany answers a client over its rate; the caller sets Retry-After.
var errTooMany = &oauthError{status: http.StatusTooManyRequests,
	code: "temporarily_unavailable", description: "Too many requests; try again later"}

// handleToken is the token endpoint: parse, authenticate the client,
// dispatch on grant_type, write. Every step returns its refusal as a value
// and the one writer at the end turns it into the answer.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.keys.refresh(r.Context(), false)
	ans, grantType, err := s.token(w, r)
	outcome := s.writeToken(w, ans, err)
	s.metrics.Grant(s.grantLabel(grantType), outcome)
}

// token runs the pipeline and also returns the grant_type as sent, for the
// metrics.
func (s *Server) token(w http.ResponseWriter, r *http.Request) (*tokenAnswer, string, error) {
	if r.Method != http.MethodPost {
		return nil, "", &oauthError{status: http.StatusMethodNotAllowed, code: "invalid_request",
			description: "The token endpoint takes POST only"}
	}

	req, err := parseTokenRequest(w, r)
	if err != nil {
		return nil, "", err
	}

	client, err := s.authenticateClient(req)
	if err != nil {
		return nil, req.grantType, err
	}

	if req.grantType == "" {
		return nil, "", invalidRequest("Missing parameter: grant_type")
	}
	grant, ok := s.grants[req.grantType]
	if !ok {
		return nil, req.grantType, &oauthError{status: http.StatusBadRequest,
			code:        "unsupported_grant_type",
			description: "Unsupported grant type: " + req.grantType}
	}
	ans, err := grant(r.Context(), client, req)
	return ans, req.grantType, err
}

// parseTokenRequest reads the parameters from the form body, or from the
// query string when the body is empty (GOS and LUX send them there).
func parseTokenRequest(w http.ResponseWriter, r *http.Request) (tokenRequest, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTokenBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return tokenRequest{}, invalidRequest("The request body is too large")
		}
		return tokenRequest{}, invalidRequest("The request body could not be read")
	}

	raw := r.URL.RawQuery
	if len(bytes.TrimSpace(body)) > 0 {
		if !isForm(r.Header.Get("Content-Type"), body) {
			return tokenRequest{}, errNotForm
		}
		raw = string(body)
	}
	form, err := url.ParseQuery(raw)
	if err != nil {
		return tokenRequest{}, invalidRequest("The parameters are not valid form encoding")
	}
	// RFC 6749 3.2: no parameter twice. Picking one would hide a client bug.
	for k, v := range form {
		if len(v) > 1 {
			return tokenRequest{}, invalidRequest("Parameter given more than once: " + k)
		}
	}

	req := tokenRequest{
		grantType:    form.Get("grant_type"),
		clientID:     form.Get("client_id"),
		clientSecret: form.Get("client_secret"),
		form:         form,
	}
	req.basic, req.basicID, req.basicSecret, err = basicCredentials(r.Header.Get("Authorization"))
	if err != nil {
		return tokenRequest{}, err
	}
	return req, nil
}

// isForm accepts the form media type with any parameters (charset=UTF-8 is
// common). A body without a Content-Type passes unless it looks like JSON,
// as a hand-written curl -d body may lack the header.
func isForm(contentType string, body []byte) bool {
	if contentType == "" {
		first := bytes.TrimSpace(body)[0]
		return first != '{' && first != '['
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// basicCredentials reads HTTP Basic client credentials. RFC 6749 2.3.1
// form-encodes id and secret before base64, so "+" is a space and "%2B" a
// plus. Another scheme (or none) is not an error: the body may carry the
// credentials.
func basicCredentials(header string) (ok bool, id, secret string, err error) {
	scheme, payload, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return false, "", "", nil
	}
	dec, decErr := base64.StdEncoding.DecodeString(strings.TrimSpace(payload))
	rawID, rawSecret, found := strings.Cut(string(dec), ":")
	if decErr != nil || !found {
		return false, "", "", invalidClient(true)
	}
	id, err1 := url.QueryUnescape(rawID)
	secret, err2 := url.QueryUnescape(rawSecret)
	if err1 != nil || err2 != nil {
		return false, "", "", invalidClient(true)
	}
	return true, id, secret, nil
}

// authenticateClient finds the client and checks its secret when it has
// one. A public client's secret is ignored, as the legacy client's secret
// has been optional since 2021.
func (s *Server) authenticateClient(req tokenRequest) (Client, error) {
	id, secret := req.clientID, req.clientSecret
	if req.basic {
		if id != "" && id != req.basicID {
			return Client{}, invalidRequest("client_id differs from the Basic credentials")
		}
		id, secret = req.basicID, req.basicSecret
	}

	c, ok := s.clients[id]
	if !ok {
		return Client{}, invalidClient(req.basic)
	}
	if c.SecretHash == "" {
		return c, nil
	}

	match, err := s.verify(c.SecretHash, secret)
	if err != nil {
		return Client{}, fmt.Errorf("check secret of client %s: %w", c.ID, err)
	}
	if !match {
		return Client{}, invalidClient(req.basic)
	}
	return c, nil
}

// identityFor loads what the id token will say, or nil when the scope
// asks for no id token. Grants call it before they store or rotate a
// refresh token, so that a failure here consumes nothing.
func (s *Server) identityFor(ctx context.Context, sess session) (*identity, error) {
	if !hasScope(sess.scope, scopeOpenID) {
		return nil, nil
	}
	id, err := s.identityOf(ctx, sess.account)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

// issue writes the answer of a grant that has settled who gets tokens and
// holds a refresh token for them already.
func (s *Server) issue(sess session, id *identity, refresh string, now time.Time) (
	*tokenAnswer, error) {
	access, err := s.accessToken(sess, now)
	if err != nil {
		return nil, err
	}
	ans := &tokenAnswer{
		AccessToken:  access,
		RefreshToken: refresh,
		APIURL:       s.publicURL,
		OOPURL:       s.oopURL,
		Scope:        sess.scope,
		Tenant:       sess.school.Tenant,
		Abbrev:       sess.school.Abbrev,
		TokenType:    "Bearer",
		ExpiresIn:    int64(s.accessTTL / time.Second),
	}
	if id == nil {
		return ans, nil
	}
	ans.IDToken, err = s.idToken(sess, *id, now)
	if err != nil {
		return nil, err
	}
	return ans, nil
}

// writeToken is the one place token answers are written. A fault of ours
// becomes a generic server_error; its text goes to the log only. It
// returns the outcome for the metrics: "ok" or the error code.
func (s *Server) writeToken(w http.ResponseWriter, ans *tokenAnswer, err error) string {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")

	if err == nil {
		writeJSON(w, http.StatusOK, ans)
		return "ok"
	}

	oe, ok := errors.AsType[*oauthError](err)
	if ok {
		s.log.Info("token request refused", "route", tokenRoute, "status", oe.status, "err", err)
	} else {
		s.log.Error("token request failed", "route", tokenRoute,
			"status", http.StatusInternalServerError, "err", err)
		oe = &oauthError{status: http.StatusInternalServerError, code: "server_error",
			description: "The server could not handle the request"}
	}
	if oe.status == http.StatusMethodNotAllowed {
		h.Set("Allow", http.MethodPost)
	}
	if oe.basic {
		h.Set("WWW-Authenticate", `Basic realm="opensom"`)
	}
	writeJSON(w, oe.status, struct {
		Description string `json:"error_description"`
		Code        string `json:"error"`
	}{oe.description, oe.code})
	return oe.code
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only strings and numbers: cannot happen
		b = []byte(`{"error_description":"The server could not handle the request",` +
			`"error":"server_error"}`)
		status = http.StatusInternalServerError
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Scopes opensom grants. Others are dropped, which RFC 6749 3.3 allows,
// rather than refused: clients copy odd scopes from each other.
const (
	scopeOpenID  = "openid"
	scopeOffline = "offline_access"
)

// grantedScope is the part of asked that opensom grants; openid when
// nothing known was asked, as most clients send openid or nothing.
func grantedScope(asked string) string {
	var out []string
	for _, sc := range strings.Fields(asked) {
		if (sc == scopeOpenID || sc == scopeOffline) && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return scopeOpenID
	}
	return strings.Join(out, " ")
}

func hasScope(scope, want string) bool {
	return slices.Contains(strings.Fields(scope), want)
}
