package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// Invented fixtures: two schools; in school A two pupils, a parent of both
// and a teacher; in school B (password grant off) one pupil.
const (
	uuidA = "6f3e2a10-5b7c-4d21-9e8f-0a1b2c3d4e01"
	uuidB = "6f3e2a10-5b7c-4d21-9e8f-0a1b2c3d4e02"

	pwPupil  = "linden tree 7"
	pwParent = "maple-and-oak"
	pwStaff  = "chalk&board"

	confidentialID     = "lab client:1"
	confidentialSecret = "p+q/r: s"

	publicURL = "http://127.0.0.1:8080"
)

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

// sharedKey is one RSA key for the whole test binary: generating one per
// test would cost more than the tests.
func sharedKey(t testing.TB) *rsa.PrivateKey {
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type rig struct {
	t       testing.TB
	store   *fakeStore
	clock   *clock
	srv     *Server
	mux     *http.ServeMux
	logs    *bytes.Buffer
	burns   int
	checks  int // password and secret verifications
	metrics *countMetrics
}

func newRig(t testing.TB) *rig {
	t.Helper()
	return newRigWith(t, publicURL, nil)
}

// newRigWith builds a rig whose server has the given public URL, after
// edit has changed its options.
func newRigWith(t testing.TB, public string, edit func(*Options)) *rig {
	t.Helper()
	st := newFakeStore()
	seed(t, st)
	clk := &clock{t: time.Date(2024, 3, 4, 9, 0, 0, 0, school.Amsterdam)}
	logs := &bytes.Buffer{}
	secretHash, err := passwd.Hash(confidentialSecret, passwd.Demo)
	if err != nil {
		t.Fatal(err)
	}
	clients := append(KnownClients(), Client{ID: confidentialID, SecretHash: secretHash})
	metrics := &countMetrics{grants: map[string]int{}, failed: map[string]int{}}
	o := Options{
		Metrics:      metrics,
		Store:        st,
		Now:          clk.now,
		Log:          slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PublicURL:    publicURL,
		OOPURL:       "http://127.0.0.1:8081",
		AccessTTL:    time.Hour,
		RefreshTTL:   60 * 24 * time.Hour,
		RefreshGrace: 10 * time.Second,
		MaxAttempts:  5,
		LockFor:      15 * time.Minute,
		Clients:      clients,
		BurnCost:     passwd.Demo,
		Key:          sharedKey(t),
	}
	o.PublicURL = public
	if edit != nil {
		edit(&o)
	}
	srv, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, store: st, clock: clk, srv: srv, mux: http.NewServeMux(), logs: logs,
		metrics: metrics}
	srv.burn = func(pw string, p passwd.Params) {
		r.burns++
		passwd.Burn(pw, p)
	}
	srv.verify = func(hash, pw string) (bool, error) {
		r.checks++
		return passwd.Verify(hash, pw)
	}
	srv.Register(r.mux)
	return r
}

func seed(t testing.TB, st *fakeStore) {
	t.Helper()
	hash := func(pw string) string {
		h, err := passwd.Hash(pw, passwd.Demo)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	st.schools = []school.School{
		{ID: 1000000001, UUID: uuidA, Name: "Lindenhof College", Tenant: "lindenhof",
			Abbrev: "LHC"},
		{ID: 1000000002, UUID: uuidB, Name: "Esdoorn Lyceum", Tenant: "esdoorn",
			Abbrev: "ESL", PasswordGrantOff: true},
	}
	st.pupils = []school.Pupil{
		{ID: 2000000001, SchoolID: 1000000001, UUID: "p-1", Number: 40112,
			Name: school.Name{First: "Tess", Last: "Brink"}},
		{ID: 2000000002, SchoolID: 1000000001, UUID: "p-2", Number: 40113,
			Name: school.Name{First: "Ravi", Last: "Brink"}},
		{ID: 2000000003, SchoolID: 1000000002, UUID: "p-3", Number: 50001,
			Name: school.Name{First: "Noor", Last: "Vos"}},
	}
	st.staff = []school.Staff{
		{ID: 3000000001, SchoolID: 1000000001, UUID: "s-1", Abbrev: "jba",
			Name: school.Name{First: "Jonas", Last: "Bakker"}},
	}
	st.accounts = []school.Account{
		{ID: 4000000001, SchoolID: 1000000001, UUID: "a0000000-0000-4000-8000-000000000001",
			Username: "tess", PasswordHash: hash(pwPupil), Role: school.RolePupil,
			PersonID: 2000000001},
		{ID: 4000000002, SchoolID: 1000000001, UUID: "a0000000-0000-4000-8000-000000000002",
			Username: "mira", PasswordHash: hash(pwParent), Role: school.RoleParent,
			Name:     school.Name{First: "Mira", Last: "Brink"},
			PupilIDs: []school.ID{2000000001, 2000000002}},
		{ID: 4000000003, SchoolID: 1000000001, UUID: "a0000000-0000-4000-8000-000000000003",
			Username: "jonas", PasswordHash: hash(pwStaff), Role: school.RoleStaff,
			PersonID: 3000000001},
		{ID: 4000000004, SchoolID: 1000000002, UUID: "a0000000-0000-4000-8000-000000000004",
			Username: "noor", PasswordHash: hash(pwPupil), Role: school.RolePupil,
			PersonID: 2000000003},
	}
}

// call is one token request.
type call struct {
	method      string
	form        url.Values // sent as the body, or as the query when inQuery
	inQuery     bool
	body        string // raw body, when form is nil
	contentType string // default: the form type when there is a body
	basic       string // raw Authorization header value
}

func (r *rig) do(c call) *httptest.ResponseRecorder {
	r.t.Helper()
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	target := tokenRoute
	body := c.body
	if c.form != nil {
		if c.inQuery {
			target += "?" + c.form.Encode()
		} else {
			body = c.form.Encode()
		}
	}
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	ct := c.contentType
	if ct == "" && body != "" {
		ct = "application/x-www-form-urlencoded"
	}
	if ct != "-" && ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.basic != "" {
		req.Header.Set("Authorization", c.basic)
	}
	rec := httptest.NewRecorder()
	r.mux.ServeHTTP(rec, req)
	return rec
}

func passwordForm(schoolUUID, name, pw string) url.Values {
	return url.Values{
		"grant_type": {"password"},
		"username":   {schoolUUID + `\` + name},
		"password":   {pw},
		"client_id":  {legacyClientID},
		"scope":      {"openid"},
	}
}

func refreshForm(rt, clientID string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
		"client_id": {clientID}}
}

// basicHeader form-encodes id and secret as RFC 6749 2.3.1 asks.
func basicHeader(id, secret string) string {
	return basicRaw(url.QueryEscape(id), url.QueryEscape(secret))
}

func basicRaw(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// login runs a password grant that must succeed.
func (r *rig) login(name, pw string) tokenAnswer {
	r.t.Helper()
	return r.ok(r.do(call{form: passwordForm(uuidA, name, pw)}))
}

func (r *rig) ok(rec *httptest.ResponseRecorder) tokenAnswer {
	r.t.Helper()
	if rec.Code != http.StatusOK {
		r.t.Fatalf("status %d, want 200; body %s", rec.Code, rec.Body)
	}
	var ans tokenAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		r.t.Fatalf("decode answer: %v", err)
	}
	return ans
}

type errBody struct {
	Description string `json:"error_description"`
	Code        string `json:"error"`
}

// refused checks an OAuth2 error answer and returns its body.
func (r *rig) refused(rec *httptest.ResponseRecorder, status int, code string) errBody {
	r.t.Helper()
	if rec.Code != status {
		r.t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	checkTokenHeaders(r.t, rec)
	var e errBody
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		r.t.Fatalf("decode error body %q: %v", rec.Body, err)
	}
	if e.Code != code {
		r.t.Fatalf("error %q (%s), want %q", e.Code, e.Description, code)
	}
	return e
}

func checkTokenHeaders(t testing.TB, rec *httptest.ResponseRecorder) {
	t.Helper()
	for k, want := range map[string]string{
		"Content-Type":  "application/json",
		"Cache-Control": "no-store",
		"Pragma":        "no-cache",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

// authenticate runs Authenticate with an Authorization header (none when
// empty).
func (r *rig) authenticate(header string) (Principal, error) {
	req := httptest.NewRequest(http.MethodGet, "/rest/v1/leerlingen", nil)
	if header != "" {
		req.Header.Set("Authorization", header)
	}
	return r.srv.Authenticate(req)
}

// noSecretsLogged fails when a password or token reached the log.
func (r *rig) noSecretsLogged(secrets ...string) {
	r.t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(r.logs.String(), s) {
			r.t.Errorf("log holds a secret (%.12s...)", s)
		}
	}
}

// post sends a form to another endpoint than the token endpoint.
func (r *rig) post(route string, form url.Values) *httptest.ResponseRecorder {
	return r.postBasic(route, form, "")
}

func (r *rig) postBasic(route string, form url.Values, basic string) *httptest.ResponseRecorder {
	r.t.Helper()
	req := httptest.NewRequest(http.MethodPost, route, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != "" {
		req.Header.Set("Authorization", basic)
	}
	rec := httptest.NewRecorder()
	r.mux.ServeHTTP(rec, req)
	return rec
}
