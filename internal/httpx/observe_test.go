package httpx

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The JSON access line carries the request id the client got back in
// X-Request-Id, so an operator can find a client's complaint in the log.
func TestJSONAccessLineCarriesRequestID(t *testing.T) {
	tests := []struct {
		name, sent string
	}{
		{"made here", ""},
		{"taken from the client", "client-chosen-0001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logs, nil))
			h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				Route(r, "/rest/v1/leerlingen/{id}")
				w.WriteHeader(http.StatusTeapot)
			}), log, time.Now)
			req := httptest.NewRequest("GET", "/rest/v1/leerlingen/7000000001", nil)
			if tc.sent != "" {
				req.Header.Set("X-Request-Id", tc.sent)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			id := rec.Header().Get("X-Request-Id")
			if id == "" || tc.sent != "" && id != tc.sent {
				t.Fatalf("X-Request-Id %q, sent %q", id, tc.sent)
			}
			var line struct {
				Msg       string `json:"msg"`
				RequestID string `json:"request_id"`
				Route     string `json:"route"`
				Status    int    `json:"status"`
			}
			if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
				t.Fatalf("access line is not one JSON object: %v: %s", err, logs.String())
			}
			if line.Msg != "request" || line.RequestID != id || line.Status != 418 ||
				line.Route != "/rest/v1/leerlingen/{id}" {
				t.Fatalf("access line %+v, want request id %s, status 418, the pattern", line, id)
			}
			if strings.Contains(logs.String(), "7000000001") {
				t.Fatalf("raw path with an id in the log: %s", logs.String())
			}
		})
	}
}

type observed struct {
	route, method string
	status        int
}

type fakeObserver struct {
	mu  sync.Mutex
	got []observed
}

func (f *fakeObserver) ObserveRequest(route, method string, status int, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, observed{route, method, status})
}

// Metric labels are bounded: the named route, else the mux pattern, else
// "unmatched"; never the path, which holds ids and capability tokens.
func TestObserverGetsBoundedLabels(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /named/{id}", func(w http.ResponseWriter, r *http.Request) {
		Route(r, "/named/{id}")
	})
	mux.HandleFunc("POST /oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	})
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) {
		panic("bug")
	})
	tests := []struct {
		name, method, path string
		want               observed
	}{
		{"named by the handler", "GET", "/named/123", observed{"/named/{id}", "GET", 200}},
		{"mux pattern", "POST", "/oauth2/token", observed{"POST /oauth2/token", "POST", 400}},
		{"no route", "GET", "/pasfoto/secret-token", observed{"unmatched", "GET", 404}},
		{"odd method", "BREW", "/named/1", observed{"unmatched", "other", 405}},
		{"panic", "GET", "/boom", observed{"GET /boom", "GET", 500}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			obs := &fakeObserver{}
			h := Wrap(mux, slog.New(slog.DiscardHandler), time.Now, obs)
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tc.method, tc.path, nil))
			if len(obs.got) != 1 || obs.got[0] != tc.want {
				t.Fatalf("observed %+v, want one %+v", obs.got, tc.want)
			}
		})
	}
}

// A handler that takes the connection over and closes it sent no answer:
// the log and the observer say status 0, not a 200.
func TestHijackedRequestHasNoStatus(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	obs := &statusObserver{done: make(chan struct{})}
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Route(r, "/drop")
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
	}), log, time.Now, obs)
	srv := httptest.NewServer(h)
	defer srv.Close()
	if resp, err := http.Get(srv.URL + "/drop"); err == nil {
		resp.Body.Close()
		t.Fatal("a dropped connection gave an answer")
	}
	// The server does not wait for a hijacked handler; the observer hears
	// from it after the access line is written.
	select {
	case <-obs.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the request was never observed")
	}
	var line struct{ Status *int }
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil || line.Status == nil ||
		*line.Status != 0 {
		t.Fatalf("access line %s, want status 0", logs.String())
	}
	if got := obs.statuses(); len(got) != 1 || got[0] != 0 {
		t.Fatalf("observed %v, want [0]", got)
	}
}

type statusObserver struct {
	mu   sync.Mutex
	got  []int
	done chan struct{} // closed at the first request
}

func (o *statusObserver) ObserveRequest(_, _ string, status int, _ time.Duration) {
	o.mu.Lock()
	o.got = append(o.got, status)
	if len(o.got) == 1 {
		close(o.done)
	}
	o.mu.Unlock()
}

func (o *statusObserver) statuses() []int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]int(nil), o.got...)
}
