package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
)

// C05: bearer parsing.
func TestAuthenticate(t *testing.T) {
	flip := func(s string) string {
		return strings.Map(func(c rune) rune {
			if unicode.IsUpper(c) {
				return unicode.ToLower(c)
			}
			return unicode.ToUpper(c)
		}, s)
	}
	tests := []struct {
		name   string
		header func(a tokenAnswer) string
		want   error // nil: accepted
	}{
		{name: "no header", header: func(tokenAnswer) string { return "" }, want: ErrNoToken},
		{name: "no scheme", header: func(a tokenAnswer) string { return a.AccessToken },
			want: ErrNoToken},
		{name: "basic scheme",
			header: func(a tokenAnswer) string { return "Basic " + a.AccessToken },
			want:   ErrNoToken},
		{name: "scheme only", header: func(tokenAnswer) string { return "Bearer" },
			want: ErrBadToken},
		{name: "Bearer", header: func(a tokenAnswer) string { return "Bearer " + a.AccessToken }},
		{name: "bearer", header: func(a tokenAnswer) string { return "bearer " + a.AccessToken }},
		{name: "BEARER", header: func(a tokenAnswer) string { return "BEARER " + a.AccessToken }},
		{name: "case flipped token",
			header: func(a tokenAnswer) string { return "Bearer " + flip(a.AccessToken) },
			want:   ErrBadToken},
		{name: "truncated token",
			header: func(a tokenAnswer) string { return "Bearer " + a.AccessToken[:40] },
			want:   ErrBadToken},
		{name: "refresh token",
			header: func(a tokenAnswer) string { return "Bearer " + a.RefreshToken },
			want:   ErrBadToken},
		{name: "id token", header: func(a tokenAnswer) string { return "Bearer " + a.IDToken },
			want: ErrBadToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			ans := r.login("tess", pwPupil)
			p, err := r.authenticate(tc.header(ans))
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("err %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := Principal{SchoolID: 1000000001, AccountID: 4000000001,
				ClientID: legacyClientID, Scope: "openid", FamilyID: p.FamilyID}
			if p != want || p.FamilyID == "" {
				t.Errorf("principal %+v, want %+v", p, want)
			}
		})
	}
}

// C05: an expired token is refused, also after it was cached.
func TestAuthenticateExpired(t *testing.T) {
	tests := []struct {
		name   string
		cached bool
	}{
		{name: "never seen"},
		{name: "cached", cached: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			h := "Bearer " + r.login("tess", pwPupil).AccessToken
			if tc.cached {
				if _, err := r.authenticate(h); err != nil {
					t.Fatal(err)
				}
			}
			r.clock.advance(time.Hour - time.Second)
			if _, err := r.authenticate(h); err != nil {
				t.Fatalf("a second before expiry: %v", err)
			}
			r.clock.advance(time.Second)
			if _, err := r.authenticate(h); !errors.Is(err, ErrBadToken) {
				t.Fatalf("at expiry: %v, want ErrBadToken", err)
			}
		})
	}
}

// A revoked family stops its access tokens at once, cached or not, and the
// cache does not spare the revocation check.
func TestAuthenticateRevokedFamily(t *testing.T) {
	r := newRig(t)
	h := "Bearer " + r.login("tess", pwPupil).AccessToken
	for range 3 {
		if _, err := r.authenticate(h); err != nil {
			t.Fatal(err)
		}
	}
	if r.store.revokeHit != 3 {
		t.Errorf("%d revocation checks for 3 calls", r.store.revokeHit)
	}
	p, _ := r.authenticate(h)
	if err := r.store.RevokeFamily(t.Context(), p.FamilyID, r.clock.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.authenticate(h); !errors.Is(err, ErrBadToken) {
		t.Fatalf("after revocation: %v, want ErrBadToken", err)
	}
}

func TestVerifyCacheBounded(t *testing.T) {
	c := newVerifyCache(8)
	now := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	exp := now.Add(time.Hour)
	key := func(i int) [32]byte { return [32]byte{byte(i)} }

	c.put(key(0), Principal{AccountID: 100}, exp)
	for i := 1; i < 40; i++ {
		c.put(key(i), Principal{AccountID: 1}, exp)
		// Key 0 is in use all along, so it must survive every turnover.
		if p, ok := c.get(key(0), now); !ok || p.AccountID != 100 {
			t.Fatalf("after %d puts the hot entry is gone", i)
		}
		if n := c.len(); n > 8 {
			t.Fatalf("cache holds %d entries, max 8", n)
		}
	}
	if _, ok := c.get(key(1), now); ok {
		t.Error("a cold entry survived 38 newer ones")
	}
	if _, ok := c.get(key(0), exp); ok {
		t.Error("an entry outlived its token")
	}
}
