package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

func TestCheckTarget(t *testing.T) {
	tests := []struct {
		name, target string
		ok           bool
	}{
		{"IPv4 loopback", "http://127.0.0.1:8080", true},
		{"IPv6 loopback", "http://[::1]:8080", true},
		{"https", "https://127.0.0.1", true},
		{"trailing slash", "http://127.0.0.1:8080/", true},
		{"a name", "http://localhost:8080", false},
		{"another loopback address", "http://127.0.0.2:8080", false},
		{"a private address", "http://10.0.0.1:8080", false},
		{"a public name", "http://example.com", false},
		{"metadata address", "http://169.254.169.254", false},
		{"mapped IPv4 elsewhere", "http://[::ffff:10.0.0.1]:80", false},
		{"unspecified", "http://0.0.0.0:8080", false},
		{"other scheme", "ftp://127.0.0.1", false},
		{"with a path", "http://127.0.0.1:8080/rest", false},
		{"with credentials", "http://u:p@127.0.0.1:8080", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkTarget(tc.target); (err == nil) != tc.ok {
				t.Fatalf("checkTarget(%q) = %v, want ok %v", tc.target, err, tc.ok)
			}
		})
	}
}

// The flags refuse a non-loopback target before anything is sent.
func TestFlagsRefuseRemoteTarget(t *testing.T) {
	_, err := parseFlags([]string{"--target", "http://192.0.2.1:8080"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "target") {
		t.Fatalf("parseFlags with a remote target: %v, want a target error", err)
	}
}

// Even a request built some other way cannot leave the machine: the dialer
// refuses it without dialing.
func TestTransportDialsLoopbackOnly(t *testing.T) {
	tr := loopbackTransport(1)
	for _, addr := range []string{"192.0.2.1:80", "[2001:db8::1]:80", "example.com:80"} {
		if c, err := tr.DialContext(context.Background(), "tcp", addr); err == nil {
			c.Close()
			t.Fatalf("dialled %s", addr)
		}
	}
}

func TestParseMix(t *testing.T) {
	tests := []struct {
		name, in string
		want     mix
		ok       bool
	}{
		{"default", defaultMix, mix{1, 2, 10, 10}, true},
		{"one kind", "grades=1", mix{0, 0, 1, 0}, true},
		{"unknown kind", "grades=1,pasfoto=2", mix{}, false},
		{"no weight", "grades", mix{}, false},
		{"negative", "grades=-1", mix{}, false},
		{"all zero", "login=0,week=0", mix{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseMix(tc.in)
			if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
				t.Fatalf("parseMix(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	series := func(kib ...int64) []sample {
		ss := make([]sample, len(kib))
		for i, k := range kib {
			ss[i] = sample{At: time.Duration(i) * time.Second, RSSKiB: k}
		}
		return ss
	}
	tests := []struct {
		name    string
		samples []sample
		flat    bool
	}{
		{"sawtooth", series(10, 50, 52, 49, 53, 50, 52, 51, 53, 50), true},
		{"warm-up growth only", series(10, 30, 50, 50, 51, 50, 51, 50, 51, 50), true},
		{"leak", series(50, 55, 60, 65, 70, 75, 80, 85, 90, 95), false},
		{"too few", series(50, 50, 50), false},
		{"none", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := judge(tc.samples, 0.15)
			if m.Flat != tc.flat {
				t.Fatalf("flat %v (%s), want %v", m.Flat, m.Verdict, tc.flat)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{.5, 50}, {.9, 90}, {.99, 99}, {1, 100}} {
		if got := quantile(d, tc.q); got != tc.want {
			t.Errorf("quantile %.2f = %d, want %d", tc.q, got, tc.want)
		}
	}
	if quantile(nil, .5) != 0 {
		t.Error("quantile of nothing is not 0")
	}
}

// fakeServer answers the four calls like opensom does, rotating refresh
// tokens, and can be told to fail one route with a 500.
type fakeServer struct {
	mu      sync.Mutex
	refresh map[string]bool // live refresh tokens
	n       int
	seen    map[string]int
	fail    string // a path prefix answered with 500
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen[r.URL.Path]++
	if f.fail != "" && strings.HasPrefix(r.URL.Path, f.fail) {
		w.WriteHeader(500)
		return
	}
	switch {
	case r.URL.Path == "/oauth2/token":
		switch r.PostFormValue("grant_type") {
		case "password":
			if r.PostFormValue("password") != "pw" {
				w.WriteHeader(400)
				return
			}
		case "refresh_token":
			rt := r.PostFormValue("refresh_token")
			if !f.refresh[rt] {
				w.WriteHeader(400)
				return
			}
			delete(f.refresh, rt)
		}
		f.n++
		rt := fmt.Sprintf("rt%d", f.n)
		f.refresh[rt] = true
		_ = json.NewEncoder(w).Encode(map[string]string{"access_token": "at",
			"refresh_token": rt})
	case r.Header.Get("Authorization") != "Bearer at":
		w.WriteHeader(401)
	case strings.HasPrefix(r.URL.Path, "/rest/v1/resultaten/huidigVoorLeerling/42"):
		w.Header().Set("Content-Range", "items 0-99/250")
		_, _ = w.Write([]byte(`{"items":[]}`))
	case r.URL.Path == "/rest/v1/afspraken" && r.URL.Query().Get("begindatum") != "":
		_, _ = w.Write([]byte(`{"items":[]}`))
	default:
		w.WriteHeader(404)
	}
}

func TestRunAgainstFakeServer(t *testing.T) {
	tests := []struct {
		name     string
		fail     string
		requests int
		failed   bool
	}{
		{"all answered", "", 300, false},
		{"a 5xx fails the run", "/rest/v1/afspraken", 300, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeServer{refresh: map[string]bool{}, seen: map[string]int{}, fail: tc.fail}
			srv := httptest.NewServer(f)
			defer srv.Close()
			pw := "pw"
			accs := []account{
				{TenantUUID: "t", Username: "a", Password: &pw, Role: school.RolePupil,
					LeerlingIDs: []school.ID{42}},
				{TenantUUID: "t", Username: "b", Password: &pw, Role: school.RolePupil,
					LeerlingIDs: []school.ID{42}},
			}
			o := options{target: srv.URL, duration: 20 * time.Second, requests: tc.requests,
				concurrency: 4, mix: mix{1, 2, 10, 10}, timeout: 5 * time.Second}
			if err := o.validate(); err != nil {
				t.Fatal(err)
			}
			r := &runner{opts: o, client: newClient(o.target, o.timeout, 4),
				users: newUsers(accs), now: time.Now}
			rep, err := r.run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Requests != tc.requests {
				t.Fatalf("%d requests answered, want exactly the bound %d", rep.Requests,
					tc.requests)
			}
			if got := errors.Is(rep.verdict(), errFailed); got != tc.failed {
				t.Fatalf("verdict %v, want failed %v; 5xx %d, errors %d (%s)",
					rep.verdict(), tc.failed, rep.ServerErrs, rep.Errors, rep.LastError)
			}
			if tc.failed {
				return
			}
			for _, k := range rep.Kinds {
				if k.Count == 0 || k.Statuses[200] != k.Count {
					t.Errorf("%s: %d sent, statuses %v", k.Kind, k.Count, k.Statuses)
				}
			}
		})
	}
}

// The duration bound holds even when the request bound is far away.
func TestRunStopsAtDuration(t *testing.T) {
	f := &fakeServer{refresh: map[string]bool{}, seen: map[string]int{}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	pw := "pw"
	accs := []account{{TenantUUID: "t", Username: "a", Password: &pw,
		Role: school.RolePupil, LeerlingIDs: []school.ID{42}}}
	o := options{target: srv.URL, duration: 300 * time.Millisecond, requests: maxRequests,
		concurrency: 2, rate: 200, mix: mix{1, 2, 10, 10}, timeout: time.Second}
	r := &runner{opts: o, client: newClient(o.target, o.timeout, 2),
		users: newUsers(accs), now: time.Now}
	begin := time.Now()
	rep, err := r.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begin); took > 3*time.Second {
		t.Fatalf("run took %s, bound 300ms", took)
	}
	// 200/s for 0.3s is about 60 ticks; a run that ignored the rate would
	// send thousands.
	if rep.Requests == 0 || rep.Requests > 120 {
		t.Fatalf("%d requests at 200/s in 300ms", rep.Requests)
	}
}

// The --accounts file is `opensom accounts --json`; only pupils with a
// password are replayed.
func TestLoadAccountsFile(t *testing.T) {
	path := t.TempDir() + "/accounts.json"
	body := `[
	  {"tenant_uuid":"t1","school":"S","username":"203001","password":"a-b-1",
	   "role":"leerling","leerling_ids":[7000000001]},
	  {"tenant_uuid":"t1","school":"S","username":"ouder","password":"a-b-2",
	   "role":"ouder","leerling_ids":[7000000001,7000000002]},
	  {"tenant_uuid":"t1","school":"S","username":"real","password":null,
	   "role":"leerling","leerling_ids":[7000000003]}
	]`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	accs, err := loadAccounts(options{accounts: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(accs) != 1 || accs[0].Username != "203001" || accs[0].pupil() != "7000000001" {
		t.Fatalf("accounts %+v, want the one pupil with a password", accs)
	}
}

// Without a file the demo world of the seed gives the accounts, the star
// pupil first.
func TestLoadDemoAccounts(t *testing.T) {
	one, err := loadAccounts(options{seed: 20240801, scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	two, err := loadAccounts(options{seed: 20240801, scale: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(two) != 2*len(one) || one[0].Username != two[0].Username {
		t.Fatalf("%d accounts at scale 1 (first %s), %d at 2 (first %s)",
			len(one), one[0].Username, len(two), two[0].Username)
	}
}

// --login-first logs each account in once before the measured run: the
// run then reports no login at all when the mix asks for none, and a
// password the server refuses stops it before measuring.
func TestLoginFirst(t *testing.T) {
	tests := []struct {
		name    string
		pw      string
		wantErr bool
	}{
		{"every account logs in", "pw", false},
		{"a refused login stops the run", "wrong", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeServer{refresh: map[string]bool{}, seen: map[string]int{}}
			srv := httptest.NewServer(f)
			defer srv.Close()
			var accs []account
			for _, name := range []string{"a", "b", "c"} {
				accs = append(accs, account{TenantUUID: "t", Username: name, Password: &tc.pw,
					Role: school.RolePupil, LeerlingIDs: []school.ID{42}})
			}
			o := options{target: srv.URL, duration: 20 * time.Second, requests: 60,
				concurrency: 2, mix: mix{0, 0, 1, 1}, timeout: 5 * time.Second, loginFirst: true}
			r := &runner{opts: o, client: newClient(o.target, o.timeout, 2),
				users: newUsers(accs), now: time.Now}
			rep, err := r.run(context.Background())
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), "3 of 3 logins failed") {
					t.Fatalf("err %v, want the failed logins counted", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.seen["/oauth2/token"] != len(accs) || rep.Requests != o.requests {
				t.Fatalf("%d token requests, %d measured; want %d and %d",
					f.seen["/oauth2/token"], rep.Requests, len(accs), o.requests)
			}
			for _, k := range rep.Kinds {
				if k.Kind == "login" && k.Count > 0 {
					t.Errorf("%d logins measured after logging in first", k.Count)
				}
			}
		})
	}
}
