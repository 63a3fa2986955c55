package admin_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// hits sends n GETs to path and returns which were faulted with 503.
func (rg *rig) hits(t *testing.T, path string, n int) []bool {
	t.Helper()
	out := make([]bool, n)
	for i := range out {
		switch code := rg.hit(t, "GET", path); code {
		case http.StatusServiceUnavailable:
			out[i] = true
		case http.StatusOK:
		default:
			t.Fatalf("request %d: %d", i, code)
		}
	}
	return out
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// Count bounds how often a fault acts; probability 0 never acts and 1
// always; one seed gives one sequence.
func TestFaultCountAndProbability(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		n     int
		// want is how many of the n requests are faulted; -1 is "some, not all".
		want int
	}{
		{"count 2", `"count":2`, 6, 2},
		{"count 2 of probability 1", `"count":2,"probability":1`, 6, 2},
		{"probability 0", `"probability":0,"seed":1`, 40, 0},
		{"probability 1", `"probability":1,"seed":1`, 40, 40},
		{"default probability is 1", `"seed":9`, 40, 40},
		{"probability 0.5", `"probability":0.5,"seed":42`, 40, -1},
		{"probability 0.5 and count 3", `"probability":0.5,"seed":42,"count":3`, 40, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t)
			body := `{"route":"/f","kind":"status","status":503,` + tc.extra + `}`
			f := rg.addFault(t, body)
			got := rg.hits(t, "/f", tc.n)
			n := countTrue(got)
			switch {
			case tc.want >= 0 && n != tc.want:
				t.Fatalf("%d of %d faulted, want %d: %v", n, tc.n, tc.want, got)
			case tc.want < 0 && (n == 0 || n == tc.n):
				t.Fatalf("%d of %d faulted, want some but not all", n, tc.n)
			}
			if tc.want == 2 && (!got[0] || !got[1]) {
				t.Fatalf("count 2 did not fault the first two: %v", got)
			}
			list := rg.faults(t)
			if len(list) != 1 || list[0].ID != f.ID || list[0].Applied != n {
				t.Fatalf("faults %+v, want %s applied %d times", list, f.ID, n)
			}
			if strings.Contains(tc.extra, "seed") {
				// The same fault again, on its own: the same outcomes.
				rg.adminJSON(t, "DELETE", "/_opensom/faults", "", http.StatusNoContent, nil)
				rg.addFault(t, body)
				if again := rg.hits(t, "/f", tc.n); fmt.Sprint(again) != fmt.Sprint(got) {
					t.Fatalf("seed gave\n%v\nthen\n%v", got, again)
				}
			}
		})
	}
}

// A fault covers the routes and methods it names and no other; the admin
// API is never covered.
func TestFaultRoutes(t *testing.T) {
	tests := []struct {
		name, route, method string
		reqMethod, reqPath  string
		faulted             bool
	}{
		{"exact", "/a/b", "", "GET", "/a/b", true},
		{"exact with a slash", "/a/b", "", "GET", "/a/b/", true},
		{"exact not below", "/a/b", "", "GET", "/a/b/c", false},
		{"exact not above", "/a/b", "", "GET", "/a", false},
		{"exact not a prefix of a name", "/a/b", "", "GET", "/a/bc", false},
		{"prefix one below", "/a/*", "", "GET", "/a/b", true},
		{"prefix deep below", "/a/*", "", "GET", "/a/b/c/d", true},
		{"prefix not a sibling", "/a/*", "", "GET", "/ab", false},
		{"prefix not elsewhere", "/a/*", "", "GET", "/b/a", false},
		{"everything", "/*", "", "POST", "/any/where", true},
		{"everything root", "/*", "", "GET", "/", true},
		{"one segment", "/a/*/c", "", "GET", "/a/b/c", true},
		{"one segment only", "/a/*/c", "", "GET", "/a/b/x/c", false},
		{"one segment other end", "/a/*/c", "", "GET", "/a/b/d", false},
		{"method matches", "/a", "POST", "POST", "/a", true},
		{"method in lower case", "/a", "post", "POST", "/a", true},
		{"other method", "/a", "POST", "GET", "/a", false},
		{"no method is any", "/a", "", "DELETE", "/a", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t)
			body := fmt.Sprintf(`{"route":%q,"method":%q,"kind":"status","status":503}`,
				tc.route, tc.method)
			rg.addFault(t, body)
			code := rg.hit(t, tc.reqMethod, tc.reqPath)
			if got := code == http.StatusServiceUnavailable; got != tc.faulted {
				t.Fatalf("%s %s: %d, want faulted %v", tc.reqMethod, tc.reqPath, code, tc.faulted)
			}
			if tc.faulted == (rg.served.Load() == 1) {
				t.Fatalf("the API served %d requests; faulted %v", rg.served.Load(), tc.faulted)
			}
		})
	}

	t.Run("never the admin API", func(t *testing.T) {
		rg := newRig(t)
		rg.addFault(t, `{"route":"/*","kind":"drop"}`)
		rg.addFault(t, `{"route":"/*","kind":"status","status":500}`)
		if len(rg.faults(t)) != 2 {
			t.Fatal("the admin API was faulted")
		}
	})
}

// DELETE /_opensom/faults/{id} takes that fault away and no other;
// DELETE /_opensom/faults takes them all.
func TestFaultDelete(t *testing.T) {
	rg := newRig(t)
	a := rg.addFault(t, `{"route":"/a","kind":"status","status":503}`)
	b := rg.addFault(t, `{"route":"/b","kind":"status","status":502}`)
	if a.ID == "" || a.ID == b.ID {
		t.Fatalf("ids %q and %q", a.ID, b.ID)
	}
	if rg.hit(t, "GET", "/a") != 503 || rg.hit(t, "GET", "/b") != 502 {
		t.Fatal("the faults do not act")
	}

	rg.adminJSON(t, "DELETE", "/_opensom/faults/"+a.ID, "", http.StatusNoContent, nil)
	if list := rg.faults(t); len(list) != 1 || list[0].ID != b.ID {
		t.Fatalf("after deleting %s: %+v", a.ID, list)
	}
	if rg.hit(t, "GET", "/a") != 200 || rg.hit(t, "GET", "/b") != 502 {
		t.Fatal("delete by id took the wrong fault")
	}
	if resp, _ := rg.admin(t, "DELETE", "/_opensom/faults/"+a.ID, ""); resp.StatusCode != 404 {
		t.Fatalf("deleting it again: %d, want 404", resp.StatusCode)
	}

	rg.addFault(t, `{"route":"/c","kind":"drop"}`)
	rg.adminJSON(t, "DELETE", "/_opensom/faults", "", http.StatusNoContent, nil)
	if list := rg.faults(t); len(list) != 0 {
		t.Fatalf("after deleting all: %+v", list)
	}
	for _, p := range []string{"/a", "/b", "/c"} {
		if code := rg.hit(t, "GET", p); code != 200 {
			t.Fatalf("GET %s after deleting all: %d", p, code)
		}
	}
}

// Each kind, as a client on the wire sees it.
func TestFaultKinds(t *testing.T) {
	t.Run("latency", func(t *testing.T) {
		rg := newRig(t)
		rg.addFault(t, `{"route":"/slow","kind":"latency","latency":"50ms"}`)
		start := time.Now()
		resp, b := rg.send(t, "GET", "/slow", "")
		// A lower bound only: a busy machine may take longer.
		if took := time.Since(start); took < 50*time.Millisecond {
			t.Fatalf("answered in %v, want at least 50ms", took)
		}
		if resp.StatusCode != 200 || string(b) != "api GET /slow" {
			t.Fatalf("%d %s: latency must answer as normal", resp.StatusCode, b)
		}
	})

	t.Run("rate limit", func(t *testing.T) {
		tests := []struct{ name, extra, want string }{
			{"default", "", "1"},
			{"retry after 120", `,"retry_after":120`, "120"},
			{"retry after 0", `,"retry_after":0`, "0"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rg := newRig(t)
				rg.addFault(t, `{"route":"/r","kind":"rate_limit"`+tc.extra+`}`)
				resp, b := rg.send(t, "GET", "/r", "")
				if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != tc.want {
					t.Fatalf("%d Retry-After %q %s, want 429 and %s", resp.StatusCode,
						resp.Header.Get("Retry-After"), b, tc.want)
				}
				if rg.served.Load() != 0 {
					t.Fatal("a rate-limited request reached the API")
				}
			})
		}
	})

	t.Run("drop", func(t *testing.T) {
		rg := newRig(t)
		rg.addFault(t, `{"route":"/gone","kind":"drop","count":1}`)
		// A connection of its own: a client retries a GET that failed on a
		// reused connection, and the retry would not be faulted.
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get(rg.url + "/gone")
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%d, want a connection error", resp.StatusCode)
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("error %v, want EOF", err)
		}
		if rg.served.Load() != 0 {
			t.Fatal("a dropped request reached the API")
		}
		if code := rg.hit(t, "GET", "/gone"); code != 200 {
			t.Fatalf("after its one drop: %d", code)
		}
	})

	t.Run("latency then status", func(t *testing.T) {
		rg := newRig(t)
		rg.addFault(t, `{"route":"/*","kind":"latency","latency":"1ms"}`)
		rg.addFault(t, `{"route":"/*","kind":"status","status":500}`)
		rg.addFault(t, `{"route":"/*","kind":"status","status":502}`)
		if code := rg.hit(t, "GET", "/x"); code != 500 {
			t.Fatalf("%d, want the first answering fault's 500", code)
		}
		list := rg.faults(t)
		if list[0].Applied != 1 || list[1].Applied != 1 || list[2].Applied != 0 {
			t.Fatalf("applied %d %d %d, want 1 1 0: a fault after the answer acted",
				list[0].Applied, list[1].Applied, list[2].Applied)
		}
	})
}

// A status or rate-limit fault answers in the body the route's clients
// expect: RFC 6749's on /oauth2/, the REST API's elsewhere.
func TestFaultAnswerBody(t *testing.T) {
	tests := []struct {
		name, fault, path string
		basic             bool
		status            int
		// oauth is the wanted error code on /oauth2/; "" wants a REST body.
		oauth, wwwAuth string
	}{
		{"rest 503", `"kind":"status","status":503`, "/rest/v1/x", false, 503, "", ""},
		{"rest 404", `"kind":"status","status":404`, "/rest/v1/x", false, 404, "", ""},
		{"rest 401", `"kind":"status","status":401`, "/rest/v1/x", false, 401, "",
			`Bearer error="invalid_token"`},
		{"rest 429", `"kind":"rate_limit"`, "/rest/v1/x", false, 429, "", ""},
		{"oauth 400", `"kind":"status","status":400`, "/oauth2/token", false, 400, "invalid_request", ""},
		{"oauth 500", `"kind":"status","status":500`, "/oauth2/token", false, 500, "server_error", ""},
		{"oauth 503", `"kind":"status","status":503`, "/oauth2/token", false, 503,
			"temporarily_unavailable", ""},
		{"oauth 429", `"kind":"rate_limit"`, "/oauth2/token", false, 429, "temporarily_unavailable", ""},
		{"oauth 401", `"kind":"status","status":401`, "/oauth2/token", false, 401, "invalid_client", ""},
		{"oauth 401 to Basic", `"kind":"status","status":401`, "/oauth2/token", true, 401,
			"invalid_client", `Basic realm="opensom"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t)
			rg.addFault(t, `{"route":"`+tc.path+`",`+tc.fault+`}`)
			var headers []string
			if tc.basic {
				headers = []string{"Authorization", "Basic Y2xpZW50OnNlY3JldA=="}
			}
			resp, b := rg.send(t, "POST", tc.path, "", headers...)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.status)
			}
			h := resp.Header
			if h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "no-store" {
				t.Fatalf("Content-Type %q Cache-Control %q", h.Get("Content-Type"), h.Get("Cache-Control"))
			}
			if got := h.Get("WWW-Authenticate"); got != tc.wwwAuth {
				t.Fatalf("WWW-Authenticate %q, want %q", got, tc.wwwAuth)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("not JSON: %s", b)
			}
			if tc.oauth != "" {
				if len(m) != 2 || m["error"] != tc.oauth || m["error_description"] == "" {
					t.Fatalf("body %s, want an RFC 6749 error %s", b, tc.oauth)
				}
				return
			}
			params, ok := m["applicationErrorParameters"].(map[string]any)
			if m["code"] != float64(tc.status) || m["reason"] != http.StatusText(tc.status) ||
				m["message"] == "" || !ok || len(params) != 0 {
				t.Fatalf("body %s, want a REST error body", b)
			}
		})
	}
}
