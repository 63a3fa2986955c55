package admin_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/clock"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

// Each request is recorded with what it was, what it was answered, and
// the client that sent it, whichever way the client said so.
func TestJournalEntry(t *testing.T) {
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		client                   string
	}{
		{"plain", "GET", "/rest/v1/x", "", nil, 200, ""},
		{"status of the API", "GET", "/rest/v1/x?want=404", "", nil, 404, ""},
		{"bearer", "GET", "/rest/v1/x", "", []string{"Authorization", "Bearer tok:bearer-app:fam1"},
			200, "bearer-app"},
		{"invalid bearer", "GET", "/rest/v1/x", "", []string{"Authorization", "Bearer junk"}, 200, ""},
		{"form", "POST", "/oauth2/token", "grant_type=password&client_id=form-app",
			[]string{"Content-Type", form}, 200, "form-app"},
		{"form, not urlencoded", "POST", "/oauth2/token", "client_id=form-app",
			[]string{"Content-Type", "text/plain"}, 200, ""},
		{"basic", "POST", "/oauth2/token", "grant_type=refresh_token",
			[]string{"Content-Type", form, "Authorization", basic("basic%3Aapp", "pw")}, 200, "basic:app"},
		{"bearer before form", "POST", "/oauth2/token", "client_id=form-app",
			[]string{"Content-Type", form, "Authorization", "Bearer tok:bearer-app:fam1"}, 200, "bearer-app"},
		{"form before basic", "POST", "/oauth2/token", "client_id=form-app",
			[]string{"Content-Type", form, "Authorization", basic("basic-app", "pw")}, 200, "form-app"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t)
			at := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
			if err := rg.clock.Set(clock.State{Mode: clock.Frozen, At: at}); err != nil {
				t.Fatal(err)
			}
			resp, b := rg.send(t, tc.method, tc.path, tc.body, tc.headers...)
			if want := "api " + tc.method + " " + strings.Split(tc.path, "?")[0]; string(b) != want {
				t.Fatalf("the API answered %q, want %q", b, want)
			}
			entries := rg.journal(t, "")
			if len(entries) != 1 {
				t.Fatalf("%d entries, want 1: %+v", len(entries), entries)
			}
			e := entries[0]
			path, query, _ := strings.Cut(tc.path, "?")
			if e.Method != tc.method || e.Path != path || e.Query != query ||
				e.Status != tc.status || e.Status != resp.StatusCode || e.ClientID != tc.client {
				t.Fatalf("entry %+v, want %s %s ?%s %d client %q", e, tc.method, path, query,
					tc.status, tc.client)
			}
			if !e.Time.Equal(at) || e.DurationMS < 0 || e.Seq <= 0 || len(e.Faults) != 0 {
				t.Fatalf("entry %+v: want the sandbox time %v, a duration, a seq, no faults", e, at)
			}
		})
	}
}

// The journal reads a token request's form ahead of the API, for its
// client_id; the API still reads the body as it was sent, small or big.
func TestJournalLeavesTheBodyAlone(t *testing.T) {
	tests := []struct{ name, body string }{
		{"small form", "grant_type=password&client_id=app&password=x%26y"},
		{"form over the peek limit", "client_id=app&pad=" + strings.Repeat("a", 70<<10)},
		{"empty", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := &source{t: base}
			a, err := admin.New(admin.Options{Token: adminToken, Clock: clock.New(src.now),
				Store: sqltest.Open(t, nil), World: func() (*school.World, error) { return nil, nil }})
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			srv := httptest.NewServer(a.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = io.ReadAll(r.Body)
			})))
			defer srv.Close()
			resp, err := http.Post(srv.URL+"/oauth2/token", "application/x-www-form-urlencoded",
				strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if string(got) != tc.body {
				t.Fatalf("the API read %d bytes, want the %d sent", len(got), len(tc.body))
			}
		})
	}
}

func basic(user, pw string) string {
	req, _ := http.NewRequest("GET", "/", nil)
	req.SetBasicAuth(user, pw)
	return req.Header.Get("Authorization")
}

// Query values that may be secrets never reach the journal; the keys do,
// so a test can still see that they were sent.
func TestJournalRedactsQuery(t *testing.T) {
	tests := []struct{ name, query, want string }{
		{"code", "code=SECRETV&state=s1", "code=&state=s1"},
		{"refresh token", "refresh_token=SECRETV&x=1", "refresh_token=&x=1"},
		{"access token", "access_token=SECRETV", "access_token="},
		{"id token hint", "id_token_hint=SECRETV", "id_token_hint="},
		{"password", "username=u&password=SECRETV", "username=u&password="},
		{"client secret", "client_secret=SECRETV", "client_secret="},
		{"code verifier", "code_verifier=SECRETV", "code_verifier="},
		{"nonce", "nonce=SECRETV", "nonce="},
		{"key and sig", "key=SECRETV&sig=SECRETV", "key=&sig="},
		{"any case", "Refresh_Token=SECRETV&CODE=SECRETV", "Refresh_Token=&CODE="},
		{"escaped key", "pass%77ord=SECRETV&co%64e=SECRETV", "pass%77ord=&co%64e="},
		{"plus in key", "refresh+token=SECRETV", "refresh+token="},
		{"twice", "code=SECRETV&code=SECRETV", "code=&code="},
		{"no value", "code&state=s", "code=&state=s"},
		{"secret-looking value kept", "q=code&scope=refresh_token", "q=code&scope=refresh_token"},
		{"order kept", "b=2&a=1&c=3", "b=2&a=1&c=3"},
		{"escapes kept", "q=a%20b&r=%2F", "q=a%20b&r=%2F"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t)
			rg.hit(t, "GET", "/oauth2/authorize?"+tc.query)
			entries := rg.journal(t, "")
			if len(entries) != 1 || entries[0].Query != tc.want {
				t.Fatalf("entries %+v, want query %q", entries, tc.want)
			}
			_, b := rg.admin(t, "GET", "/_opensom/journal", "")
			if strings.Contains(string(b), "SECRETV") {
				t.Fatalf("a secret reached the journal: %s", b)
			}
		})
	}
}

// since and path narrow the journal; DELETE empties it; the admin API's
// own calls are never in it.
func TestJournalFilters(t *testing.T) {
	rg := newRig(t)
	t1 := time.Date(2024, 2, 3, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	rg.adminJSON(t, "PUT", "/_opensom/clock", `{"mode":"frozen","at":"`+t1.Format(time.RFC3339)+`"}`,
		200, nil)
	rg.hit(t, "GET", "/rest/v1/a")
	rg.hit(t, "GET", "/oauth2/token")
	rg.adminJSON(t, "PUT", "/_opensom/clock", `{"mode":"frozen","at":"`+t2.Format(time.RFC3339)+`"}`,
		200, nil)
	rg.hit(t, "GET", "/rest/v1/b")
	rg.admin(t, "GET", "/_opensom/accounts", "")
	rg.admin(t, "GET", "/_opensom/nothing", "")

	paths := func(es []admin.Entry) string {
		var ps []string
		for _, e := range es {
			ps = append(ps, e.Path)
		}
		return strings.Join(ps, " ")
	}
	tests := []struct{ name, query, want string }{
		{"all, admin calls left out", "", "/rest/v1/a /oauth2/token /rest/v1/b"},
		{"since the first", "?since=" + t1.Format(time.RFC3339), "/rest/v1/a /oauth2/token /rest/v1/b"},
		{"since between", "?since=" + t1.Add(time.Minute).Format(time.RFC3339), "/rest/v1/b"},
		{"since exactly the second", "?since=" + url.QueryEscape(t2.In(time.FixedZone("", 3600)).
			Format(time.RFC3339Nano)), "/rest/v1/b"},
		{"since after", "?since=" + t2.Add(time.Nanosecond).Format(time.RFC3339Nano), ""},
		{"path", "?path=/rest/", "/rest/v1/a /rest/v1/b"},
		{"path exact", "?path=/oauth2/token", "/oauth2/token"},
		{"path none", "?path=/nothing", ""},
		{"path and since", "?path=/rest/&since=" + t2.Format(time.RFC3339), "/rest/v1/b"},
		{"empty values are no filter", "?path=&since=", "/rest/v1/a /oauth2/token /rest/v1/b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := paths(rg.journal(t, tc.query)); got != tc.want {
				t.Fatalf("journal%s: %q, want %q", tc.query, got, tc.want)
			}
		})
	}

	t.Run("delete", func(t *testing.T) {
		last := rg.journal(t, "")[2].Seq
		rg.adminJSON(t, "DELETE", "/_opensom/journal", "", http.StatusNoContent, nil)
		if got := rg.journal(t, ""); len(got) != 0 {
			t.Fatalf("after DELETE: %+v", got)
		}
		rg.hit(t, "GET", "/after")
		got := rg.journal(t, "")
		if len(got) != 1 || got[0].Path != "/after" || got[0].Seq <= last {
			t.Fatalf("after DELETE and one request: %+v (seq before %d)", got, last)
		}
	})
}

// The journal keeps the newest JournalSize entries, oldest first.
func TestJournalRing(t *testing.T) {
	tests := []struct {
		size, requests int
	}{
		{1, 1}, {1, 3}, {3, 2}, {3, 3}, {3, 4}, {3, 7}, {3, 9},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d of %d", tc.requests, tc.size), func(t *testing.T) {
			rg := newRig(t, func(o *admin.Options) { o.JournalSize = tc.size })
			for i := 1; i <= tc.requests; i++ {
				rg.hit(t, "GET", fmt.Sprintf("/r/%d", i))
			}
			var got, want []string
			for _, e := range rg.journal(t, "") {
				got = append(got, e.Path)
			}
			for i := max(1, tc.requests-tc.size+1); i <= tc.requests; i++ {
				want = append(want, fmt.Sprintf("/r/%d", i))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("journal %v, want %v", got, want)
			}
		})
	}
}

// Faults are named in the entry; a dropped connection is status 0.
func TestJournalFaults(t *testing.T) {
	tests := []struct {
		name, fault string
		status      int
		faults      []string
	}{
		{"drop", `{"route":"/x","kind":"drop"}`, 0, []string{"drop"}},
		{"status", `{"route":"/x","kind":"status","status":502}`, 502, []string{"status"}},
		{"rate limit", `{"route":"/x","kind":"rate_limit"}`, 429, []string{"rate_limit"}},
		{"latency", `{"route":"/x","kind":"latency","latency":"1ms"}`, 200, []string{"latency"}},
		{"revoke without a caller", `{"route":"/x","kind":"revoke"}`, 200, []string{"revoke"}},
		{"other route", `{"route":"/y","kind":"drop"}`, 200, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t)
			rg.addFault(t, tc.fault)
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := client.Get(rg.url + "/x")
			if err == nil {
				resp.Body.Close()
			}
			if (err != nil) != (tc.status == 0) {
				t.Fatalf("err %v, want an error only for a drop", err)
			}
			got := rg.journal(t, "")
			if len(got) != 1 || got[0].Status != tc.status || !slices.Equal(got[0].Faults, tc.faults) {
				t.Fatalf("entries %+v, want status %d faults %v", got, tc.status, tc.faults)
			}
		})
	}
}
