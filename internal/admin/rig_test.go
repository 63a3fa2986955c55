package admin_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/clock"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

const adminToken = "s3cret-Admin-token"

// base is the source time of the rig's clock.
var base = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

// source is a settable time source under the rig's clock.Clock.
type source struct {
	mu sync.Mutex
	t  time.Time
}

func (s *source) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t
}

func (s *source) set(t time.Time) {
	s.mu.Lock()
	s.t = t
	s.mu.Unlock()
}

// rig is an open Admin around a stand-in API, served over real HTTP.
type rig struct {
	url    string
	src    *source
	clock  *clock.Clock
	served atomic.Int64 // requests that reached the stand-in API
}

// newRig starts an Admin with the admin token around the stand-in API.
// tune may change the options first.
func newRig(t *testing.T, tune ...func(*admin.Options)) *rig {
	t.Helper()
	rg := &rig{src: &source{t: base}}
	rg.clock = clock.New(rg.src.now)
	o := admin.Options{Token: adminToken, Clock: rg.clock, Store: sqltest.Open(t, nil),
		World:  func() (*school.World, error) { return nil, errors.New("no world in these tests") },
		Caller: fakeCaller}
	for _, f := range tune {
		f(&o)
	}
	a, err := admin.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Wrap(rg.api()))
	t.Cleanup(srv.Close)
	rg.url = srv.URL
	return rg
}

// api stands in for opensom's API: it answers 200, or the status of
// ?want=, with the method and path it saw.
func (rg *rig) api() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rg.served.Add(1)
		status := http.StatusOK
		if s := r.URL.Query().Get("want"); s != "" {
			status, _ = strconv.Atoi(s)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "api "+r.Method+" "+r.URL.Path)
	})
}

// fakeCaller knows a bearer token "tok:<client>:<family>"; anything else
// is no caller.
func fakeCaller(r *http.Request) (admin.Caller, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer tok:")
	if !ok {
		return admin.Caller{}, false
	}
	client, family, _ := strings.Cut(raw, ":")
	return admin.Caller{ClientID: client, FamilyID: family}, true
}

// send makes one request; headers are name, value pairs.
func (rg *rig) send(t *testing.T, method, path, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, rg.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// admin calls the admin API with the admin token.
func (rg *rig) admin(t *testing.T, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	return rg.send(t, method, path, body, "Authorization", "Bearer "+adminToken)
}

// adminJSON calls the admin API, wants status and decodes the answer
// into out (unless nil).
func (rg *rig) adminJSON(t *testing.T, method, path, body string, status int, out any) {
	t.Helper()
	resp, b := rg.admin(t, method, path, body)
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

// addFault adds a fault and returns it as the admin answered it.
func (rg *rig) addFault(t *testing.T, body string) admin.Fault {
	t.Helper()
	var f admin.Fault
	rg.adminJSON(t, "POST", "/_opensom/faults", body, http.StatusCreated, &f)
	return f
}

func (rg *rig) faults(t *testing.T) []admin.Fault {
	t.Helper()
	var out struct{ Faults []admin.Fault }
	rg.adminJSON(t, "GET", "/_opensom/faults", "", http.StatusOK, &out)
	return out.Faults
}

// journal is the journal, filtered by query ("" or "?since=...").
func (rg *rig) journal(t *testing.T, query string) []admin.Entry {
	t.Helper()
	var out struct{ Entries []admin.Entry }
	rg.adminJSON(t, "GET", "/_opensom/journal"+query, "", http.StatusOK, &out)
	if out.Entries == nil {
		t.Fatalf("GET /_opensom/journal%s: no entries array", query)
	}
	return out.Entries
}

// clockAnswer is GET /_opensom/clock's body.
type clockAnswer struct {
	Mode   string `json:"mode"`
	At     string `json:"at"`
	Offset string `json:"offset"`
	Now    string `json:"now"`
}

func (rg *rig) getClock(t *testing.T) clockAnswer {
	t.Helper()
	var c clockAnswer
	rg.adminJSON(t, "GET", "/_opensom/clock", "", http.StatusOK, &c)
	return c
}

// hit sends a plain request to the stand-in API and returns its status,
// failing the test on a connection error.
func (rg *rig) hit(t *testing.T, method, path string) int {
	t.Helper()
	resp, _ := rg.send(t, method, path, "")
	return resp.StatusCode
}
