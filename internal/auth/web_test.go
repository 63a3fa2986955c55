package auth

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const (
	nativeID       = "somtoday-leerling-native"
	nativeRedirect = "somtoday://nl.topicus.somtoday.leerling/oauth/callback"
	webRedirect    = "https://leerling.somtoday.nl/oauth/callback"
	// verifier is 43 characters, the shortest RFC 7636 allows.
	verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

// web is a rig behind a real listener on 127.0.0.1, with a client that
// keeps cookies and does not follow redirects: a scraper's view.
type web struct {
	*rig
	ts     *httptest.Server
	client *http.Client
}

func newWeb(t *testing.T, edit func(*Options)) *web {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	r := newRigWith(t, "http://"+ts.Listener.Addr().String(), edit)
	ts.Config.Handler = r.mux
	ts.Start()
	t.Cleanup(ts.Close)
	return &web{rig: r, ts: ts, client: newScraper(t)}
}

func newScraper(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// s256 is the PKCE challenge of v.
func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return b64.EncodeToString(sum[:])
}

// authorizeQuery is what the native app sends (spec 2.5.1).
func authorizeQuery(tenant string) url.Values {
	return url.Values{
		"response_type": {"code"}, "client_id": {nativeID}, "redirect_uri": {nativeRedirect},
		"scope": {"openid"}, "state": {"st8te-01"}, "tenant_uuid": {tenant},
		"session": {"no_session"}, "prompt": {"login"},
		"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"},
		"claims": {`{"id_token":{"given_name":null, "leerlingen":null, "orgname": null, ` +
			`"affiliation":{"values":["student","parent/guardian"]} }}`},
	}
}

type resp struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (w *web) do(t *testing.T, method, path string, form url.Values, hdr ...string) resp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = w.ts.URL + path
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := w.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b),
		header: res.Header}
}

// authorize runs GET /oauth2/authorize and the GET of the login page it
// points at, and returns the auth value.
func (w *web) authorize(t *testing.T, q url.Values) string {
	t.Helper()
	a := w.do(t, "GET", authorizeRoute+"?"+q.Encode(), nil)
	if a.status != 302 || !strings.HasPrefix(a.location, w.ts.URL+"/?auth=") {
		t.Fatalf("authorize: %d %q %s", a.status, a.location, a.body)
	}
	page := w.do(t, "GET", a.location, nil)
	if page.status != 200 {
		t.Fatalf("login page: %d %s", page.status, page.body)
	}
	u, _ := url.Parse(a.location)
	return u.Query().Get("auth")
}

// signIn drives the forms as SJS, LUX and QS do (spec 2.5.3): the
// username, then, if the answer points back at a page with auth=, both
// fields to the same form, or else the password form. It returns the last
// Location.
func (w *web) signIn(t *testing.T, auth, user, pw string) string {
	t.Helper()
	origin := []string{"Origin", w.ts.URL}
	first := "/?0-1.-panel-signInForm&auth=" + url.QueryEscape(auth)
	a := w.do(t, "POST", first, url.Values{"loginLink": {"x"}, fieldUsername: {user}},
		origin...)
	if a.status != 302 {
		t.Fatalf("sign-in form: %d %s", a.status, a.body)
	}
	if strings.Contains(a.location, "auth=") {
		b := w.do(t, "POST", first, url.Values{"loginLink": {"x"}, fieldUsername: {user},
			fieldPassword: {pw}}, origin...)
		return b.location
	}
	b := w.do(t, "POST", "/login?2-1.-passwordForm&auth="+url.QueryEscape(auth),
		url.Values{"loginLink": {"x"}, fieldPassword: {pw}}, origin...)
	if b.status != 302 {
		t.Fatalf("password form: %d %s", b.status, b.body)
	}
	return b.location
}

// codeOf reads the code from a redirect to the client, failing unless the
// redirect is one.
func codeOf(t *testing.T, location, prefix string) url.Values {
	t.Helper()
	if !strings.HasPrefix(location, prefix+"?") {
		t.Fatalf("redirect %q, want one to %s", location, prefix)
	}
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func exchangeForm(code, clientID, v string) url.Values {
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {clientID}, "redirect_uri": {nativeRedirect}}
	if v != "" {
		f.Set("code_verifier", v)
	}
	return f
}

func decodeJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, s)
	}
	return m
}
