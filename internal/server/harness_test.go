package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/server"
	"github.com/opensom/opensom/internal/store/sqlstore"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

// legacyClient is the client id of the password-grant clients.
const legacyClient = "D50E0C06-32D1-4B41-A137-A9A850C892C2"

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

// signingKey is one RSA key for all test servers: generating one per test
// would cost more than the tests.
func signingKey(t testing.TB) *rsa.PrivateKey {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

// clock is a settable clock shared by the server and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one running opensom on a fresh store.
type env struct {
	url     string
	handler http.Handler
	clock   *clock
	store   school.Store
}

// start runs opensom on w with the clock at now; tune may change the
// configuration first.
func start(t testing.TB, w *school.World, now time.Time, tune ...func(*config.Config)) *env {
	t.Helper()
	st := openStore(t)
	if err := st.Import(context.Background(), w); err != nil {
		t.Fatalf("import: %v", err)
	}
	return startOn(t, st, now, tune...)
}

// testLog shows server errors in the test's output; client mistakes stay
// quiet.
func testLog(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// openStore opens a new, empty store: SQLite in memory, or a database of
// its own on the PostgreSQL server of OPENSOM_TEST_POSTGRES (see
// sqltest). CI runs this suite on both.
func openStore(t testing.TB) *sqlstore.Store {
	return sqltest.Open(t, testLog(t))
}

// startOn runs opensom on a store the test has filled.
func startOn(t testing.TB, st school.Store, now time.Time, tune ...func(*config.Config)) *env {
	t.Helper()
	ctx := context.Background()
	log := testLog(t)
	clk := &clock{t: now}
	cfg := config.Default()
	srv := httptest.NewUnstartedServer(nil)
	cfg.PublicURL = "http://" + srv.Listener.Addr().String()
	for _, f := range tune {
		f(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	h, err := server.Handler(ctx, server.Options{Config: cfg, Store: st, Log: log,
		Now: clk.Now, Key: signingKey(t), PasswordCost: passwd.Demo})
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &env{url: srv.URL, handler: h, clock: clk, store: st}
}

// tokenAnswer is the token endpoint's success body.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
	APIURL       string `json:"somtoday_api_url"`
}

// post sends a form to the token endpoint and returns status and body.
func (e *env) post(t testing.TB, form url.Values) (int, []byte) {
	t.Helper()
	resp, err := http.Post(e.url+"/oauth2/token", "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// login runs the password grant and fails the test unless it works.
func (e *env) login(t testing.TB, tenant, user, pw string) tokenAnswer {
	t.Helper()
	code, body := e.post(t, url.Values{"grant_type": {"password"}, "scope": {"openid"},
		"username": {tenant + `\` + user}, "password": {pw}, "client_id": {legacyClient}})
	if code != 200 {
		t.Fatalf("login %s: %d %s", user, code, body)
	}
	var ta tokenAnswer
	if err := json.Unmarshal(body, &ta); err != nil {
		t.Fatal(err)
	}
	return ta
}

func (e *env) refresh(t testing.TB, rt string) (int, tokenAnswer, []byte) {
	t.Helper()
	code, body := e.post(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
		"client_id": {legacyClient}})
	var ta tokenAnswer
	if code == 200 {
		if err := json.Unmarshal(body, &ta); err != nil {
			t.Fatal(err)
		}
	}
	return code, ta, body
}

// get calls the REST API with a bearer token and Accept: application/json
// unless headers say otherwise ("Accept", "" removes it).
func (e *env) get(t testing.TB, path, token string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", e.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// getJSON calls get, wants 200 and decodes the body.
func (e *env) getJSON(t testing.TB, path, token string, headers ...string) (*http.Response, map[string]any) {
	t.Helper()
	resp, b := e.get(t, path, token, headers...)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("GET %s: body is not a JSON object: %v: %s", path, err, b)
	}
	return resp, m
}

func items(t testing.TB, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["items"].([]any)
	if !ok {
		t.Fatalf("no items array in %v", m)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

// selfID is the id of an entity's first link.
func selfID(t testing.TB, m map[string]any) int64 {
	t.Helper()
	links, ok := m["links"].([]any)
	if !ok || len(links) == 0 {
		t.Fatalf("no links in %v", m)
	}
	id, ok := links[0].(map[string]any)["id"].(float64)
	if !ok {
		t.Fatalf("link id is not a number: %v", links[0])
	}
	return int64(id)
}
