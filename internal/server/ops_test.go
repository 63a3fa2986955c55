package server_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// plainGet fetches path without a token and returns status and body.
func plainGet(t *testing.T, e *env, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(e.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// /healthz says the process lives; /readyz that the store answers, so a
// closed store takes the node out of a load balancer but keeps it alive.
func TestHealthAndReadiness(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	steps := []struct {
		name       string
		closeStore bool
		path       string
		want       int
	}{
		{"alive", false, "/healthz", 200},
		{"ready", false, "/readyz", 200},
		{"closed store is not ready", true, "/readyz", 503},
		{"closed store still lives", false, "/healthz", 200},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.closeStore {
				if err := e.store.Close(); err != nil {
					t.Fatalf("close store: %v", err)
				}
			}
			code, body := plainGet(t, e, s.path)
			if code != s.want {
				t.Fatalf("GET %s: %d %q, want %d", s.path, code, body, s.want)
			}
			if strings.Contains(body, "closed") {
				t.Fatalf("GET %s told the prober the cause: %q", s.path, body)
			}
		})
	}
}

// After a few requests /metrics counts them by route pattern and status,
// the grants by type and outcome and the failed logins, and never shows a
// raw path with an id in it.
func TestMetricsAfterRequests(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	code, _ := e.post(t, url.Values{"grant_type": {"password"}, "scope": {"openid"},
		"username": {uuidA + `\s1`}, "password": {"wrong"}, "client_id": {legacyClient}})
	if code != 400 {
		t.Fatalf("wrong password: %d, want 400", code)
	}
	if resp, b := e.get(t, gradePath, tok); resp.StatusCode != 200 {
		t.Fatalf("grades: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.get(t, "/rest/v1/leerlingen/1100001002", tok); resp.StatusCode != 403 {
		t.Fatalf("another pupil: %d, want 403", resp.StatusCode)
	}
	if code, _ := plainGet(t, e, "/nothing/here/1100001001"); code != 404 {
		t.Fatalf("unknown path: %d, want 404", code)
	}

	code, body := plainGet(t, e, "/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics: %d", code)
	}
	tests := []struct{ name, line string }{
		{"login ok", `opensom_token_grants_total{grant_type="password",outcome="ok"} 1`},
		{"login refused",
			`opensom_token_grants_total{grant_type="password",outcome="invalid_grant"} 1`},
		{"failed login", `opensom_login_failures_total{where="password_grant"} 1`},
		{"token requests",
			`opensom_http_requests_total{method="POST",route="/oauth2/token",status="200"} 1`},
		{"grade page", `opensom_http_requests_total{method="GET",` +
			`route="/rest/v1/resultaten/huidigVoorLeerling/{id}",status="200"} 1`},
		{"forbidden pupil", `opensom_http_requests_total{method="GET",` +
			`route="/rest/v1/leerlingen/{id}",status="403"} 1`},
		{"unknown path",
			`opensom_http_requests_total{method="GET",route="unmatched",status="404"} 1`},
		{"latency histogram", `opensom_http_request_duration_seconds_count{` +
			`route="/rest/v1/resultaten/huidigVoorLeerling/{id}"} 1`},
		{"pool", `opensom_db_max_open_connections `},
		{"process", `process_resident_memory_bytes `},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(body, tc.line) {
				t.Fatalf("no line %q in /metrics:\n%s", tc.line, grepOpensom(body))
			}
		})
	}
	if strings.Contains(body, "1100001002") || strings.Contains(body, "/nothing") {
		t.Fatalf("a raw path reached a label:\n%s", grepOpensom(body))
	}
}

func grepOpensom(body string) string {
	var keep []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "opensom_") && !strings.Contains(l, "_bucket") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
