package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkRefreshGrant is one refresh over HTTP: parse, client check,
// one RSA verification, three RSA signatures and a rotation in the fake
// store. The signatures dominate.
func BenchmarkRefreshGrant(b *testing.B) {
	r := newRig(b)
	rt := r.login("tess", pwPupil).RefreshToken
	b.ReportAllocs()
	for b.Loop() {
		rec := r.do(call{form: refreshForm(rt, legacyClientID)})
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		rt = r.ok(rec).RefreshToken
	}
}

// BenchmarkAuthenticate is the bearer check of a REST call with a token
// already seen: a hash, a cache read and the revocation check.
func BenchmarkAuthenticate(b *testing.B) {
	r := newRig(b)
	req := httptest.NewRequest(http.MethodGet, "/rest/v1/leerlingen", nil)
	req.Header.Set("Authorization", "Bearer "+r.login("tess", pwPupil).AccessToken)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.srv.Authenticate(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticateUncached is the same check without the cache: what
// the first call with a token costs.
func BenchmarkAuthenticateUncached(b *testing.B) {
	r := newRig(b)
	req := httptest.NewRequest(http.MethodGet, "/rest/v1/leerlingen", nil)
	req.Header.Set("Authorization", "Bearer "+r.login("tess", pwPupil).AccessToken)
	b.ReportAllocs()
	for b.Loop() {
		r.srv.cache = newVerifyCache(4096)
		if _, err := r.srv.Authenticate(req); err != nil {
			b.Fatal(err)
		}
	}
}
