package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
)

// adminToken opens the admin API of the servers that withAdmin starts.
const adminToken = "Test-Admin-Token-7"

func withAdmin(c *config.Config) { c.AdminToken = adminToken }

// admin calls the admin API with the admin token, wants status and
// decodes the answer into out (unless nil).
func (e *env) admin(t testing.TB, method, path, body string, status int, out any) {
	t.Helper()
	resp, b := e.do(t, method, path, adminToken, body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s %s: %d %s, want %d", method, path, body, resp.StatusCode, b, status)
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, b)
	}
}

// journalEntry is one entry of GET /_opensom/journal.
type journalEntry struct {
	Time     time.Time
	Method   string
	Path     string
	Query    string
	Status   int
	ClientID string `json:"client_id"`
	Faults   []string
}

func (e *env) journal(t testing.TB, query string) []journalEntry {
	t.Helper()
	var out struct{ Entries []journalEntry }
	e.admin(t, "GET", "/_opensom/journal"+query, "", 200, &out)
	return out.Entries
}

// Without --admin-token every /_opensom/ path is a 404, whatever is sent,
// and the rest of the API works as ever: the clock the closed admin was
// asked to move has not moved.
func TestAdminClosed(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	calls := []struct{ method, path, body string }{
		{"GET", "/_opensom", ""},
		{"GET", "/_opensom/clock", ""},
		{"PUT", "/_opensom/clock", `{"mode":"offset","offset":"240h"}`},
		{"POST", "/_opensom/faults", `{"route":"/*","kind":"drop"}`},
		{"GET", "/_opensom/faults", ""},
		{"GET", "/_opensom/journal", ""},
		{"POST", "/_opensom/reset", ""},
		{"GET", "/_opensom/accounts", ""},
	}
	for _, c := range calls {
		for _, auth := range []struct{ name, token string }{
			{"no token", ""}, {"a would-be admin token", adminToken}, {"a user token", tok}} {
			t.Run(c.method+" "+c.path+" "+auth.name, func(t *testing.T) {
				resp, b := e.do(t, c.method, c.path, auth.token, c.body)
				if resp.StatusCode != 404 {
					t.Fatalf("%d %s, want 404", resp.StatusCode, b)
				}
			})
		}
	}
	t.Run("API untouched", func(t *testing.T) {
		if resp, b := e.get(t, "/rest/v1/account", tok); resp.StatusCode != 200 {
			t.Fatalf("the API after the admin calls: %d %s", resp.StatusCode, b)
		}
		e.login(t, uuidA, "s2", password)
	})
}

// With --admin-token the admin API answers that token only, exactly; a
// user's own access token is no admin token.
func TestAdminToken(t *testing.T) {
	e := start(t, fixture(t), fixtureNow, withAdmin)
	user := e.login(t, uuidA, "s1", password).AccessToken
	tests := []struct {
		name, token string
		want        int
	}{
		{"none", "", 401},
		{"wrong", "wrong", 401},
		{"other case", strings.ToLower(adminToken), 401},
		{"a user's access token", user, 401},
		{"right", adminToken, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := e.do(t, "GET", "/_opensom/clock", tc.token, "")
			if resp.StatusCode != tc.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.want)
			}
			if www := resp.Header.Get("WWW-Authenticate"); (www != "") != (tc.want == 401) ||
				(tc.want == 401 && !strings.HasPrefix(www, "Bearer")) {
				t.Fatalf("WWW-Authenticate %q with %d", www, resp.StatusCode)
			}
		})
	}
}

// The admin clock is the clock token expiry reads: moved past the access
// token's lifetime the token is refused, moved back it works again.
func TestAdminClockExpiresTokens(t *testing.T) {
	e := start(t, fixture(t), fixtureNow, withAdmin)
	ttl := config.Default().AccessTTL
	tok := e.login(t, uuidA, "s1", password).AccessToken
	frozen := func(d time.Duration) string {
		return `{"mode":"frozen","at":"` + fixtureNow.Add(d).Format(time.RFC3339) + `"}`
	}
	steps := []struct {
		name, clock string
		want        int
	}{
		{"real", `{"mode":"real"}`, 200},
		{"offset within the lifetime", fmt.Sprintf(`{"mode":"offset","offset":%q}`, ttl-time.Minute), 200},
		{"offset past the lifetime", fmt.Sprintf(`{"mode":"offset","offset":%q}`, ttl+time.Minute), 401},
		{"back to real", `{"mode":"real"}`, 200},
		{"frozen past the lifetime", frozen(2 * ttl), 401},
		{"frozen within the lifetime", frozen(ttl / 2), 200},
		{"real again", `{"mode":"real"}`, 200},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.admin(t, "PUT", "/_opensom/clock", s.clock, 200, nil)
			resp, b := e.get(t, "/rest/v1/account", tok)
			if resp.StatusCode != s.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, s.want)
			}
			www := resp.Header.Get("WWW-Authenticate")
			if s.want == 401 && www != `Bearer error="invalid_token"` {
				t.Fatalf("WWW-Authenticate %q, want Bearer error=\"invalid_token\"", www)
			}
		})
	}
}

// Each kind of fault as a client on the wire sees it, on the real API.
func TestAdminFaultKinds(t *testing.T) {
	e := start(t, fixture(t), fixtureNow, withAdmin)
	loginForm := url.Values{"grant_type": {"password"}, "scope": {"openid"},
		"username": {uuidA + `\s1`}, "password": {password}, "client_id": {legacyClient}}
	fault := func(t *testing.T, body string) {
		t.Helper()
		e.admin(t, "DELETE", "/_opensom/faults", "", 204, nil)
		t.Cleanup(func() { e.admin(t, "DELETE", "/_opensom/faults", "", 204, nil) })
		e.admin(t, "POST", "/_opensom/faults", body, 201, nil)
	}

	t.Run("latency", func(t *testing.T) {
		tok := e.login(t, uuidA, "s1", password).AccessToken
		fault(t, `{"route":"/rest/v1/account","kind":"latency","latency":"50ms"}`)
		begin := time.Now()
		resp, b := e.get(t, "/rest/v1/account", tok)
		// A lower bound only: a busy machine may take longer.
		if took := time.Since(begin); took < 50*time.Millisecond {
			t.Fatalf("answered in %v, want at least 50ms", took)
		}
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s: a latency fault answers as normal", resp.StatusCode, b)
		}
	})

	t.Run("status on the token endpoint", func(t *testing.T) {
		fault(t, `{"route":"/oauth2/token","method":"POST","kind":"status","status":503,"count":1}`)
		code, b := e.post(t, loginForm)
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil || code != 503 ||
			m["error"] != "temporarily_unavailable" || m["error_description"] == "" {
			t.Fatalf("%d %s, want 503 and an RFC 6749 error", code, b)
		}
		if code, b := e.post(t, loginForm); code != 200 {
			t.Fatalf("after its one time: %d %s", code, b)
		}
	})

	t.Run("status on the REST API", func(t *testing.T) {
		tok := e.login(t, uuidA, "s1", password).AccessToken
		fault(t, `{"route":"/rest/v1/*","kind":"status","status":500}`)
		resp, b := e.get(t, "/rest/v1/leerlingen", tok)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || resp.StatusCode != 500 ||
			m["code"] != 500.0 || m["reason"] != "Internal Server Error" || m["message"] == "" {
			t.Fatalf("%d %s, want 500 and a REST error body", resp.StatusCode, b)
		}
		if code, b := e.post(t, loginForm); code != 200 {
			t.Fatalf("the token endpoint is not under /rest/v1/*: %d %s", code, b)
		}
	})

	t.Run("rate limit", func(t *testing.T) {
		tok := e.login(t, uuidA, "s1", password).AccessToken
		fault(t, `{"route":"/rest/v1/account","method":"GET","kind":"rate_limit","retry_after":30}`)
		resp, b := e.get(t, "/rest/v1/account", tok)
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "30" {
			t.Fatalf("%d Retry-After %q %s, want 429 and 30", resp.StatusCode,
				resp.Header.Get("Retry-After"), b)
		}
	})

	t.Run("revoke through the bearer token", func(t *testing.T) {
		victim := e.login(t, uuidA, "s1", password)
		other := e.login(t, uuidA, "s1", password)
		fault(t, `{"route":"/rest/v1/account","kind":"revoke","count":1}`)
		if resp, b := e.get(t, "/rest/v1/account", victim.AccessToken); resp.StatusCode != 200 {
			t.Fatalf("the request the fault acts on: %d %s, want it served as usual",
				resp.StatusCode, b)
		}
		resp, _ := e.get(t, "/rest/v1/account", victim.AccessToken)
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
			t.Fatalf("the revoked family's token: %d %q, want 401 invalid_token", resp.StatusCode,
				resp.Header.Get("WWW-Authenticate"))
		}
		if code, _, b := e.refresh(t, victim.RefreshToken); code == 200 {
			t.Fatalf("the revoked family's refresh token still works: %s", b)
		}
		if resp, b := e.get(t, "/rest/v1/account", other.AccessToken); resp.StatusCode != 200 {
			t.Fatalf("another family was revoked too: %d %s", resp.StatusCode, b)
		}
	})

	t.Run("revoke through the refresh token", func(t *testing.T) {
		victim := e.login(t, uuidA, "s1", password)
		fault(t, `{"route":"/oauth2/token","kind":"revoke","count":1}`)
		code, fresh, b := e.refresh(t, victim.RefreshToken)
		if code != 200 {
			t.Fatalf("the refresh the fault acts on: %d %s, want it served as usual", code, b)
		}
		for _, tok := range []string{victim.AccessToken, fresh.AccessToken} {
			if resp, _ := e.get(t, "/rest/v1/account", tok); resp.StatusCode != 401 {
				t.Fatalf("the revoked family's access token: %d, want 401", resp.StatusCode)
			}
		}
		if code, _, b := e.refresh(t, fresh.RefreshToken); code == 200 {
			t.Fatalf("a refresh of the revoked family worked: %s", b)
		}
	})

	t.Run("drop", func(t *testing.T) {
		fault(t, `{"route":"/oauth2/token","kind":"drop","count":1}`)
		// A connection of its own, so that the client does not retry.
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.PostForm(e.url+"/oauth2/token", loginForm)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%d, want a connection error", resp.StatusCode)
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("error %v, want EOF", err)
		}
		got := e.journal(t, "?path=/oauth2/token")
		if last := got[len(got)-1]; last.Status != 0 || len(last.Faults) != 1 || last.Faults[0] != "drop" {
			t.Fatalf("journal %+v, want the dropped request with status 0", last)
		}
	})
}

// The journal on the real API: the client of each request, from its
// form, its bearer token or its Basic user; secrets left out of queries;
// the admin's own calls left out.
func TestAdminJournal(t *testing.T) {
	e := start(t, fixture(t), fixtureNow, withAdmin)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	e.get(t, "/rest/v1/account?access_token="+tok+"&x=1", tok)
	req, _ := http.NewRequest("POST", e.url+"/oauth2/token",
		strings.NewReader("grant_type=refresh_token&refresh_token=nope"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("somtoday-leerling-web", "no-secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	e.get(t, "/rest/v1/account", "")
	e.admin(t, "GET", "/_opensom/accounts", "", 200, nil)

	want := []journalEntry{
		{Method: "POST", Path: "/oauth2/token", Status: 200, ClientID: legacyClient},
		{Method: "GET", Path: "/rest/v1/account", Query: "access_token=&x=1", Status: 200,
			ClientID: legacyClient},
		{Method: "POST", Path: "/oauth2/token", Status: resp.StatusCode, ClientID: "somtoday-leerling-web"},
		{Method: "GET", Path: "/rest/v1/account", Status: 401},
	}
	got := e.journal(t, "")
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Method != w.Method || g.Path != w.Path || g.Query != w.Query || g.Status != w.Status ||
			g.ClientID != w.ClientID || !g.Time.Equal(fixtureNow) {
			t.Errorf("entry %d: %+v, want %+v at %v", i, g, w, fixtureNow)
		}
	}
	if resp.StatusCode == 200 {
		t.Fatal("a made-up refresh token was accepted")
	}
}

// A reset brings back the demo world as it was made: a conversation
// marked read is unread again, old tokens are gone, and the accounts
// listed log in with the passwords listed.
func TestAdminReset(t *testing.T) {
	w, err := demo.Generate(demo.Options{Seed: config.DefaultSeed, Now: demoNow})
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, w, demoNow, withAdmin)

	var accounts []struct {
		TenantUUID  string      `json:"tenant_uuid"`
		Username    string      `json:"username"`
		Password    *string     `json:"password"`
		Role        school.Role `json:"role"`
		LeerlingIDs []school.ID `json:"leerling_ids"`
	}
	e.admin(t, "GET", "/_opensom/accounts", "", 200, &accounts)
	if len(accounts) != len(w.Accounts) {
		t.Fatalf("%d accounts listed, the world has %d", len(accounts), len(w.Accounts))
	}
	conv := w.Conversations[0]
	var pupil school.Account
	for _, a := range w.Accounts {
		if a.Role == school.RolePupil && slices.Contains(conv.Recipients, a.ID) {
			pupil = a
		}
	}
	var tenant, pw string
	for _, a := range accounts {
		if a.Username != pupil.Username {
			continue
		}
		if a.Password == nil || *a.Password != pupil.DemoPassword || a.Role != school.RolePupil ||
			!slices.Contains(a.LeerlingIDs, pupil.PersonID) {
			t.Fatalf("account %+v, want the pupil %s with its password and itself", a, pupil.Username)
		}
		tenant, pw = a.TenantUUID, *a.Password
	}
	if tenant == "" {
		t.Fatalf("the pupil %q of the first conversation is not listed", pupil.Username)
	}

	read := func(tok string) any {
		t.Helper()
		_, m := e.getJSON(t, "/rest/v1/boodschappen/conversaties", tok)
		for _, c := range items(t, m) {
			if selfID(t, c) == int64(conv.ID) {
				return c["boodschappen"].([]any)[0].(map[string]any)["gelezen"]
			}
		}
		t.Fatalf("conversation %d not listed", conv.ID)
		return nil
	}
	tok := e.login(t, tenant, pupil.Username, pw).AccessToken
	if read(tok) != false {
		t.Fatal("the demo conversation starts read")
	}
	path := fmt.Sprintf("/rest/v1/boodschappen/conversatie/%d/markeerGelezen", conv.ID)
	if resp, b := e.do(t, "POST", path, tok, ""); resp.StatusCode != 204 || read(tok) != true {
		t.Fatalf("markeerGelezen: %d %s", resp.StatusCode, b)
	}

	var counts map[string]int
	e.admin(t, "POST", "/_opensom/reset", "", 200, &counts)
	if counts["schools"] != len(w.Schools) || counts["pupils"] != len(w.Pupils) ||
		counts["accounts"] != len(w.Accounts) {
		t.Fatalf("reset answered %v, the world has %d schools, %d pupils, %d accounts",
			counts, len(w.Schools), len(w.Pupils), len(w.Accounts))
	}
	if resp, _ := e.get(t, "/rest/v1/account", tok); resp.StatusCode != 401 {
		t.Fatalf("a token from before the reset: %d, want 401", resp.StatusCode)
	}
	if read(e.login(t, tenant, pupil.Username, pw).AccessToken) != false {
		t.Fatal("after the reset the conversation is still read")
	}
}
