// Package admin is opensom's sandbox control surface under /_opensom/: the
// clock, injected faults, the journal of requests received, a reset to
// the demo world or the world file, the demo accounts, the school data
// edited one entity at a time, and named snapshots. It is closed (every /_opensom/
// path is a 404, and no journal or fault costs anything) unless an admin
// token is configured, and then it answers only to that token.
package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/clock"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/world"
)

// Prefix is where the admin API lives; faults and the journal leave it
// alone, so a test can always reach it and its own calls do not crowd
// out its client's.
const Prefix = "/_opensom/"

// Caller is who a request's bearer token speaks for, as far as the admin
// needs it.
type Caller struct {
	FamilyID string
	ClientID string
}

// Options are what an Admin needs. Token empty keeps the admin closed.
type Options struct {
	Token string
	Clock *clock.Clock
	Store school.Store
	// World makes the world that reset imports. A *world.Errors from it
	// (a world file changed since the start, with problems now) answers
	// 400 with the problems and resets nothing.
	World func() (*school.World, error)
	// Caller reads the caller of a request from its bearer token; ok is
	// false when there is none or it is not valid.
	Caller func(r *http.Request) (c Caller, ok bool)
	Log    *slog.Logger
	// JournalSize bounds the journal; zero is DefaultJournalSize.
	JournalSize int
	// PasswordCost hashes the passwords of accounts the admin makes; zero
	// is passwd.Demo, the demo world's.
	PasswordCost passwd.Params
}

// DefaultJournalSize is how many requests the journal keeps.
const DefaultJournalSize = 10000

// Admin is the admin API and its middleware. It is safe for concurrent use.
type Admin struct {
	tokenSum [32]byte
	open     bool
	clock    *clock.Clock
	store    school.Store
	world    func() (*school.World, error)
	caller   func(r *http.Request) (Caller, bool)
	log      *slog.Logger
	faults   *faultList
	journal  *journal
	cost     passwd.Params
	mux      *http.ServeMux
}

// New builds an Admin. Clock, Store and World are required when Token is
// set.
func New(o Options) (*Admin, error) {
	a := &Admin{open: o.Token != "", tokenSum: sha256.Sum256([]byte(o.Token)),
		clock: o.Clock, store: o.Store, world: o.World, caller: o.Caller, log: o.Log,
		faults: &faultList{}, journal: newJournal(o.JournalSize), cost: o.PasswordCost}
	if a.cost == (passwd.Params{}) {
		a.cost = passwd.Demo
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.caller == nil {
		a.caller = func(*http.Request) (Caller, bool) { return Caller{}, false }
	}
	if a.open && (a.clock == nil || a.store == nil || a.world == nil) {
		return nil, errors.New("admin: a clock, a store and a world are required")
	}
	a.routes()
	return a, nil
}

func (a *Admin) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /_opensom/clock", a.getClock)
	m.HandleFunc("PUT /_opensom/clock", a.putClock)
	m.HandleFunc("GET /_opensom/faults", a.listFaults)
	m.HandleFunc("POST /_opensom/faults", a.addFault)
	m.HandleFunc("DELETE /_opensom/faults", a.clearFaults)
	m.HandleFunc("DELETE /_opensom/faults/{id}", a.deleteFault)
	m.HandleFunc("GET /_opensom/journal", a.getJournal)
	m.HandleFunc("DELETE /_opensom/journal", a.clearJournal)
	m.HandleFunc("POST /_opensom/reset", a.reset)
	m.HandleFunc("GET /_opensom/accounts", a.accounts)
	if a.store != nil {
		// A closed admin may have no store, and serves no route anyway.
		a.editRoutes(m)
	}
	a.mux = m
}

// IsAdminPath reports whether p is under /_opensom.
func IsAdminPath(p string) bool {
	return p == strings.TrimSuffix(Prefix, "/") || strings.HasPrefix(p, Prefix)
}

// Wrap serves the admin API and puts the journal and the faults around
// next. A closed admin passes every other request straight to next.
func (a *Admin) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if IsAdminPath(r.URL.Path) {
			a.serveAdmin(w, r)
			return
		}
		if !a.open {
			next.ServeHTTP(w, r)
			return
		}
		a.observe(w, r, next)
	})
}

func (a *Admin) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !a.open {
		http.NotFound(w, r)
		return
	}
	if !a.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="opensom-admin"`)
		writeJSON(w, http.StatusUnauthorized,
			errorBody{Error: "send Authorization: Bearer <admin token>"})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	a.mux.ServeHTTP(w, r)
}

// authorized compares the bearer token with the admin token in constant
// time; hashing both first hides the length too.
func (a *Admin) authorized(r *http.Request) bool {
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(raw)))
	return subtle.ConstantTimeCompare(sum[:], a.tokenSum[:]) == 1
}

// errorBody is every admin error: what is wrong and, for bad input, the
// field that is.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
	// Problems are a world file's problems, "file:line: field: message".
	Problems []string `json:"problems,omitempty"`
}

// fieldError is bad input in one field; it becomes a 400.
type fieldError struct {
	field, msg string
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

func badField(w http.ResponseWriter, err *fieldError) {
	writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error(), Field: err.field})
}

// badParam is the first query parameter of r that is not one of known.
// A filter the admin does not know is refused, not ignored: ignored, a
// GET would answer everything and a DELETE would delete everything.
func badParam(r *http.Request, known ...string) *fieldError {
	for _, k := range slices.Sorted(maps.Keys(r.URL.Query())) {
		if !slices.Contains(known, k) {
			return &fieldError{field: k, msg: "unknown parameter"}
		}
	}
	return nil
}

// maxBody bounds an admin request body; none needs more.
const maxBody = 64 << 10

// decode reads a JSON object strictly into v: an unknown field, a wrong
// type or trailing data is a fieldError naming the field (or "body").
func decode(r *http.Request, v any) *fieldError {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var (
		te      *json.UnmarshalTypeError
		tooLong *http.MaxBytesError
	)
	switch {
	case err == nil:
		// Only the end of the body will do: dec.More would let a stray "}"
		// or "]" after the object pass.
		_, err := dec.Token()
		if errors.As(err, &tooLong) {
			return &fieldError{field: "body", msg: "larger than 64 KiB"}
		}
		if !errors.Is(err, io.EOF) {
			return &fieldError{field: "body", msg: "want one JSON object and nothing after it"}
		}
		return nil
	case errors.As(err, &tooLong):
		return &fieldError{field: "body", msg: "larger than 64 KiB"}
	case errors.As(err, &te) && te.Field == "":
		// The body itself is not an object (an array, a string, a number).
		return &fieldError{field: "body", msg: "want a JSON object"}
	case errors.As(err, &te):
		return &fieldError{field: te.Field, msg: "want " + jsonKind(te.Type)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &fieldError{field: name, msg: "unknown field"}
	case errors.Is(err, io.EOF):
		return &fieldError{field: "body", msg: "want a JSON object, got nothing"}
	}
	return &fieldError{field: "body", msg: "not valid JSON"}
}

// jsonKind names what a Go type is on the wire, for a client who never
// saw the Go side.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "an object"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// internal answers 500 and logs the cause once, here.
func (a *Admin) internal(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("admin request failed", "err", err, "route", r.Pattern,
		"status", http.StatusInternalServerError)
	writeJSON(w, http.StatusInternalServerError, errorBody{Error: "internal error"})
}

// clockJSON is the clock on the wire.
type clockJSON struct {
	Mode   clock.Mode `json:"mode"`
	At     string     `json:"at,omitempty"`
	Offset string     `json:"offset,omitempty"`
	Now    string     `json:"now"`
}

func (a *Admin) clockAnswer() clockJSON {
	s := a.clock.State()
	out := clockJSON{Mode: s.Mode, Now: a.clock.Now().Format(time.RFC3339Nano)}
	switch s.Mode {
	case clock.Frozen:
		out.At = s.At.Format(time.RFC3339Nano)
	case clock.Offset:
		out.Offset = s.Offset.String()
	}
	return out
}

func (a *Admin) getClock(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.clockAnswer())
}

func (a *Admin) putClock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Mode   *string `json:"mode"`
		At     *string `json:"at"`
		Offset *string `json:"offset"`
	}
	if err := decode(r, &in); err != nil {
		badField(w, err)
		return
	}

	st, ferr := clockState(in.Mode, in.At, in.Offset)
	if ferr != nil {
		badField(w, ferr)
		return
	}

	if err := a.clock.Set(st); err != nil {
		badField(w, &fieldError{field: "mode", msg: err.Error()})
		return
	}
	a.log.Info("clock set", "route", r.Pattern, "mode", string(st.Mode))
	writeJSON(w, http.StatusOK, a.clockAnswer())
}

// maxOffset bounds an offset clock to about a century either way, inside
// the years the API can write.
const maxOffset = 100 * 365 * 24 * time.Hour

// clockState checks the fields of a PUT /_opensom/clock: the mode, and
// exactly the field that mode needs.
func clockState(mode, at, offset *string) (clock.State, *fieldError) {
	if mode == nil {
		return clock.State{}, &fieldError{field: "mode", msg: "required: real, frozen or offset"}
	}
	st := clock.State{Mode: clock.Mode(*mode)}
	switch st.Mode {
	case clock.Real:
	case clock.Frozen:
		if at == nil {
			return st, &fieldError{field: "at", msg: "required for mode frozen (RFC 3339)"}
		}
		t, err := time.Parse(time.RFC3339Nano, *at)
		if err != nil {
			return st, &fieldError{field: "at", msg: "want an RFC 3339 time"}
		}
		// The years the edit calls take, so that every time the clock
		// stamps on a record is one the API can write.
		if t.Year() < 1900 || t.Year() > 2200 {
			return st, &fieldError{field: "at", msg: "want a year from 1900 to 2200"}
		}
		st.At = t
	case clock.Offset:
		if offset == nil {
			return st, &fieldError{field: "offset", msg: `required for mode offset ("-36h")`}
		}
		d, err := time.ParseDuration(*offset)
		if err != nil {
			return st, &fieldError{field: "offset", msg: `want a duration such as "-36h" or "90m"`}
		}
		if d > maxOffset || d < -maxOffset {
			return st, &fieldError{field: "offset", msg: "want at most 100 years either way"}
		}
		st.Offset = d
	default:
		return st, &fieldError{field: "mode", msg: "want real, frozen or offset"}
	}
	if at != nil && st.Mode != clock.Frozen {
		return st, &fieldError{field: "at", msg: "only for mode frozen"}
	}
	if offset != nil && st.Mode != clock.Offset {
		return st, &fieldError{field: "offset", msg: "only for mode offset"}
	}
	return st, nil
}

// reset wipes the school data and imports the world that Options.World
// makes again: the world file's, or the demo world of the server's seed.
//
// SeedSourcePrefix starts the world Source of a database that `opensom
// seed` filled; the rest is that command's flags.
const SeedSourcePrefix = "opensom seed "

// reset refuses a database that `opensom seed` filled: the server cannot
// make that world again, and replacing it with the demo world would lose
// it without a word.
//
// TODO: a reset of a seeded world would need the generator streamed into
// the store under the server (minutes for 100,000 pupils); until then the
// answer names the command that makes it again.
func (a *Admin) reset(w http.ResponseWriter, r *http.Request) {
	src, err := a.store.WorldSource(r.Context())
	if err != nil {
		a.internal(w, r, err)
		return
	}
	if strings.HasPrefix(src, SeedSourcePrefix) {
		writeJSON(w, http.StatusConflict, errorBody{Error: "this database was filled by `" +
			src + "`; the server cannot reset it: stop it and run that command with " +
			"--replace and the same --db, or save a snapshot of a small world and restore it"})
		return
	}

	next, err := a.world()
	var bad *world.Errors
	if errors.As(err, &bad) {
		// The file was changed since the start and has problems now: the
		// caller's to fix, and the world stays as it is.
		a.log.Warn("reset refused: the world file has problems", "route", r.Pattern,
			"status", http.StatusBadRequest, "problems", len(bad.Problems)+bad.More)
		writeJSON(w, http.StatusBadRequest, errorBody{Problems: bad.Lines(),
			Error: "the world file " + bad.File + " has problems; nothing was reset"})
		return
	}
	if err != nil {
		a.internal(w, r, err)
		return
	}
	if err := a.store.Reset(r.Context(), next); err != nil {
		a.internal(w, r, err)
		return
	}
	a.log.Info("world reset", "route", r.Pattern, "schools", len(next.Schools),
		"pupils", len(next.Pupils))
	writeJSON(w, http.StatusOK, map[string]int{"schools": len(next.Schools),
		"pupils": len(next.Pupils), "accounts": len(next.Accounts)})
}

func (a *Admin) accounts(w http.ResponseWriter, r *http.Request) {
	list, err := ListAccounts(r.Context(), a.store)
	if err != nil {
		a.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}
