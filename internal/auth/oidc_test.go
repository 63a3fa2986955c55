package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

func TestDiscovery(t *testing.T) {
	w := newWeb(t, nil)
	d := decodeJSON(t, w.do(t, "GET", discoveryRoute, nil).body)
	if d["issuer"] != w.ts.URL {
		t.Errorf("issuer %v", d["issuer"])
	}
	for _, k := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint",
		"jwks_uri", "revocation_endpoint", "introspection_endpoint", "end_session_endpoint"} {
		v, _ := d[k].(string)
		if !strings.HasPrefix(v, w.ts.URL+"/") {
			t.Errorf("%s = %q, not under the public URL", k, v)
			continue
		}
		// Every endpoint it names answers (with anything but 404).
		if st := w.do(t, "GET", v, nil).status; st == 404 {
			t.Errorf("%s answers 404", k)
		}
	}
	grants := strings.Join(anyStrings(d["grant_types_supported"]), ",")
	if grants != "authorization_code,password,refresh_token" {
		t.Errorf("grant types %s", grants)
	}
	if d["claims_parameter_supported"] != true ||
		!slices.Contains(anyStrings(d["code_challenge_methods_supported"]), "S256") {
		t.Errorf("discovery %v", d)
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// Keys rotate: a new key signs after KeyRotation, the old one stays in
// JWKS and verifies until its tokens have expired, then it goes.
func TestKeyRotation(t *testing.T) {
	w := newWeb(t, func(o *Options) {
		o.Key = nil
		o.KeyRotation = 24 * time.Hour
	})
	old := w.login("tess", pwPupil)
	kids := func() []string {
		var out []string
		for _, k := range decodeJSON(t, w.do(t, "GET", jwksRoute, nil).body)["keys"].([]any) {
			out = append(out, k.(map[string]any)["kid"].(string))
		}
		return out
	}
	first := kids()
	if len(first) != 1 {
		t.Fatalf("JWKS %v, want one key", first)
	}

	w.clock.advance(25 * time.Hour)
	fresh := w.login("tess", pwPupil)
	if jwtPart(t, fresh.AccessToken, 0)["kid"] == first[0] {
		t.Fatal("no new key signs after the rotation age")
	}
	if got := kids(); len(got) != 2 {
		t.Fatalf("JWKS %v, want the old and the new key", got)
	}
	w.ok(w.rig.do(call{form: refreshForm(old.RefreshToken, legacyClientID)}))

	// Past the longest token lifetime the old key is gone.
	w.clock.advance(61 * 24 * time.Hour)
	got := kids()
	if slices.Contains(got, first[0]) {
		t.Errorf("JWKS %v still has the retired key", got)
	}
}

// Two nodes on one store: a key that another node stored verifies here at
// once, and after a reload both sign with the newest.
func TestKeysOfAnotherNode(t *testing.T) {
	st := newFakeStore()
	seed(t, st)
	clk := &clock{t: time.Date(2024, 3, 4, 9, 0, 0, 0, school.Amsterdam)}
	ctx := context.Background()
	a, err := New(ctx, Options{Store: st, PublicURL: publicURL, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	// Node B starts on the same empty store at the same moment: simulated
	// by letting it store a key newer than A's.
	// by hiding A's key from B's first read; both end up stored.
	clk.advance(time.Millisecond)
	aKeys := st.keys
	st.keys = nil
	b, err := New(ctx, Options{Store: st, PublicURL: publicURL, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	st.keys = append(st.keys, aKeys...) // newest first: B's, then A's
	aKey := a.keys.currentKID()
	if aKey == b.keys.currentKID() {
		t.Fatal("the two nodes made the same key")
	}

	sess := session{school: st.schools[0], account: st.accounts[0], clientID: legacyClientID,
		familyID: "f", scope: "openid"}
	for _, pair := range []struct {
		name          string
		signer, check *Server
	}{{"A verifies B's token", b, a}, {"B verifies A's token", a, b}} {
		tok, err := pair.signer.accessToken(sess, clk.now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pair.check.parseAccess(ctx, tok); err != nil {
			t.Errorf("%s: %v", pair.name, err)
		}
	}
	clk.advance(time.Minute)
	a.keys.refresh(ctx, false)
	if a.keys.currentKID() == aKey || a.keys.currentKID() != b.keys.currentKID() {
		t.Errorf("after a reload A signs with %s, B with %s", a.keys.currentKID(),
			b.keys.currentKID())
	}
}

func TestUserinfo(t *testing.T) {
	r := newRig(t)
	at := r.login("mira", pwParent).AccessToken
	tests := []struct {
		name, header string
		status       int
	}{
		{"parent", "Bearer " + at, 200},
		{"no token", "", 401},
		{"bad token", "Bearer x.y.z", 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", userinfoRoute, nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			rec := httptest.NewRecorder()
			r.mux.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if tc.status != 200 {
				if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Error("no Bearer challenge")
				}
				return
			}
			m := decodeJSON(t, rec.Body.String())
			if m["affiliation"] != "parent/guardian" || m["given_name"] != "Mira" ||
				!strings.Contains(m["leerlingen"].(string), "Ravi") {
				t.Errorf("userinfo %v", m)
			}
		})
	}
}

// RFC 7009: revoking either token ends the family; unknown tokens are 200.
func TestRevoke(t *testing.T) {
	tests := []struct {
		name   string
		token  func(a tokenAnswer) string
		client string
		status int
		ends   bool
	}{
		{"refresh token", func(a tokenAnswer) string { return a.RefreshToken },
			legacyClientID, 200, true},
		{"access token", func(a tokenAnswer) string { return a.AccessToken },
			legacyClientID, 200, true},
		{"garbage", func(tokenAnswer) string { return "garbage" }, legacyClientID, 200, false},
		{"another client's", func(a tokenAnswer) string { return a.RefreshToken },
			nativeID, 400, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			a := r.login("tess", pwPupil)
			rec := r.post(revokeRoute, url.Values{"token": {tc.token(a)},
				"client_id": {tc.client}})
			if rec.Code != tc.status || rec.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			_, err := r.authenticate("Bearer " + a.AccessToken)
			if ended := errors.Is(err, ErrBadToken); ended != tc.ends {
				t.Errorf("family ended: %v, want %v", ended, tc.ends)
			}
		})
	}
}

func TestIntrospect(t *testing.T) {
	r := newRig(t)
	a := r.login("tess", pwPupil)
	tests := []struct {
		name   string
		form   url.Values
		basic  string
		status int
		active bool
	}{
		{"access token", url.Values{"token": {a.AccessToken}},
			basicHeader(confidentialID, confidentialSecret), 200, true},
		{"refresh token", url.Values{"token": {a.RefreshToken}},
			basicHeader(confidentialID, confidentialSecret), 200, true},
		{"garbage", url.Values{"token": {"x"}},
			basicHeader(confidentialID, confidentialSecret), 200, false},
		{"public client", url.Values{"token": {a.AccessToken}, "client_id": {nativeID}},
			"", 401, false},
		{"wrong secret", url.Values{"token": {a.AccessToken}},
			basicHeader(confidentialID, "nope"), 401, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := r.postBasic(introspectRoute, tc.form, tc.basic)
			if rec.Code != tc.status {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if tc.status != 200 {
				return
			}
			m := decodeJSON(t, rec.Body.String())
			if m["active"] != tc.active {
				t.Errorf("introspection %v, want active %v", m, tc.active)
			}
			if tc.active && m["client_id"] != legacyClientID {
				t.Errorf("client_id %v", m["client_id"])
			}
		})
	}
}

func TestLogout(t *testing.T) {
	w := newWeb(t, nil)
	code := codeOf(t, w.signIn(t, w.authorize(t, authorizeQuery(uuidA)), "tess", pwPupil),
		nativeAt443).Get("code")
	a := w.ok(w.rig.do(call{form: exchangeForm(code, nativeID, verifier)}))

	bad := w.do(t, "GET", logoutRoute+"?"+url.Values{"id_token_hint": {a.IDToken},
		"post_logout_redirect_uri": {"https://evil.example/"}}.Encode(), nil)
	if bad.status != 400 || bad.location != "" {
		t.Fatalf("unregistered post_logout_redirect_uri: %d %q", bad.status, bad.location)
	}
	if _, err := w.authenticate("Bearer " + a.AccessToken); err != nil {
		t.Fatal("a refused logout ended the session")
	}

	w.clock.advance(2 * time.Hour) // the hint has expired: still good for logout
	out := w.do(t, "GET", logoutRoute+"?"+url.Values{"id_token_hint": {a.IDToken},
		"post_logout_redirect_uri": {"somtoday://nl.topicus.somtoday.leerling/oauth/logout"},
		"state":                    {"s1"}}.Encode(), nil)
	if out.status != 302 || !strings.HasPrefix(out.location,
		"somtoday://nl.topicus.somtoday.leerling:443/oauth/logout?state=s1") {
		t.Fatalf("logout: %d %q", out.status, out.location)
	}
	w.refused(w.rig.do(call{form: refreshForm(a.RefreshToken, nativeID)}), 403,
		"invalid_grant")
}

// A low limit trips: 429 with Retry-After, on the token endpoint in the
// OAuth2 shape. Another address is not affected.
func TestRateLimit(t *testing.T) {
	r := newRigWith(t, publicURL, func(o *Options) {
		o.RateLimit = RateLimit{PerSecond: 1, Burst: 2}
	})
	for i := range 2 {
		if rec := r.do(call{form: passwordForm(uuidA, "tess", pwPupil)}); rec.Code != 200 {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	rec := r.do(call{form: passwordForm(uuidA, "tess", pwPupil)})
	e := r.refused(rec, 429, "temporarily_unavailable")
	if rec.Header().Get("Retry-After") != "1" || e.Description == "" {
		t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
	}
	page := httptest.NewRecorder()
	r.mux.ServeHTTP(page, httptest.NewRequest("GET", "/", nil))
	if page.Code != 429 {
		t.Errorf("login page: %d, want 429", page.Code)
	}
	other := httptest.NewRequest("GET", "/", nil)
	other.RemoteAddr = "198.51.100.7:4000"
	page = httptest.NewRecorder()
	r.mux.ServeHTTP(page, other)
	if page.Code != 200 {
		t.Errorf("another address: %d, want 200", page.Code)
	}
	r.clock.advance(time.Second)
	r.ok(r.do(call{form: passwordForm(uuidA, "tess", pwPupil)}))
}

// Concurrent refreshes of one token, behind a barrier: no 5xx, every one
// within the grace window works, and the session goes on.
func TestConcurrentRefresh(t *testing.T) {
	r := newRig(t)
	rt := r.login("tess", pwPupil).RefreshToken
	const n = 16
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		recs  = make([]*httptest.ResponseRecorder, n)
	)
	for i := range n {
		wg.Go(func() {
			<-start
			recs[i] = r.do(call{form: refreshForm(rt, legacyClientID)})
		})
	}
	close(start)
	wg.Wait()
	var next string
	for i, rec := range recs {
		if rec.Code != http.StatusOK {
			t.Fatalf("refresh %d: %d %s", i, rec.Code, rec.Body)
		}
		next = r.ok(rec).RefreshToken
	}
	r.clock.advance(time.Minute)
	r.ok(r.do(call{form: refreshForm(next, legacyClientID)}))
}
