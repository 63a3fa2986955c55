package opensomtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/opensomtest"
)

// get is what a client under test does: one REST call with its token.
func get(t *testing.T, srv *opensomtest.Server, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// Every role logs in with its demo account and reads the pupils it may:
// a pupil itself, the others at least one.
func TestEveryRoleLogsIn(t *testing.T) {
	srv := opensomtest.New(t)
	roles := []string{opensomtest.RolePupil, opensomtest.RoleParent, opensomtest.RoleStaff,
		opensomtest.RoleAdmin}
	for _, role := range roles {
		t.Run(role, func(t *testing.T) {
			a := srv.Account(t, role)
			tok := srv.Login(t, a)
			if tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpiresIn != 3600 {
				t.Fatalf("tokens %+v", tok)
			}
			resp, body := get(t, srv, "/rest/v1/leerlingen", tok.AccessToken)
			var list struct{ Items []json.RawMessage }
			if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 {
				t.Fatalf("leerlingen: %d %s", resp.StatusCode, body)
			}
			if len(list.Items) != len(a.LeerlingIDs) || len(list.Items) == 0 {
				t.Errorf("%d pupils, want the account's %d", len(list.Items), len(a.LeerlingIDs))
			}
		})
	}
}

// The clock drives token expiry: a token from a frozen instant works until
// its hour has passed on the server's clock.
func TestClockExpiresTokens(t *testing.T) {
	start := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	srv := opensomtest.New(t, opensomtest.WithFrozenClock(start))
	if now := srv.Now(t); !now.Equal(start) {
		t.Fatalf("server time %v, want %v", now, start)
	}
	tok := srv.Login(t, srv.Account(t, opensomtest.RolePupil))

	steps := []struct {
		name    string
		advance time.Duration
		want    int
	}{
		{"fresh", 0, 200},
		{"59 minutes on", 59 * time.Minute, 200},
		{"past the hour", 2 * time.Minute, 401},
	}
	for _, s := range steps {
		srv.Advance(t, s.advance)
		resp, body := get(t, srv, "/rest/v1/account/me", tok.AccessToken)
		if resp.StatusCode != s.want {
			t.Fatalf("%s: %d %s, want %d", s.name, resp.StatusCode, body, s.want)
		}
		if s.want == 401 && !strings.Contains(resp.Header.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("%s: WWW-Authenticate %q", s.name, resp.Header.Get("WWW-Authenticate"))
		}
	}
	srv.Freeze(t, start.Add(30*time.Minute))
	if resp, body := get(t, srv, "/rest/v1/account/me", tok.AccessToken); resp.StatusCode != 200 {
		t.Fatalf("back within the hour: %d %s", resp.StatusCode, body)
	}
}

// Faults act on their route, as often as asked, and the journal shows
// what the client did and what it met.
func TestFaultsAndJournal(t *testing.T) {
	srv := opensomtest.New(t)
	tok := srv.Login(t, srv.Account(t, opensomtest.RolePupil))
	srv.ClearJournal(t)

	down := srv.AddFault(t, opensomtest.Fault{Route: "/rest/v1/leerlingen", Kind: "status",
		Status: 503, Count: 1})
	slow := srv.AddFault(t, opensomtest.Fault{Route: "/rest/v1/account/*", Kind: "rate_limit",
		RetryAfter: 7})
	if down.ID == "" || slow.ID == "" || down.ID == slow.ID {
		t.Fatalf("fault ids %q and %q", down.ID, slow.ID)
	}

	for i, want := range []int{503, 200} {
		if resp, body := get(t, srv, "/rest/v1/leerlingen", tok.AccessToken); resp.StatusCode != want {
			t.Fatalf("leerlingen, call %d: %d %s, want %d", i+1, resp.StatusCode, body, want)
		}
	}
	resp, _ := get(t, srv, "/rest/v1/account/me", tok.AccessToken)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Fatalf("account/me: %d, Retry-After %q; want 429, 7", resp.StatusCode,
			resp.Header.Get("Retry-After"))
	}
	applied := map[string]int{}
	for _, f := range srv.Faults(t) {
		applied[f.ID] = f.Applied
	}
	if applied[down.ID] != 1 || applied[slow.ID] != 1 {
		t.Errorf("applied %v, want 1 each", applied)
	}

	srv.RemoveFault(t, slow.ID)
	if resp, _ := get(t, srv, "/rest/v1/account/me", tok.AccessToken); resp.StatusCode != 200 {
		t.Fatalf("account/me after RemoveFault: %d", resp.StatusCode)
	}
	srv.AddFault(t, opensomtest.Fault{Route: "/*", Kind: "status", Status: 500})
	srv.ClearFaults(t)
	if n := len(srv.Faults(t)); n != 0 {
		t.Fatalf("%d faults after ClearFaults", n)
	}

	var got []string
	for _, e := range srv.Journal(t, "/rest/v1/") {
		got = append(got, e.Path+" "+http.StatusText(e.Status)+" "+strings.Join(e.Faults, ","))
		if e.ClientID != opensomtest.LegacyClientID {
			t.Errorf("%s: client %q", e.Path, e.ClientID)
		}
	}
	want := []string{
		"/rest/v1/leerlingen Service Unavailable status",
		"/rest/v1/leerlingen OK ",
		"/rest/v1/account/me Too Many Requests rate_limit",
		"/rest/v1/account/me OK ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("journal:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Reset between tests: a locked-out account and old tokens are gone, and
// the demo accounts log in again.
func TestReset(t *testing.T) {
	srv := opensomtest.New(t)
	a := srv.Account(t, opensomtest.RolePupil)
	tok := srv.Login(t, a)
	for range 5 {
		resp, err := srv.Client().PostForm(srv.URL+"/oauth2/token", url.Values{
			"grant_type": {"password"}, "client_id": {opensomtest.LegacyClientID},
			"username": {a.TenantUUID + `\` + a.Username}, "password": {"wrong"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := srv.Client().PostForm(srv.URL+"/oauth2/token", url.Values{
		"grant_type": {"password"}, "client_id": {opensomtest.LegacyClientID},
		"username": {a.TenantUUID + `\` + a.Username}, "password": {*a.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 {
		t.Fatal("the right password worked during the lockout")
	}

	srv.Reset(t)
	if resp, _ := get(t, srv, "/rest/v1/account/me", tok.AccessToken); resp.StatusCode != 401 {
		t.Errorf("a token from before the reset: %d, want 401", resp.StatusCode)
	}
	fresh := srv.Login(t, a) // fails the test if the lockout survived
	if resp, body := get(t, srv, "/rest/v1/account/me", fresh.AccessToken); resp.StatusCode != 200 {
		t.Fatalf("after reset: %d %s", resp.StatusCode, body)
	}
}

// Two servers in one test are two separate schools systems: what one
// does, the other does not see.
func TestServersAreIndependent(t *testing.T) {
	a, b := opensomtest.New(t), opensomtest.New(t)
	if a.URL == b.URL || a.AdminToken == b.AdminToken {
		t.Fatal("two servers share a URL or an admin token")
	}
	tok := a.Login(t, a.Account(t, opensomtest.RolePupil))
	if resp, _ := get(t, b, "/rest/v1/account/me", tok.AccessToken); resp.StatusCode != 401 {
		t.Errorf("a token of server A on server B: %d, want 401", resp.StatusCode)
	}
	if n := len(b.Journal(t, "/oauth2/")); n != 0 {
		t.Errorf("server B's journal has %d token requests made on A", n)
	}
}

// A world file's accounts log in, and its pupil reads itself.
func TestWorldFile(t *testing.T) {
	srv := opensomtest.New(t, opensomtest.WithWorldFile("../examples/minimal.yaml"))
	accs := srv.Accounts(t)
	if len(accs) != 1 || accs[0].Password == nil || *accs[0].Password != "appel-peer-12" {
		t.Fatalf("accounts %+v, want the file's one pupil", accs)
	}
	tok := srv.Login(t, accs[0])
	resp, body := get(t, srv, "/rest/v1/leerlingen", tok.AccessToken)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"roepnaam":"Emma"`) {
		t.Fatalf("leerlingen: %d %s", resp.StatusCode, body)
	}
	srv.Reset(t) // reads the file again
	srv.Login(t, accs[0])
}

// gradeTotal is the pupil's number of grades, from Content-Range.
func gradeTotal(t *testing.T, srv *opensomtest.Server, pupil int64, token string) string {
	t.Helper()
	resp, body := get(t, srv, fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", pupil),
		token)
	cr := resp.Header.Get("Content-Range")
	if resp.StatusCode != 200 || cr == "" {
		t.Fatalf("grades: %d %q %s", resp.StatusCode, cr, body)
	}
	return cr[strings.LastIndex(cr, "/")+1:]
}

// A grade entered and a lesson cancelled show in the REST API at once; a
// snapshot taken before brings the world back without a new login.
func TestDayChangesAndSnapshots(t *testing.T) {
	day := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC) // a Tuesday out of the holidays
	srv := opensomtest.New(t, opensomtest.WithFrozenClock(day))
	a := srv.Account(t, opensomtest.RolePupil)
	pupil := a.LeerlingIDs[0]
	tok := srv.Login(t, a).AccessToken

	resp, body := get(t, srv, "/rest/v1/afspraken?additional=vak&begindatum=2025-03-04&einddatum=2025-03-04",
		tok)
	var lessons struct {
		Items []struct {
			Links []struct{ ID int64 }
			Extra struct {
				Vak struct {
					Links []struct{ ID int64 }
				} `json:"vak"`
			} `json:"additionalObjects"`
		}
	}
	if err := json.Unmarshal(body, &lessons); err != nil || resp.StatusCode != 200 ||
		len(lessons.Items) == 0 {
		t.Fatalf("afspraken: %d %s", resp.StatusCode, body)
	}
	lesson := lessons.Items[0].Links[0].ID
	subject := lessons.Items[0].Extra.Vak.Links[0].ID

	srv.Snapshot(t, "before")
	before := gradeTotal(t, srv, int64(pupil), tok)
	id := srv.EnterGrade(t, int64(pupil), subject, "5,5")
	if id == 0 {
		t.Fatal("EnterGrade gave no id")
	}
	after := gradeTotal(t, srv, int64(pupil), tok)
	if before == after {
		t.Fatalf("grade total %s before and after a new grade", before)
	}
	srv.CancelLesson(t, lesson)
	_, body = get(t, srv, fmt.Sprintf("/rest/v1/afspraken/%d", lesson), tok)
	if !strings.Contains(string(body), "VERVALLEN") {
		t.Fatalf("cancelled lesson: %s", body)
	}

	srv.Restore(t, "before")
	if got := gradeTotal(t, srv, int64(pupil), tok); got != before {
		t.Errorf("grade total after restore %s, want %s", got, before)
	}
	_, body = get(t, srv, fmt.Sprintf("/rest/v1/afspraken/%d", lesson), tok)
	if strings.Contains(string(body), "VERVALLEN") {
		t.Errorf("lesson still cancelled after restore: %s", body)
	}
	srv.Snapshot(t, "before") // saving a name again replaces it
}
