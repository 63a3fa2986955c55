package auth

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzParseTokenRequest feeds the token request parser any body, query,
// content type and Authorization header. It must never panic, and what it
// accepts must hold: no parameter twice, grant_type as sent, Basic
// credentials only from a Basic header. The seed corpus (also in
// testdata/fuzz) runs in every go test.
func FuzzParseTokenRequest(f *testing.F) {
	f.Add("grant_type=password&username=a%5Cb&password=c", "",
		"application/x-www-form-urlencoded", "")
	f.Add("", "grant_type=refresh_token&refresh_token=x", "", "Basic RDUwRTo=")
	f.Add(`{"grant_type":"password"}`, "", "application/json", "")
	f.Add("grant_type=a&grant_type=b", "", "", "Basic %%%")
	f.Add("a=%zz", "b=1", "application/x-www-form-urlencoded; charset=UTF-8", "bearer x")
	f.Fuzz(func(t *testing.T, body, query, contentType, authz string) {
		req := httptest.NewRequest("POST", tokenRoute, strings.NewReader(body))
		req.URL.RawQuery = query // raw, as a client may send anything there
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		got, err := parseTokenRequest(httptest.NewRecorder(), req)
		if err != nil {
			if _, ok := errors.AsType[*oauthError](err); !ok {
				t.Fatalf("error %v is not an OAuth2 refusal", err)
			}
			return
		}
		for k, v := range got.form {
			if len(v) != 1 {
				t.Fatalf("parameter %q accepted %d times", k, len(v))
			}
		}
		if got.grantType != got.form.Get("grant_type") {
			t.Fatalf("grant type %q, form says %q", got.grantType, got.form.Get("grant_type"))
		}
		scheme, _, _ := strings.Cut(authz, " ")
		if got.basic && !strings.EqualFold(scheme, "Basic") {
			t.Fatalf("Basic credentials from %q", authz)
		}
	})
}
