package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/clock"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

// adminCalls is every route of the admin API, and a few that are not.
var adminCalls = []struct{ method, path, body string }{
	{"GET", "/_opensom", ""},
	{"GET", "/_opensom/", ""},
	{"GET", "/_opensom/clock", ""},
	{"PUT", "/_opensom/clock", `{"mode":"frozen","at":"2024-01-02T03:04:05Z"}`},
	{"GET", "/_opensom/faults", ""},
	{"POST", "/_opensom/faults", `{"route":"/*","kind":"drop"}`},
	{"DELETE", "/_opensom/faults", ""},
	{"DELETE", "/_opensom/faults/abc", ""},
	{"GET", "/_opensom/journal", ""},
	{"DELETE", "/_opensom/journal", ""},
	{"POST", "/_opensom/reset", ""},
	{"GET", "/_opensom/accounts", ""},
	{"GET", "/_opensom/nothing", ""},
}

// A closed admin answers 404 on every /_opensom/ path, whatever token is
// sent, and hands every other request to the API untouched: the very
// writer and body it was given, so no journal or fault is in the way.
func TestClosed(t *testing.T) {
	a, err := admin.New(admin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var gotW http.ResponseWriter
	var gotBody any
	h := a.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotW, gotBody = w, r.Body
		w.WriteHeader(http.StatusTeapot)
	}))

	for _, c := range adminCalls {
		for _, auth := range []string{"", "Bearer ", "Bearer " + adminToken} {
			t.Run(c.method+" "+c.path+" "+auth, func(t *testing.T) {
				req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusNotFound {
					t.Fatalf("%d %s, want 404", rec.Code, rec.Body)
				}
				if rec.Header().Get("WWW-Authenticate") != "" {
					t.Fatal("a closed admin asks for a token")
				}
				if gotW != nil {
					t.Fatal("an admin path reached the API")
				}
			})
		}
	}

	t.Run("API untouched", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/oauth2/token?code=x", strings.NewReader("a=b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		body := req.Body
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusTeapot {
			t.Fatalf("%d, want the API's 418", rec.Code)
		}
		if gotW != http.ResponseWriter(rec) {
			t.Fatalf("the API got a wrapped writer %T", gotW)
		}
		if gotBody != any(body) {
			t.Fatal("the API got another body: it was read ahead")
		}
	})
}

// An open admin answers only to its token, compared exactly; any other
// Authorization is a 401 with a WWW-Authenticate and changes nothing.
func TestToken(t *testing.T) {
	rg := newRig(t)
	tests := []struct {
		name, auth string
		want       int
	}{
		{"none", "", 401},
		{"empty bearer", "Bearer ", 401},
		{"wrong", "Bearer wrong", 401},
		{"upper case", "Bearer " + strings.ToUpper(adminToken), 401},
		{"lower case", "Bearer " + strings.ToLower(adminToken), 401},
		{"prefix", "Bearer " + adminToken[:len(adminToken)-1], 401},
		{"longer", "Bearer " + adminToken + "x", 401},
		{"basic", "Basic " + adminToken, 401},
		{"no scheme", adminToken, 401},
		{"right", "Bearer " + adminToken, 200},
		{"scheme in any case", "bEARER " + adminToken, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Cleanup(func() {
				if err := rg.clock.Set(clock.State{Mode: clock.Real}); err != nil {
					t.Error(err)
				}
			})
			resp, b := rg.send(t, "PUT", "/_opensom/clock", `{"mode":"offset","offset":"1h"}`,
				"Authorization", tc.auth)
			if resp.StatusCode != tc.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.want)
			}
			if tc.want == 200 {
				if rg.clock.State().Mode != clock.Offset {
					t.Fatal("the right token did not set the clock")
				}
				return
			}
			if h := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
				t.Fatalf("WWW-Authenticate %q, want a Bearer challenge", h)
			}
			var eb struct{ Error string }
			if err := json.Unmarshal(b, &eb); err != nil || eb.Error == "" {
				t.Fatalf("401 body is not an admin error: %s", b)
			}
			if strings.Contains(string(b), adminToken) {
				t.Fatal("the 401 tells the token")
			}
			if rg.clock.State().Mode != clock.Real {
				t.Fatal("a refused call set the clock")
			}
		})
	}

	t.Run("every route", func(t *testing.T) {
		for _, c := range adminCalls {
			resp, _ := rg.send(t, c.method, c.path, c.body, "Authorization", "Bearer nope")
			if resp.StatusCode != 401 {
				t.Errorf("%s %s: %d, want 401", c.method, c.path, resp.StatusCode)
			}
		}
		if len(rg.faults(t)) != 0 || rg.clock.State().Mode != clock.Real {
			t.Fatal("a refused call changed something")
		}
	})
}

func TestNewNeedsItsParts(t *testing.T) {
	st := sqltest.Open(t, nil)
	world := func() (*school.World, error) { return &school.World{}, nil }
	clk := clock.New(nil)
	tests := []struct {
		name string
		o    admin.Options
		ok   bool
	}{
		{"closed needs nothing", admin.Options{}, true},
		{"open with all", admin.Options{Token: "t", Clock: clk, Store: st, World: world}, true},
		{"no clock", admin.Options{Token: "t", Store: st, World: world}, false},
		{"no store", admin.Options{Token: "t", Clock: clk, World: world}, false},
		{"no world", admin.Options{Token: "t", Clock: clk, Store: st}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := admin.New(tc.o)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// Every admin call with bad input answers 400 with a JSON body naming the
// field, and leaves the clock, the faults and the journal as they were.
func TestBadInput(t *testing.T) {
	rg := newRig(t)
	rg.adminJSON(t, "PUT", "/_opensom/clock", `{"mode":"frozen","at":"2024-05-06T07:08:09Z"}`, 200, nil)
	rg.addFault(t, `{"route":"/x","kind":"status","status":503,"count":3,"seed":1}`)
	rg.hit(t, "GET", "/y")

	// The clock is frozen, so all three answers stay byte for byte the
	// same unless something changed.
	state := func() string {
		var s strings.Builder
		for _, p := range []string{"/_opensom/clock", "/_opensom/faults", "/_opensom/journal"} {
			resp, b := rg.admin(t, "GET", p, "")
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s: %d %s", p, resp.StatusCode, b)
			}
			s.Write(b)
		}
		return s.String()
	}

	tests := []struct {
		name, method, path, body, field string
	}{
		{"clock: empty body", "PUT", "/_opensom/clock", "", "body"},
		{"clock: white space", "PUT", "/_opensom/clock", " \n", "body"},
		{"clock: not JSON", "PUT", "/_opensom/clock", `{mode: real}`, "body"},
		{"clock: cut short", "PUT", "/_opensom/clock", `{"mode":"real"`, "body"},
		{"clock: an array", "PUT", "/_opensom/clock", `[{"mode":"real"}]`, "body"},
		{"clock: a string", "PUT", "/_opensom/clock", `"real"`, "body"},
		{"clock: trailing object", "PUT", "/_opensom/clock", `{"mode":"real"} {}`, "body"},
		{"clock: trailing brace", "PUT", "/_opensom/clock", `{"mode":"real"}}`, "body"},
		{"clock: trailing bracket", "PUT", "/_opensom/clock", `{"mode":"real"}]`, "body"},
		{"clock: trailing text", "PUT", "/_opensom/clock", `{"mode":"real"} x`, "body"},
		{"clock: unknown field", "PUT", "/_opensom/clock", `{"mode":"real","zone":"UTC"}`, "zone"},
		{"clock: no mode", "PUT", "/_opensom/clock", `{}`, "mode"},
		{"clock: null mode", "PUT", "/_opensom/clock", `{"mode":null}`, "mode"},
		{"clock: mode a number", "PUT", "/_opensom/clock", `{"mode":1}`, "mode"},
		{"clock: unknown mode", "PUT", "/_opensom/clock", `{"mode":"Real"}`, "mode"},
		{"clock: frozen without at", "PUT", "/_opensom/clock", `{"mode":"frozen"}`, "at"},
		{"clock: at not RFC 3339", "PUT", "/_opensom/clock",
			`{"mode":"frozen","at":"2024-05-06 07:08"}`, "at"},
		{"clock: at a number", "PUT", "/_opensom/clock", `{"mode":"frozen","at":1715000000}`, "at"},
		{"clock: at the zero time", "PUT", "/_opensom/clock",
			`{"mode":"frozen","at":"0001-01-01T00:00:00Z"}`, "at"},
		{"clock: at past the years the API writes", "PUT", "/_opensom/clock",
			`{"mode":"frozen","at":"9999-12-31T23:59:59Z"}`, "at"},
		{"clock: at before them", "PUT", "/_opensom/clock",
			`{"mode":"frozen","at":"1899-12-31T23:59:59Z"}`, "at"},
		{"clock: offset of two centuries", "PUT", "/_opensom/clock",
			`{"mode":"offset","offset":"1752000h"}`, "offset"},
		{"clock: offset of two centuries back", "PUT", "/_opensom/clock",
			`{"mode":"offset","offset":"-1752000h"}`, "offset"},
		{"clock: offset missing", "PUT", "/_opensom/clock", `{"mode":"offset"}`, "offset"},
		{"clock: offset no duration", "PUT", "/_opensom/clock",
			`{"mode":"offset","offset":"3 days"}`, "offset"},
		{"clock: offset a number", "PUT", "/_opensom/clock", `{"mode":"offset","offset":36}`, "offset"},
		{"clock: at for real", "PUT", "/_opensom/clock",
			`{"mode":"real","at":"2024-05-06T07:08:09Z"}`, "at"},
		{"clock: offset for frozen", "PUT", "/_opensom/clock",
			`{"mode":"frozen","at":"2024-05-06T07:08:09Z","offset":"1h"}`, "offset"},

		{"fault: empty body", "POST", "/_opensom/faults", "", "body"},
		{"fault: trailing data", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop"}{"route":"/b","kind":"drop"}`, "body"},
		{"fault: trailing brace", "POST", "/_opensom/faults", `{"route":"/a","kind":"drop"}}`, "body"},
		{"fault: an array", "POST", "/_opensom/faults", `[]`, "body"},
		{"fault: unknown field", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","routes":["/b"]}`, "routes"},
		{"fault: no route", "POST", "/_opensom/faults", `{"kind":"drop"}`, "route"},
		{"fault: relative route", "POST", "/_opensom/faults", `{"route":"rest/v1","kind":"drop"}`, "route"},
		{"fault: bad pattern", "POST", "/_opensom/faults", `{"route":"/a/[","kind":"drop"}`, "route"},
		{"fault: admin route", "POST", "/_opensom/faults", `{"route":"/_opensom/clock","kind":"drop"}`, "route"},
		{"fault: admin prefix", "POST", "/_opensom/faults", `{"route":"/_opensom/*","kind":"drop"}`, "route"},
		{"fault: route a number", "POST", "/_opensom/faults", `{"route":7,"kind":"drop"}`, "route"},
		{"fault: no kind", "POST", "/_opensom/faults", `{"route":"/a"}`, "kind"},
		{"fault: unknown kind", "POST", "/_opensom/faults", `{"route":"/a","kind":"slow"}`, "kind"},
		{"fault: latency missing", "POST", "/_opensom/faults", `{"route":"/a","kind":"latency"}`, "latency"},
		{"fault: latency zero", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"latency","latency":"0s"}`, "latency"},
		{"fault: latency negative", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"latency","latency":"-1s"}`, "latency"},
		{"fault: latency too long", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"latency","latency":"31s"}`, "latency"},
		{"fault: latency no duration", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"latency","latency":"fast"}`, "latency"},
		{"fault: latency a number", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"latency","latency":50}`, "latency"},
		{"fault: status missing", "POST", "/_opensom/faults", `{"route":"/a","kind":"status"}`, "status"},
		{"fault: status 200", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"status","status":200}`, "status"},
		{"fault: status 600", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"status","status":600}`, "status"},
		{"fault: status a string", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"status","status":"503"}`, "status"},
		{"fault: latency on status", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"status","status":503,"latency":"1s"}`, "latency"},
		{"fault: status on drop", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","status":503}`, "status"},
		{"fault: retry_after on status", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"status","status":503,"retry_after":5}`, "retry_after"},
		{"fault: retry_after negative", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"rate_limit","retry_after":-1}`, "retry_after"},
		{"fault: probability above 1", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","probability":1.5}`, "probability"},
		{"fault: probability below 0", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","probability":-0.1}`, "probability"},
		{"fault: probability a string", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","probability":"1"}`, "probability"},
		{"fault: count negative", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","count":-1}`, "count"},
		{"fault: count a fraction", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","count":2.5}`, "count"},
		{"fault: seed a fraction", "POST", "/_opensom/faults",
			`{"route":"/a","kind":"drop","seed":1.5}`, "seed"},

		{"journal: since not a time", "GET", "/_opensom/journal?since=yesterday", "", "since"},
		{"journal: path relative", "GET", "/_opensom/journal?path=rest", "", "path"},
		{"journal: unknown parameter", "GET", "/_opensom/journal?sinse=2024-05-06T07:08:09Z", "", "sinse"},
		{"journal: delete with a filter", "DELETE", "/_opensom/journal?path=/y", "", "path"},
		{"faults: delete with a filter", "DELETE", "/_opensom/faults?route=/x", "", "route"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := state()
			resp, b := rg.admin(t, tc.method, tc.path, tc.body)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("%d %s, want 400", resp.StatusCode, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type %q", ct)
			}
			var eb struct{ Error, Field string }
			if err := json.Unmarshal(b, &eb); err != nil {
				t.Fatalf("400 body is not JSON: %s", b)
			}
			if eb.Field != tc.field || !strings.Contains(eb.Error, tc.field) {
				t.Fatalf("error %+v, want it to name field %q", eb, tc.field)
			}
			if after := state(); after != before {
				t.Fatalf("a refused call changed the state:\nbefore %s\nafter  %s", before, after)
			}
		})
	}

	t.Run("unknown fault id", func(t *testing.T) {
		before := state()
		resp, b := rg.admin(t, "DELETE", "/_opensom/faults/nope", "")
		var eb struct{ Field string }
		_ = json.Unmarshal(b, &eb)
		if resp.StatusCode != http.StatusNotFound || eb.Field != "id" {
			t.Fatalf("%d %s, want 404 naming id", resp.StatusCode, b)
		}
		if after := state(); after != before {
			t.Fatal("deleting an unknown fault changed the state")
		}
	})
}

// The clock answers what its mode says, and the Clock the server reads
// says the same.
func TestClock(t *testing.T) {
	rg := newRig(t)
	at := time.Date(2024, 1, 2, 3, 4, 5, 600, time.UTC)
	tests := []struct {
		name, body string
		mode       string
		// want is the clock's time for a source time.
		want func(src time.Time) time.Time
		at   string
		off  string
	}{
		{"frozen", `{"mode":"frozen","at":"2024-01-02T03:04:05.0000006Z"}`, "frozen",
			func(time.Time) time.Time { return at }, "2024-01-02T03:04:05.0000006Z", ""},
		{"frozen in a zone", `{"mode":"frozen","at":"2024-01-02T04:04:05.0000006+01:00"}`, "frozen",
			func(time.Time) time.Time { return at }, "2024-01-02T04:04:05.0000006+01:00", ""},
		{"offset back", `{"mode":"offset","offset":"-36h"}`, "offset",
			func(s time.Time) time.Time { return s.Add(-36 * time.Hour) }, "", "-36h0m0s"},
		{"offset forward", `{"mode":"offset","offset":"90m"}`, "offset",
			func(s time.Time) time.Time { return s.Add(90 * time.Minute) }, "", "1h30m0s"},
		{"real", `{"mode":"real"}`, "real", func(s time.Time) time.Time { return s }, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rg.src.set(base)
			var put clockAnswer
			rg.adminJSON(t, "PUT", "/_opensom/clock", tc.body, 200, &put)
			for _, src := range []time.Time{base, base.Add(25 * time.Hour)} {
				rg.src.set(src)
				got := rg.getClock(t)
				if got.Mode != tc.mode || got.At != tc.at || got.Offset != tc.off {
					t.Fatalf("source %v: clock %+v, want mode %s at %q offset %q",
						src, got, tc.mode, tc.at, tc.off)
				}
				now, err := time.Parse(time.RFC3339Nano, got.Now)
				if err != nil {
					t.Fatal(err)
				}
				if want := tc.want(src); !now.Equal(want) || !rg.clock.Now().Equal(want) {
					t.Fatalf("source %v: now %v, Clock.Now %v, want %v", src, now, rg.clock.Now(), want)
				}
			}
			if put.Mode != tc.mode {
				t.Fatalf("PUT answered %+v", put)
			}
		})
	}
}

// A reset whose world cannot be made answers 500 without the cause.
func TestResetFailure(t *testing.T) {
	rg := newRig(t)
	resp, b := rg.admin(t, "POST", "/_opensom/reset", "")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("%d %s, want 500", resp.StatusCode, b)
	}
	if !bytes.Contains(b, []byte(`"internal error"`)) || bytes.Contains(b, []byte("no world")) {
		t.Fatalf("500 body %s: want a generic error without the cause", b)
	}
}

// An empty store has no accounts: an empty list, not null.
func TestAccountsEmpty(t *testing.T) {
	rg := newRig(t)
	resp, b := rg.admin(t, "GET", "/_opensom/accounts", "")
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != "[]" {
		t.Fatalf("%d %s, want 200 []", resp.StatusCode, b)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q: an answer with passwords must not be stored", cc)
	}
}

// The 400's text speaks of JSON, not of the Go types behind it, and says
// when a body is too large rather than that it is not JSON.
func TestBadInputWords(t *testing.T) {
	rg := newRig(t)
	big := `{"route":"/x","kind":"status","status":500,"method":"` +
		strings.Repeat("G", 70<<10) + `"}`
	tests := []struct {
		name, path, body, want string
	}{
		{"a string for a whole number", "/_opensom/faults",
			`{"route":"/x","kind":"status","status":"500"}`, "status: want a whole number"},
		{"a number for a string", "/_opensom/faults", `{"route":5}`, "route: want a string"},
		{"a string for a number", "/_opensom/faults",
			`{"route":"/x","kind":"drop","probability":"1"}`, "probability: want a number"},
		{"over 64 KiB", "/_opensom/faults", big, "body: larger than 64 KiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := rg.admin(t, "POST", tc.path, tc.body)
			var eb struct{ Error string }
			if err := json.Unmarshal(b, &eb); err != nil || resp.StatusCode != 400 ||
				eb.Error != tc.want {
				t.Fatalf("%d %s, want 400 saying %q", resp.StatusCode, b, tc.want)
			}
		})
	}
}

// A database that `opensom seed` filled is not reset to the demo world:
// the answer is a 409 naming the command that makes it again, and nothing
// changes.
func TestResetRefusesSeededWorld(t *testing.T) {
	ctx := context.Background()
	st := sqltest.Open(t, nil)
	w := editWorld()
	w.Source = admin.SeedSourcePrefix + "--seed 7 --schools 1 --pupils 3 --years 1 --now 2025-03-10"
	if err := st.Import(ctx, w); err != nil {
		t.Fatal(err)
	}
	version, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	made := false
	rg := newRig(t, func(o *admin.Options) {
		o.Store = st
		o.World = func() (*school.World, error) { made = true; return editWorld(), nil }
	})
	resp, b := rg.admin(t, "POST", "/_opensom/reset", "")
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(b), w.Source) {
		t.Fatalf("reset of a seeded world: %d %s, want 409 naming %q", resp.StatusCode, b,
			w.Source)
	}
	if after, err := st.DataVersion(ctx); err != nil || after != version || made {
		t.Fatalf("the refused reset made a world (%v) or moved the data (%d to %d, %v)",
			made, version, after, err)
	}
}
