package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/opensom/opensom/internal/school"
)

// C01: rotation, reuse within and after the grace window.
func TestRefreshRotation(t *testing.T) {
	r := newRig(t)
	first := r.login("tess", pwPupil)
	rt1 := first.RefreshToken

	second := r.ok(r.do(call{form: refreshForm(rt1, legacyClientID)}))
	rt2 := second.RefreshToken
	if rt2 == rt1 || rt2 == "" {
		t.Fatal("refresh did not return a new refresh token")
	}
	p1, err := r.authenticate("Bearer " + first.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := r.authenticate("Bearer " + second.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if p1 != p2 {
		t.Errorf("principal changed on refresh: %+v, then %+v", p1, p2)
	}
	if second.Tenant != "lindenhof" || second.IDToken == "" || second.Scope != "openid" {
		t.Errorf("refresh answer %+v", second)
	}

	// Two refreshes that race: the second use of RT1, within grace, works.
	r.clock.advance(10 * time.Second)
	racing := r.ok(r.do(call{form: refreshForm(rt1, legacyClientID)}))
	if racing.RefreshToken == rt2 || racing.RefreshToken == rt1 {
		t.Error("a reuse within grace returned an old token")
	}

	// After the grace window a reuse revokes the family.
	r.clock.advance(time.Second)
	e := r.refused(r.do(call{form: refreshForm(rt1, legacyClientID)}), 403, "invalid_grant")
	if e.Description != "Invalid grant: Token revoked" {
		t.Errorf("description %q", e.Description)
	}
	for _, rt := range []string{rt2, racing.RefreshToken} {
		r.refused(r.do(call{form: refreshForm(rt, legacyClientID)}), 403, "invalid_grant")
	}
	for _, at := range []string{first.AccessToken, second.AccessToken, racing.AccessToken} {
		if _, err := r.authenticate("Bearer " + at); !errors.Is(err, ErrBadToken) {
			t.Errorf("access token of a revoked family: %v, want ErrBadToken", err)
		}
	}
	r.noSecretsLogged(rt1, rt2, first.AccessToken, pwPupil)
}

// C01: refresh tokens that are not good get 400, never 500.
func TestRefreshBadToken(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		token func(r *rig) string
		code  string
	}{
		{name: "garbage", code: "invalid_grant",
			token: func(*rig) string { return "not-a-jwt" }},
		{name: "three dots of garbage", code: "invalid_grant",
			token: func(*rig) string { return "eyJ.eyJ.sig" }},
		{name: "expired", code: "invalid_grant", token: func(r *rig) string {
			rt := r.login("tess", pwPupil).RefreshToken
			r.clock.advance(60*24*time.Hour + time.Second)
			return rt
		}},
		{name: "signed by another key", code: "invalid_grant", token: func(r *rig) string {
			rt := r.login("tess", pwPupil).RefreshToken
			var c refreshClaims
			if _, err := r.srv.parser().ParseWithClaims(rt, &c, r.srv.keys.keyFunc(context.Background())); err != nil {
				r.t.Fatal(err)
			}
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
			tok.Header["kid"] = r.srv.keys.currentKID()
			s, err := tok.SignedString(otherKey)
			if err != nil {
				r.t.Fatal(err)
			}
			return s
		}},
		{name: "access token", code: "invalid_grant",
			token: func(r *rig) string { return r.login("tess", pwPupil).AccessToken }},
		{name: "id token", code: "invalid_grant",
			token: func(r *rig) string { return r.login("tess", pwPupil).IDToken }},
		{name: "signed but never stored", code: "invalid_grant", token: func(r *rig) string {
			rt := r.login("tess", pwPupil).RefreshToken
			delete(r.store.tokens, hashToken(rt))
			return rt
		}},
		{name: "missing", code: "invalid_request", token: func(*rig) string { return "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			f := refreshForm(tc.token(r), legacyClientID)
			if f.Get("refresh_token") == "" {
				f.Del("refresh_token")
			}
			r.refused(r.do(call{form: f}), 400, tc.code)
		})
	}
}

func TestRefreshScope(t *testing.T) {
	tests := []struct {
		name, login, asked, granted, code string
	}{
		{name: "none asked keeps the family's", login: "openid offline_access",
			granted: "openid offline_access"},
		{name: "narrower", login: "openid offline_access", asked: "openid", granted: "openid"},
		{name: "wider", login: "offline_access", asked: "openid", code: "invalid_scope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			f := passwordForm(uuidA, "tess", pwPupil)
			f.Set("scope", tc.login)
			rt := r.ok(r.do(call{form: f})).RefreshToken
			rf := refreshForm(rt, legacyClientID)
			if tc.asked != "" {
				rf.Set("scope", tc.asked)
			}
			rec := r.do(call{form: rf})
			if tc.code != "" {
				r.refused(rec, 400, tc.code)
				return
			}
			if got := r.ok(rec).Scope; got != tc.granted {
				t.Errorf("scope %q, want %q", got, tc.granted)
			}
		})
	}
}

// The family outlives each token: a refresh just before the old token
// expires gives a token that lasts the full lifetime again.
func TestRefreshSlides(t *testing.T) {
	r := newRig(t)
	rt := r.login("tess", pwPupil).RefreshToken
	for range 3 {
		r.clock.advance(59 * 24 * time.Hour)
		rt = r.ok(r.do(call{form: refreshForm(rt, legacyClientID)})).RefreshToken
	}
	row, ok := r.store.token(rt)
	if !ok || !row.ExpiresAt.Equal(r.clock.now().Add(60*24*time.Hour)) {
		t.Errorf("row %+v", row)
	}
}

func TestRefreshOfDeletedAccount(t *testing.T) {
	r := newRig(t)
	rt := r.login("tess", pwPupil).RefreshToken
	r.store.accounts = r.store.accounts[1:]
	r.refused(r.do(call{form: refreshForm(rt, legacyClientID)}), 400, "invalid_grant")
	if row, _ := r.store.token(rt); !row.RotatedAt.IsZero() {
		t.Error("token consumed for an account that is gone")
	}
}

// Keys: a first start creates and stores one; a second start uses it, so
// tokens survive a restart.
func TestSigningKeyStored(t *testing.T) {
	st := newFakeStore()
	seed(t, st)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2024, 3, 4, 9, 0, 0, 0, school.Amsterdam) }
	a, err := New(ctx, Options{Store: st, PublicURL: publicURL, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.keys) != 1 || st.keys[0].KID != a.keys.currentKID() {
		t.Fatalf("stored keys %v, want the one in use", st.keys)
	}
	if _, err := parseKey(st.keys[0].PrivatePEM); err != nil {
		t.Fatalf("stored key: %v", err)
	}

	b, err := New(ctx, Options{Store: st, PublicURL: publicURL, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if b.keys.currentKID() != a.keys.currentKID() || len(st.keys) != 1 {
		t.Fatal("second start did not reuse the stored key")
	}

	// An injected key signs, and the stored one still verifies.
	c, err := New(ctx, Options{Store: st, PublicURL: publicURL, Now: now, Key: sharedKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	sess := session{school: st.schools[0], account: st.accounts[0], clientID: legacyClientID,
		familyID: "f", scope: "openid"}
	tok, err := a.accessToken(sess, now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.parseAccess(ctx, tok); err != nil {
		t.Errorf("token of the stored key: %v", err)
	}
	if c.keys.currentKID() == a.keys.currentKID() {
		t.Error("the injected key does not sign")
	}
}

func TestNewOptions(t *testing.T) {
	tests := []struct {
		name string
		o    Options
	}{
		{name: "no store", o: Options{PublicURL: publicURL}},
		{name: "no public url", o: Options{Store: newFakeStore()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(context.Background(), tc.o); err == nil {
				t.Error("New accepted incomplete options")
			}
		})
	}
}

// What the id token needs is loaded before the rotation, so a store fault
// there leaves the refresh token usable.
func TestRefreshFaultConsumesNothing(t *testing.T) {
	r := newRig(t)
	rt := r.login("tess", pwPupil).RefreshToken
	pupils := r.store.pupils
	r.store.pupils = nil
	r.refused(r.do(call{form: refreshForm(rt, legacyClientID)}), 500, "server_error")
	if row, _ := r.store.token(rt); !row.RotatedAt.IsZero() {
		t.Fatal("token consumed by a failed refresh")
	}
	r.store.pupils = pupils
	r.ok(r.do(call{form: refreshForm(rt, legacyClientID)}))
}
