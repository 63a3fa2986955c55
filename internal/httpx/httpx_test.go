package httpx

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestWrapRecoversAndLogs(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Route(r, "/boom")
		panic("secret internal detail")
	}), log, time.Now)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != 500 {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("panic text reached the client: %s", rec.Body)
	}
	if rec.Header().Get("X-Request-Id") == "" {
		t.Fatal("no request id header")
	}
	if !strings.Contains(logs.String(), "route=/boom") || !strings.Contains(logs.String(), "status=500") {
		t.Fatalf("access line missing: %s", logs.String())
	}
}

func TestRequestIDKeptWhenSane(t *testing.T) {
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(RequestID(r.Context())))
	}), slog.New(slog.DiscardHandler), time.Now)
	tests := []struct {
		name, in string
		kept     bool
	}{
		{"sane", "abcdef12-3456", true},
		{"short", "abc", false},
		{"newline", "abcdefgh\nx", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("X-Request-Id", tc.in)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if got := rec.Body.String(); (got == tc.in) != tc.kept || got == "" {
				t.Fatalf("id %q -> %q, kept want %v", tc.in, got, tc.kept)
			}
		})
	}
}
