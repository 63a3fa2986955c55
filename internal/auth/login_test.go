package auth

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

const nativeAt443 = "somtoday://nl.topicus.somtoday.leerling:443/oauth/callback"

// The whole scraper login (spec 2.5.3) on a two-page and a one-page
// school, then the code exchange (C07 happy path) and the id token.
func TestScraperLogin(t *testing.T) {
	tests := []struct {
		name     string
		combined bool
	}{
		{name: "username then password"},
		{name: "both on one page", combined: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWeb(t, func(o *Options) {
				if tc.combined {
					o.CombinedLogin = []string{uuidA}
				}
			})
			auth := w.authorize(t, authorizeQuery(uuidA))
			q := codeOf(t, w.signIn(t, auth, "tess", pwPupil), nativeAt443)
			if q.Get("state") != "st8te-01" || q.Get("iss") != w.ts.URL {
				t.Errorf("redirect query %v", q)
			}
			ans := w.ok(w.rig.do(call{form: exchangeForm(q.Get("code"), nativeID, verifier)}))
			if _, err := w.authenticate("Bearer " + ans.AccessToken); err != nil {
				t.Fatalf("access token: %v", err)
			}
			id := jwtPart(t, ans.IDToken, 1)
			if id["sub"] != uuidA+`\a0000000-0000-4000-8000-000000000001` ||
				id["given_name"] != "Tess" || id["affiliation"] != "student" ||
				id["orgname"] != "Lindenhof College" || id["auth_time"] == nil {
				t.Errorf("id token %v", id)
			}
			if ll, ok := id["leerlingen"].(string); !ok || !strings.Contains(ll, `"ll":[`) {
				t.Errorf("leerlingen %v, want a JSON string", id["leerlingen"])
			}
			w.noSecretsLogged(pwPupil, q.Get("code"), ans.RefreshToken)
		})
	}
}

// The claims parameter picks the person claims; without it all come.
func TestIDTokenClaimsParameter(t *testing.T) {
	w := newWeb(t, nil)
	q := authorizeQuery(uuidA)
	q.Set("claims", `{"id_token":{"orgname":null}}`)
	q.Set("nonce", "n-123")
	code := codeOf(t, w.signIn(t, w.authorize(t, q), "tess", pwPupil), nativeAt443)
	ans := w.ok(w.rig.do(call{form: exchangeForm(code.Get("code"), nativeID, verifier)}))
	id := jwtPart(t, ans.IDToken, 1)
	if id["orgname"] != "Lindenhof College" || id["given_name"] != nil ||
		id["leerlingen"] != nil || id["nonce"] != "n-123" {
		t.Errorf("id token %v", id)
	}
	// The choice survives a refresh.
	next := w.ok(w.rig.do(call{form: refreshForm(ans.RefreshToken, nativeID)}))
	if id := jwtPart(t, next.IDToken, 1); id["given_name"] != nil || id["orgname"] == nil {
		t.Errorf("refreshed id token %v", id)
	}
}

// C07: PKCE.
func TestCodePKCE(t *testing.T) {
	long := strings.Repeat("a", 129)
	tests := []struct {
		name     string
		method   string // challenge method at authorize
		verifier string // sent at the exchange
		ok       bool
	}{
		{name: "S256 right", method: "S256", verifier: verifier, ok: true},
		{name: "S256 wrong", method: "S256", verifier: verifier[1:] + "x"},
		{name: "S256 missing", method: "S256"},
		{name: "S256 with the challenge as verifier", method: "S256", verifier: s256(verifier)},
		{name: "plain right", method: "plain", verifier: verifier, ok: true},
		{name: "42 characters", method: "plain", verifier: verifier[:42]},
		{name: "129 characters", method: "plain", verifier: long},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWeb(t, nil)
			q := authorizeQuery(uuidA)
			q.Set("code_challenge_method", tc.method)
			if tc.method == "plain" {
				q.Set("code_challenge", verifier)
				if len(tc.verifier) != len(verifier) {
					q.Set("code_challenge", tc.verifier)
				}
			}
			a := w.do(t, "GET", authorizeRoute+"?"+q.Encode(), nil)
			if tc.name == "42 characters" || tc.name == "129 characters" {
				// Such a challenge is refused at once, back to the client.
				if e := codeOf(t, a.location, nativeAt443); e.Get("error") != "invalid_request" {
					t.Fatalf("authorize answered %q", a.location)
				}
				rec := w.rig.do(call{form: exchangeForm("x", nativeID, tc.verifier)})
				w.refused(rec, 400, "invalid_grant")
				return
			}
			auth := w.authorize(t, q)
			code := codeOf(t, w.signIn(t, auth, "tess", pwPupil), nativeAt443).Get("code")
			rec := w.rig.do(call{form: exchangeForm(code, nativeID, tc.verifier)})
			if !tc.ok {
				w.refused(rec, 400, "invalid_grant")
				return
			}
			first := w.ok(rec)

			// The same code again: refused, and what it gave is revoked.
			w.refused(w.rig.do(call{form: exchangeForm(code, nativeID, tc.verifier)}),
				400, "invalid_grant")
			if _, err := w.authenticate("Bearer " + first.AccessToken); !errors.Is(err,
				ErrBadToken) {
				t.Errorf("access token after code reuse: %v, want ErrBadToken", err)
			}
			w.refused(w.rig.do(call{form: refreshForm(first.RefreshToken, nativeID)}),
				403, "invalid_grant")
		})
	}
}

// A wrong verifier consumes nothing: the right one still works after it.
func TestWrongVerifierKeepsCode(t *testing.T) {
	w := newWeb(t, nil)
	code := codeOf(t, w.signIn(t, w.authorize(t, authorizeQuery(uuidA)), "tess", pwPupil),
		nativeAt443).Get("code")
	w.refused(w.rig.do(call{form: exchangeForm(code, nativeID, strings.Repeat("b", 43))}),
		400, "invalid_grant")
	w.ok(w.rig.do(call{form: exchangeForm(code, nativeID, verifier)}))
}

func TestCodeExchangeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *web, f url.Values)
		status int
		code   string
	}{
		{name: "expired", status: 400, code: "invalid_grant",
			change: func(w *web, _ url.Values) { w.clock.advance(61 * time.Second) }},
		{name: "other redirect uri", status: 400, code: "invalid_grant",
			change: func(_ *web, f url.Values) { f.Set("redirect_uri", webRedirect) }},
		{name: "other client", status: 400, code: "invalid_grant",
			change: func(_ *web, f url.Values) { f.Set("client_id", legacyClientID) }},
		{name: "unknown code", status: 400, code: "invalid_grant",
			change: func(_ *web, f url.Values) { f.Set("code", "nope") }},
		{name: "no redirect uri is fine", status: 200,
			change: func(_ *web, f url.Values) { f.Del("redirect_uri") }},
		{name: "extra tenant and session are fine", status: 200,
			change: func(_ *web, f url.Values) {
				f.Set("tenant_uuid", uuidA)
				f.Set("session", "no_session")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWeb(t, nil)
			code := codeOf(t, w.signIn(t, w.authorize(t, authorizeQuery(uuidA)), "tess",
				pwPupil), nativeAt443).Get("code")
			f := exchangeForm(code, nativeID, verifier)
			tc.change(w, f)
			rec := w.rig.do(call{form: f})
			if tc.status == 200 {
				w.ok(rec)
				return
			}
			w.refused(rec, tc.status, tc.code)
		})
	}
}

// The legacy client may log in without PKCE (SJS); its redirect URI has
// the :443 form too.
func TestLegacyClientWithoutPKCE(t *testing.T) {
	w := newWeb(t, nil)
	q := url.Values{"response_type": {"code"}, "client_id": {legacyClientID},
		"redirect_uri": {"somtodayleerling://oauth/callback"}, "tenant_uuid": {uuidA},
		"state": {"abcdefgh"}}
	loc := w.signIn(t, w.authorize(t, q), "tess", pwPupil)
	code := codeOf(t, loc, "somtodayleerling://oauth:443/callback").Get("code")
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {legacyClientID}}
	w.ok(w.rig.do(call{form: f}))
}

// C08: the client and its redirect URI are checked before anything, and a
// failure is a page of ours, never a redirect.
func TestAuthorizeRedirectURIs(t *testing.T) {
	tests := []struct {
		name, client, redirect, mention string
	}{
		{"unregistered", nativeID, "https://evil.example/cb", "https://evil.example/cb"},
		{"trailing slash", nativeID, nativeRedirect + "/", nativeRedirect + "/"},
		{"web uri with native client", nativeID, webRedirect, webRedirect},
		{"unknown client", "no-such-client", nativeRedirect, "no-such-client"},
		{"no client", "", nativeRedirect, "client_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWeb(t, nil)
			q := authorizeQuery(uuidA)
			q.Set("client_id", tc.client)
			q.Set("redirect_uri", tc.redirect)
			q.Set("response_type", "token") // would be an error sent back, if it came to it
			a := w.do(t, "GET", authorizeRoute+"?"+q.Encode(), nil)
			if a.status != 400 || a.location != "" {
				t.Fatalf("status %d, Location %q; want 400 and no redirect", a.status, a.location)
			}
			if !strings.Contains(a.body, tc.mention) {
				t.Errorf("page does not name %q", tc.mention)
			}
		})
	}
}

// After the client checks, errors go back to the redirect URI.
func TestAuthorizeErrorsGoBack(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		code   string
	}{
		{"token response type", func(q url.Values) { q.Set("response_type", "token") },
			"unsupported_response_type"},
		{"prompt none", func(q url.Values) { q.Set("prompt", "none") }, "login_required"},
		{"no pkce for the native client", func(q url.Values) {
			q.Del("code_challenge")
			q.Del("code_challenge_method")
		}, "invalid_request"},
		{"unknown method", func(q url.Values) { q.Set("code_challenge_method", "S512") },
			"invalid_request"},
		{"bad claims", func(q url.Values) { q.Set("claims", "{") }, "invalid_request"},
		{"unknown school", func(q url.Values) { q.Set("tenant_uuid", "nope") },
			"invalid_request"},
		{"foreign oidc_iss", func(q url.Values) { q.Set("oidc_iss", "https://x.example") },
			"invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWeb(t, nil)
			q := authorizeQuery(uuidA)
			tc.change(q)
			a := w.do(t, "GET", authorizeRoute+"?"+q.Encode(), nil)
			if a.status != 302 {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
			back := codeOf(t, a.location, nativeAt443)
			if back.Get("error") != tc.code || back.Get("state") != "st8te-01" ||
				back.Get("error_description") == "" || back.Get("code") != "" {
				t.Errorf("redirect query %v, want error %s", back, tc.code)
			}
		})
	}
}

// Wrong credentials show on the page with the tries left, and the login
// page shares the password grant's counter and lockout.
func TestLoginPageFailures(t *testing.T) {
	w := newWeb(t, nil)
	auth := w.authorize(t, authorizeQuery(uuidA))
	loc := w.signIn(t, auth, "tess", "wrong")
	if !strings.HasPrefix(loc, "/login") {
		t.Fatalf("wrong password went to %q, want back to the password page", loc)
	}
	page := w.do(t, "GET", loc, nil)
	if !strings.Contains(page.body, "Nog 4 pogingen") {
		t.Errorf("page does not show the tries left:\n%s", page.body)
	}
	if w.metrics.failed[failLoginPage] != 1 {
		t.Errorf("LoginFailed(login_page) %d times, want 1", w.metrics.failed[failLoginPage])
	}

	// The password grant counts on: three more there, the fifth here locks.
	for range 3 {
		w.rig.do(call{form: passwordForm(uuidA, "tess", "wrong")})
	}
	w.signIn(t, w.authorize(t, authorizeQuery(uuidA)), "tess", "wrong")
	w.signIn(t, w.authorize(t, authorizeQuery(uuidA)), "tess", pwPupil)
	page = w.do(t, "GET", "/login?2", nil)
	if !strings.Contains(page.body, "geblokkeerd") {
		t.Errorf("the right password of a locked name was not refused:\n%s", page.body)
	}
	e := w.refused(w.rig.do(call{form: passwordForm(uuidA, "tess", pwPupil)}), 400,
		"invalid_grant")
	if !strings.Contains(e.Description, "locked") {
		t.Errorf("password grant: %q, want locked", e.Description)
	}
}

// CSRF: a post needs the session cookie of the same auth value, and an
// Origin when sent must be ours.
func TestLoginCSRF(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, w *web) string // returns the auth value posted
		origin string
		status int
	}{
		{name: "no session cookie", status: 302, setup: func(t *testing.T, w *web) string {
			auth := w.authorize(t, authorizeQuery(uuidA))
			w.client = newScraper(t)
			return auth
		}},
		{name: "cookie of another login", status: 302, setup: func(t *testing.T, w *web) string {
			other := w.authorize(t, authorizeQuery(uuidA))
			q := authorizeQuery(uuidA)
			q.Set("state", "other")
			a := w.do(t, "GET", authorizeRoute+"?"+q.Encode(), nil)
			_ = other
			u, _ := url.Parse(a.location)
			return u.Query().Get("auth") // never opened: the cookie is other's
		}},
		{name: "foreign origin", origin: "https://evil.example", status: 403,
			setup: func(t *testing.T, w *web) string {
				return w.authorize(t, authorizeQuery(uuidA))
			}},
		{name: "forged auth", status: 400, setup: func(t *testing.T, w *web) string {
			return w.authorize(t, authorizeQuery(uuidA)) + "x"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWeb(t, func(o *Options) { o.CombinedLogin = []string{uuidA} })
			auth := tc.setup(t, w)
			origin := tc.origin
			if origin == "" {
				origin = w.ts.URL
			}
			a := w.do(t, "POST", "/?0-1.-panel-signInForm&auth="+url.QueryEscape(auth),
				url.Values{fieldUsername: {"tess"}, fieldPassword: {pwPupil}},
				"Origin", origin)
			if a.status != tc.status || strings.Contains(a.location, "code=") {
				t.Fatalf("status %d, Location %q; want %d and no code", a.status, a.location,
					tc.status)
			}
			if len(w.store.codes) != 0 {
				t.Error("a code was made")
			}
		})
	}
}

// A school with its own identity provider gets a page saying so.
func TestExternalIdPSchool(t *testing.T) {
	w := newWeb(t, func(o *Options) {
		o.Store.(*fakeStore).schools[0].OIDCURLs = []school.OIDCURL{{Description: "Lindenhof Azure",
			URL: "https://login.example/v2.0"}}
	})
	a := w.do(t, "GET", authorizeRoute+"?"+authorizeQuery(uuidA).Encode(), nil)
	page := w.do(t, "GET", a.location, nil)
	if page.status != 200 || !strings.Contains(page.body, "niet beschikbaar") ||
		!strings.Contains(page.body, "Lindenhof Azure") || strings.Contains(page.body,
		fieldUsername) {
		t.Errorf("external IdP page: %d\n%s", page.status, page.body)
	}
}

// Without tenant_uuid the page is a school picker with search.
func TestSchoolPicker(t *testing.T) {
	w := newWeb(t, nil)
	q := authorizeQuery(uuidA)
	q.Del("tenant_uuid")
	a := w.do(t, "GET", authorizeRoute+"?"+q.Encode(), nil)
	auth := strings.TrimPrefix(a.location, w.ts.URL+"/?auth=")
	page := w.do(t, "GET", "/?auth="+auth+"&term=esdoorn", nil)
	if !strings.Contains(page.body, "Esdoorn Lyceum") ||
		strings.Contains(page.body, "Lindenhof College") {
		t.Fatalf("search for esdoorn:\n%s", page.body)
	}
	js := w.do(t, "GET", "/?0-1.-panel-organisatieSearchField&auth="+auth+"&term=linden",
		nil, "X-Requested-With", "XMLHttpRequest", "Accept", "application/json")
	if !strings.Contains(js.body, `"id":"`+uuidA+`"`) || !strings.Contains(js.body,
		`"value":"Lindenhof College"`) {
		t.Fatalf("autocomplete: %s", js.body)
	}
	pick := w.do(t, "GET", "/?auth="+auth+"&tenant="+uuidA, nil)
	if pick.status != 302 {
		t.Fatalf("pick: %d", pick.status)
	}
	u, _ := url.Parse(pick.location)
	login := w.do(t, "GET", pick.location, nil)
	if !strings.Contains(login.body, "Lindenhof College") ||
		!strings.Contains(login.body, fieldUsername) {
		t.Fatalf("login page after picking:\n%s", login.body)
	}
	codeOf(t, w.signIn(t, u.Query().Get("auth"), "tess", pwPupil), nativeAt443)
}
