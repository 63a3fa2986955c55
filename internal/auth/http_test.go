package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The endpoint over a real connection (httptest listens on 127.0.0.1), as
// a client library would call it: login, refresh with the query string
// form, and a GET.
func TestOverHTTP(t *testing.T) {
	r := newRig(t)
	ts := httptest.NewServer(r.mux)
	t.Cleanup(ts.Close)

	resp, err := ts.Client().PostForm(ts.URL+tokenRoute, passwordForm(uuidA, "tess", pwPupil))
	if err != nil {
		t.Fatal(err)
	}
	var ans tokenAnswer
	err = json.NewDecoder(resp.Body).Decode(&ans)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || ans.RefreshToken == "" {
		t.Fatalf("login: %d %v %+v", resp.StatusCode, err, ans)
	}

	q := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {ans.RefreshToken}}
	req, err := http.NewRequest(http.MethodPost, ts.URL+tokenRoute+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(legacyClientID, "")
	resp, err = ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("refresh in the query string: %d", resp.StatusCode)
	}

	resp, err = ts.Client().Get(ts.URL + tokenRoute)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}
