package auth

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// countMetrics records what the server reports, keyed "grant/outcome".
type countMetrics struct {
	mu     sync.Mutex
	grants map[string]int
	failed map[string]int
}

func (m *countMetrics) Grant(grantType, outcome string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.grants[grantType+"/"+outcome]++
}

func (m *countMetrics) LoginFailed(where string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failed[where]++
}

func (m *countMetrics) total() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, v := range m.grants {
		n += v
	}
	return n
}

func TestMetricsPerAnswer(t *testing.T) {
	tests := []struct {
		name   string
		call   call
		label  string // grant/outcome
		failed int    // LoginFailed("password_grant") calls
	}{
		{name: "password ok", call: call{form: passwordForm(uuidA, "tess", pwPupil)},
			label: "password/ok"},
		{name: "wrong password", call: call{form: passwordForm(uuidA, "tess", "nope")},
			label: "password/invalid_grant", failed: 1},
		{name: "unknown user", call: call{form: passwordForm(uuidA, "nobody", "nope")},
			label: "password/invalid_grant", failed: 1},
		{name: "switched off", call: call{form: passwordForm(uuidB, "noor", "nope")},
			label: "password/invalid_grant"},
		{name: "made-up grant type", call: call{form: url.Values{
			"grant_type": {"x-" + "anything"}, "client_id": {legacyClientID}}},
			label: "unknown/unsupported_grant_type"},
		{name: "unknown client", call: call{form: url.Values{
			"grant_type": {"password"}, "client_id": {"nope"}}},
			label: "password/invalid_client"},
		{name: "get", call: call{method: http.MethodGet}, label: "unknown/invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			r.do(tc.call)
			if got := r.metrics.grants[tc.label]; got != 1 || r.metrics.total() != 1 {
				t.Errorf("grants %v, want one %q", r.metrics.grants, tc.label)
			}
			if got := r.metrics.failed[failPasswordGrant]; got != tc.failed {
				t.Errorf("LoginFailed %d, want %d", got, tc.failed)
			}
		})
	}
}
