// Package opensomtest starts an opensom server inside a Go test, as
// net/http/httptest starts a handler: a school system with the demo world
// of a seed, on an in-memory database of its own, with its admin API open
// to the test. Point the client under test at URL, log in with the demo
// accounts, and shape the sandbox with the admin calls: move the clock,
// inject faults, read the journal of requests, reset the world. The server
// stops when the test ends.
//
//	srv := opensomtest.New(t)
//	pupil := srv.Account(t, opensomtest.RolePupil)
//	client := mylib.New(srv.URL, pupil.TenantUUID, pupil.Username, pupil.Password)
//
// Every method takes the test and fails it on an unexpected answer, so a
// test reads as a list of steps.
package opensomtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/clock"
	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/server"
)

// The roles of the demo accounts.
const (
	RolePupil  = "leerling"
	RoleParent = "ouder"
	RoleStaff  = "medewerker"
	RoleAdmin  = "beheerder"
)

// LegacyClientID is the client id of the password grant, as the older
// apps and most libraries send it.
const LegacyClientID = "D50E0C06-32D1-4B41-A137-A9A850C892C2"

// Account is a demo account, as `opensom accounts --json` lists it.
type Account = admin.Account

// Entry is one request in the journal.
type Entry = admin.Entry

// Fault is a fault to inject; see AddFault. Route is an exact path, a
// pattern whose "*" is one segment, or a prefix ending in "/*". Kind is
// "latency" (Latency such as "2s"), "status" (Status), "rate_limit"
// (RetryAfter seconds), "revoke" (the caller's tokens) or "drop" (the
// connection). Probability 0 is 1: always; Count 0 is no limit.
type Fault struct {
	ID          string  `json:"id,omitempty"`
	Route       string  `json:"route"`
	Method      string  `json:"method,omitempty"`
	Kind        string  `json:"kind"`
	Probability float64 `json:"probability,omitempty"`
	Count       int     `json:"count,omitempty"`
	Seed        *int64  `json:"seed,omitempty"`
	Latency     string  `json:"latency,omitempty"`
	Status      int     `json:"status,omitempty"`
	RetryAfter  int     `json:"retry_after,omitempty"`
	Applied     int     `json:"applied,omitempty"`
}

// Tokens is the token endpoint's answer.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
	ExpiresIn    int    `json:"expires_in"`
}

// Option changes how New starts the server.
type Option func(*options)

type options struct {
	seed  int64
	scale int
	world string    // a world file instead of the demo world
	start time.Time // frozen clock from the start; zero: real time
	log   io.Writer
}

// WithSeed picks the demo world's seed; the default is opensom's.
func WithSeed(seed int64) Option { return func(o *options) { o.seed = seed } }

// WithScale multiplies the pupils of every class (1 to 20).
func WithScale(n int) Option { return func(o *options) { o.scale = n } }

// WithWorldFile serves the world described in a world file (see the
// project's docs/world-files.md) instead of the demo world; Reset reads
// the file again. A file with problems fails the test with each of them.
func WithWorldFile(path string) Option { return func(o *options) { o.world = path } }

// WithFrozenClock starts the server's clock frozen at at, so that the
// demo world (its school year and lesson dates) and every token time are
// the same on every run.
func WithFrozenClock(at time.Time) Option { return func(o *options) { o.start = at } }

// WithLog sends the server's log (warnings and errors) to w; by default
// it goes to the test's output.
func WithLog(w io.Writer) Option { return func(o *options) { o.log = w } }

// Server is an opensom server running for one test.
type Server struct {
	// URL is the server's base URL, the part a client replaces the real
	// service's address with: URL+"/oauth2/token", URL+"/rest/v1/...".
	URL string
	// AdminToken opens /_opensom/ for callers outside this package.
	AdminToken string

	http *http.Client
}

// New starts an opensom server on a new in-memory database with the demo
// world (or WithWorldFile's), and stops it when t ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	o := options{seed: config.DefaultSeed, scale: 1, log: t.Output()}
	for _, f := range opts {
		f(&o)
	}
	clk := clock.New(time.Now)
	if !o.start.IsZero() {
		if err := clk.Set(clock.State{Mode: clock.Frozen, At: o.start}); err != nil {
			t.Fatalf("opensomtest: %v", err)
		}
	}
	ts := httptest.NewUnstartedServer(nil)
	cfg := config.Default()
	cfg.DB, cfg.Seed, cfg.Scale, cfg.World = ":memory:", o.seed, o.scale, o.world
	cfg.PublicURL = "http://" + ts.Listener.Addr().String()
	cfg.AdminToken = newToken(t)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("opensomtest: %v", err)
	}

	log := slog.New(slog.NewTextHandler(o.log, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx := context.Background()
	start := clk.Now()
	st, err := server.OpenStore(ctx, cfg, log, start)
	if err != nil {
		t.Fatalf("opensomtest: %v", err)
	}
	h, err := server.Handler(ctx, server.Options{Config: cfg, Store: st, Log: log,
		Now: clk.Now, Clock: clk, DemoNow: start})
	if err != nil {
		st.Close()
		t.Fatalf("opensomtest: %v", err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		if err := st.Close(); err != nil {
			t.Errorf("opensomtest: close store: %v", err)
		}
	})
	return &Server{URL: ts.URL, AdminToken: cfg.AdminToken, http: ts.Client()}
}

func newToken(t testing.TB) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("opensomtest: %v", err)
	}
	return hex.EncodeToString(b[:])
}

// Client is an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.http }

// Accounts lists every account with the pupils it may read; demo accounts
// carry their password.
func (s *Server) Accounts(t testing.TB) []Account {
	t.Helper()
	var out []Account
	s.Admin(t, "GET", "accounts", nil, http.StatusOK, &out)
	return out
}

// Account is the first demo account of role (RolePupil, ...) of the first
// school that has one. The demo's first pupil has grades on at least three
// pages of 100.
func (s *Server) Account(t testing.TB, role string) Account {
	t.Helper()
	for _, a := range s.Accounts(t) {
		if string(a.Role) == role && a.Password != nil {
			return a
		}
	}
	t.Fatalf("opensomtest: no demo account of role %q", role)
	return Account{}
}

// Login logs a in with the password grant and returns its tokens.
func (s *Server) Login(t testing.TB, a Account) Tokens {
	t.Helper()
	if a.Password == nil {
		t.Fatalf("opensomtest: account %s has no demo password", a.Username)
	}
	form := url.Values{"grant_type": {"password"}, "client_id": {LegacyClientID},
		"username": {a.TenantUUID + `\` + a.Username}, "password": {*a.Password},
		"scope": {"openid"}}
	resp, err := s.http.PostForm(s.URL+"/oauth2/token", form)
	if err != nil {
		t.Fatalf("opensomtest: login: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("opensomtest: login %s: %d %s", a.Username, resp.StatusCode, body)
	}
	var tok Tokens
	if err := json.Unmarshal(body, &tok); err != nil {
		t.Fatalf("opensomtest: login %s: %v", a.Username, err)
	}
	return tok
}

// Clock is the server's clock: its mode and what it says now.
type Clock struct {
	Mode   string    `json:"mode"` // "real", "frozen" or "offset"
	At     time.Time `json:"at"`
	Offset string    `json:"offset"`
	Now    time.Time `json:"now"`
}

// Now is the server's time.
func (s *Server) Now(t testing.TB) time.Time {
	t.Helper()
	var c Clock
	s.Admin(t, "GET", "clock", nil, http.StatusOK, &c)
	return c.Now
}

// Freeze stops the server's clock at at: token lifetimes, lockouts and
// "today" all follow it.
func (s *Server) Freeze(t testing.TB, at time.Time) {
	t.Helper()
	s.Admin(t, "PUT", "clock", map[string]string{"mode": "frozen",
		"at": at.Format(time.RFC3339Nano)}, http.StatusOK, nil)
}

// Advance moves the server's clock d ahead of where it is now, and keeps
// it frozen there. Advance past the access token lifetime (an hour) and
// the client's token has expired.
func (s *Server) Advance(t testing.TB, d time.Duration) {
	t.Helper()
	s.Freeze(t, s.Now(t).Add(d))
}

// RealTime sets the server's clock back to real time.
func (s *Server) RealTime(t testing.TB) {
	t.Helper()
	s.Admin(t, "PUT", "clock", map[string]string{"mode": "real"}, http.StatusOK, nil)
}

// AddFault injects f and returns it with its id.
func (s *Server) AddFault(t testing.TB, f Fault) Fault {
	t.Helper()
	var out Fault
	s.Admin(t, "POST", "faults", f, http.StatusCreated, &out)
	return out
}

// Faults lists the injected faults, with how often each acted.
func (s *Server) Faults(t testing.TB) []Fault {
	t.Helper()
	var out struct{ Faults []Fault }
	s.Admin(t, "GET", "faults", nil, http.StatusOK, &out)
	return out.Faults
}

// RemoveFault removes one fault; ClearFaults removes all.
func (s *Server) RemoveFault(t testing.TB, id string) {
	t.Helper()
	s.Admin(t, "DELETE", "faults/"+url.PathEscape(id), nil, http.StatusNoContent, nil)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults(t testing.TB) {
	t.Helper()
	s.Admin(t, "DELETE", "faults", nil, http.StatusNoContent, nil)
}

// Journal lists the requests the server received, oldest first, except
// the admin calls; pathPrefix "" lists all.
func (s *Server) Journal(t testing.TB, pathPrefix string) []Entry {
	t.Helper()
	p := "journal"
	if pathPrefix != "" {
		p += "?path=" + url.QueryEscape(pathPrefix)
	}
	var out struct{ Entries []Entry }
	s.Admin(t, "GET", p, nil, http.StatusOK, &out)
	return out.Entries
}

// ClearJournal empties the journal.
func (s *Server) ClearJournal(t testing.TB) {
	t.Helper()
	s.Admin(t, "DELETE", "journal", nil, http.StatusNoContent, nil)
}

// Reset brings the demo world back as New made it: every change, token,
// login counter and lockout is gone. Faults and the clock stay as set.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	s.Admin(t, "POST", "reset", nil, http.StatusOK, nil)
}

// EnterGrade has a teacher enter value ("7,5", "10" or a label such as
// "V") for a pupil in a subject, with the defaults of POST
// /_opensom/grades for the rest (weight, column, date; Admin sets them),
// and returns the grade's id. The REST API shows it at once.
func (s *Server) EnterGrade(t testing.TB, pupilID, subjectID int64, value string) int64 {
	t.Helper()
	var out struct{ ID int64 }
	s.Admin(t, "POST", "grades", map[string]any{"pupil_id": pupilID, "subject_id": subjectID,
		"value": value}, http.StatusCreated, &out)
	return out.ID
}

// CancelLesson cancels a lesson: it keeps its id and times and shows as
// cancelled (VERVALLEN) in both timetables.
func (s *Server) CancelLesson(t testing.TB, lessonID int64) {
	t.Helper()
	s.Admin(t, "POST", fmt.Sprintf("lessons/%d/cancel", lessonID), nil, http.StatusOK, nil)
}

// Snapshot saves the school data under name; Restore brings it back.
// Logged-in clients stay logged in.
func (s *Server) Snapshot(t testing.TB, name string) {
	t.Helper()
	// 201 for a new name, 200 when it replaces a snapshot of that name.
	s.call(t, "POST", "snapshots/"+url.PathEscape(name), nil, nil, func(status int) bool {
		return status == http.StatusCreated || status == http.StatusOK
	})
}

// Restore brings back the school data saved under name.
func (s *Server) Restore(t testing.TB, name string) {
	t.Helper()
	s.Admin(t, "POST", "snapshots/"+url.PathEscape(name)+"/restore", nil, http.StatusOK, nil)
}

// Admin calls the admin API at /_opensom/<path> with body as JSON (nil:
// none), fails t unless the answer has status want, and decodes the
// answer into out (nil: not read). It reaches every admin call, also
// those this package has no method for.
func (s *Server) Admin(t testing.TB, method, path string, body any, want int, out any) {
	t.Helper()
	s.call(t, method, path, body, out, func(status int) bool { return status == want })
}

// call is Admin with any set of statuses that are right.
func (s *Server) call(t testing.TB, method, path string, body, out any,
	right func(status int) bool) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("opensomtest: %s %s: %v", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+admin.Prefix+strings.TrimPrefix(path, "/"), rd)
	if err != nil {
		t.Fatalf("opensomtest: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.AdminToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatalf("opensomtest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !right(resp.StatusCode) {
		t.Fatalf("opensomtest: %s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("opensomtest: %s %s: %v", method, path, fmt.Errorf("decode %s: %w", b, err))
	}
}
