package auth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/auth"
	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/httpx"
	"github.com/opensom/opensom/internal/rest"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore"
)

// The end-to-end tests run the authorization server with the REST API on
// a real SQLite store behind a listener on 127.0.0.1, as the binary does,
// plus a test client whose redirect URI is a /callback on that same
// server, so that a browser can follow the redirect to the end.

const (
	e2eSchool   = "5a1c7e20-3b4d-4c6e-8f90-1a2b3c4d5e6f"
	e2ePassword = "blue heron 42"
	testClient  = "opensom-browser-test"
	// e2eVerifier is a 64-character PKCE verifier.
	e2eVerifier = "Zq3v8LkR2mX0pT7nW4yB6cD1eF9gH5jK3lM8nP2qR7sT0uV4wX6yZ1aB5cD9eF3g"
)

var e2eNow = time.Date(2024, 3, 6, 12, 0, 0, 0, school.Amsterdam)

// e2eWorld is one invented school with one pupil who can log in.
func e2eWorld(t testing.TB) *school.World {
	hash, err := passwd.Hash(e2ePassword, passwd.Demo)
	if err != nil {
		t.Fatal(err)
	}
	return &school.World{
		Schools: []school.School{
			{ID: 1300000001, UUID: e2eSchool, Name: "Reigersbos College", City: "ZWOLLE",
				Tenant: "reigersbos", Abbrev: "RBC"},
			{ID: 1300000002, UUID: "5a1c7e20-3b4d-4c6e-8f90-1a2b3c4d5e70",
				Name: "Kwartelveld Lyceum", City: "DEVENTER", Tenant: "kwartel", Abbrev: "KVL"},
		},
		Branches: []school.Branch{{ID: 1300000101, SchoolID: 1300000001,
			UUID: "5a1c7e20-3b4d-4c6e-8f90-000000000101", Name: "Reigersbos Hoofdgebouw"}},
		Years: []school.SchoolYear{{ID: 1300000201, SchoolID: 1300000001, Name: "2023/2024",
			From: school.Date(2023, 8, 1), To: school.Date(2024, 7, 31)}},
		Pupils: []school.Pupil{{ID: 1300001001, SchoolID: 1300000001, BranchID: 1300000101,
			UUID: "5a1c7e20-3b4d-4c6e-8f90-000000001001", Number: 71001,
			Name:  school.Name{First: "Isa", Last: "Veldkamp"},
			Email: "71001@leerling.test.example", BirthDate: school.Date(2008, 2, 3),
			Gender: "Vrouw"}},
		Accounts: []school.Account{{ID: 1300003001, SchoolID: 1300000001,
			UUID: "5a1c7e20-3b4d-4c6e-8f90-000000003001", Username: "isa.veldkamp",
			PasswordHash: hash, Role: school.RolePupil, PersonID: 1300001001}},
	}
}

type e2e struct {
	url   string
	codes chan url.Values
}

func startE2E(t *testing.T) *e2e {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := sqlstore.Open(ctx, ":memory:", log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Import(ctx, e2eWorld(t)); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	public := "http://" + ts.Listener.Addr().String()
	now := func() time.Time { return e2eNow }
	as, err := auth.New(ctx, auth.Options{Store: st, Now: now, Log: log, PublicURL: public,
		Clients: append(auth.KnownClients(), auth.Client{ID: testClient,
			RedirectURIs: []string{public + "/callback"}}),
		BurnCost: passwd.Demo})
	if err != nil {
		t.Fatal(err)
	}
	e := &e2e{url: public, codes: make(chan url.Values, 4)}
	mux := http.NewServeMux()
	as.Register(mux)
	rest.New(rest.Options{Store: st, Auth: as, Log: log, Now: now, PublicURL: public}).
		Register(mux)
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) {
		e.codes <- r.URL.Query()
		fmt.Fprint(w, "<!DOCTYPE html><title>callback</title><p id=done>ok</p>")
	})
	ts.Config.Handler = httpx.Wrap(mux, log, now)
	ts.Start()
	t.Cleanup(ts.Close)
	return e
}

func (e *e2e) authorizeURL(tenant string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {testClient},
		"redirect_uri": {e.url + "/callback"}, "scope": {"openid"}, "state": {"e2e-st"},
		"code_challenge": {challenge(e2eVerifier)}, "code_challenge_method": {"S256"}}
	if tenant != "" {
		q.Set("tenant_uuid", tenant)
	}
	return e.url + "/oauth2/authorize?" + q.Encode()
}

// finish exchanges the code and reads /rest/v1/leerlingen with the token.
func (e *e2e) finish(t *testing.T, q url.Values) {
	t.Helper()
	if q.Get("state") != "e2e-st" || q.Get("iss") != e.url {
		t.Errorf("callback query %v", q)
	}
	res, err := http.PostForm(e.url+"/oauth2/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"client_id": {testClient}, "redirect_uri": {e.url + "/callback"},
		"code_verifier": {e2eVerifier}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		APIURL      string `json:"somtoday_api_url"`
	}
	err = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || tok.AccessToken == "" {
		t.Fatalf("code exchange: %d %v", res.StatusCode, err)
	}
	req, _ := http.NewRequest("GET", tok.APIURL+"/rest/v1/leerlingen", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", "application/json")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"roepnaam":"Isa"`) {
		t.Fatalf("leerlingen: %d %s", res.StatusCode, body)
	}
}

// The scraper login of spec 2.5.3 against the real store, with a plain
// HTTP client that keeps cookies and reads no page: it only knows the
// form addresses and field names.
func TestE2EScraperLogin(t *testing.T) {
	e := startE2E(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	step := func(method, target string, form url.Values) *http.Response {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, target, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", e.url)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}

	res := step("GET", e.authorizeURL(e2eSchool), nil)
	loc := res.Header.Get("Location")
	auth := strings.TrimPrefix(loc, e.url+"/?auth=")
	if res.StatusCode != 302 || auth == loc {
		t.Fatalf("authorize: %d %q", res.StatusCode, loc)
	}
	if res = step("GET", loc, nil); res.StatusCode != 200 {
		t.Fatalf("login page: %d", res.StatusCode)
	}
	res = step("POST", e.url+"/?0-1.-panel-signInForm&auth="+auth, url.Values{
		"loginLink": {"x"},
		"usernameFieldPanel:usernameFieldPanel_body:usernameField": {"isa.veldkamp"}})
	if strings.Contains(res.Header.Get("Location"), "auth=") {
		t.Fatalf("a two-page school answered like a one-page one: %q",
			res.Header.Get("Location"))
	}
	res = step("POST", e.url+"/login?2-1.-passwordForm&auth="+auth, url.Values{
		"loginLink": {"x"},
		"passwordFieldPanel:passwordFieldPanel_body:passwordField": {e2ePassword}})
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(u.String(), e.url+"/callback?") {
		t.Fatalf("password form: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	e.finish(t, u.Query())
}
