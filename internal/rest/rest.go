// Package rest serves the per-school REST API under /rest/v1 and the
// school list: routing, the entity envelope, Range paging, additional
// objects, JSON and XML, and the one place where errors become answers.
// It reads through school.Store and decides visibility through access; it
// never touches a database driver.
package rest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/auth"
	"github.com/opensom/opensom/internal/httpx"
	"github.com/opensom/opensom/internal/school"
)

// Authenticator checks the bearer token of a request.
type Authenticator interface {
	Authenticate(r *http.Request) (auth.Principal, error)
}

// Options configure a Handler.
type Options struct {
	Store     school.Store
	Auth      Authenticator
	Log       *slog.Logger
	Now       func() time.Time
	PublicURL string // origin of every href; no trailing slash
	// CacheBytes bounds the cache of finished answers; 0 takes 64 MiB and a
	// negative value turns the cache off.
	CacheBytes int
	// AllowedOrigins are the browser origins that may call the API (CORS,
	// --cors-origins); nil allows the official web app's origin only.
	AllowedOrigins []string
}

// DefaultOrigins is the official pupil web app's origin.
var DefaultOrigins = []string{"https://leerling.somtoday.nl"}

// Handler serves /rest/v1/ and /organisaties.json.
type Handler struct {
	store  school.Store
	auth   Authenticator
	log    *slog.Logger
	now    func() time.Time
	base   string
	routes []route
	cache  *answerCache
	cors   map[string]bool
}

// New builds the handler and its route table.
func New(o Options) *Handler {
	h := &Handler{store: o.Store, auth: o.Auth, log: o.Log, now: o.Now,
		base: strings.TrimRight(o.PublicURL, "/")}
	h.routes = h.table()
	origins := o.AllowedOrigins
	if origins == nil {
		origins = DefaultOrigins
	}
	h.cors = map[string]bool{}
	for _, og := range origins {
		h.cors[strings.TrimRight(og, "/")] = true
	}
	switch {
	case o.CacheBytes == 0:
		h.cache = newAnswerCache(64 << 20)
	case o.CacheBytes > 0:
		h.cache = newAnswerCache(o.CacheBytes)
	}
	return h
}

// Register mounts the handler on mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.Handle("/rest/v1/", h)
	mux.HandleFunc("GET /organisaties.json", h.organisaties)
	mux.HandleFunc("OPTIONS /organisaties.json", h.preflight)
}

// preflight answers a CORS preflight for a path outside /rest/v1/, and
// any other OPTIONS with the methods there are.
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request) {
	if h.corsHeaders(w, r) {
		return
	}
	w.Header().Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// call is what a route handler gets: who asks, the path parameters, the
// query and the negotiated format.
type call struct {
	v      access.Viewer
	params []string
	query  url.Values
	format format
	r      *http.Request
}

func (c *call) ctx() context.Context { return c.r.Context() }

type handlerFunc func(w http.ResponseWriter, c *call) error

// route is one method and path pattern; "{}" segments are numeric
// parameters and "{s}" segments any text. An anonymous route is a
// capability URL: it needs no token and writes its own answer.
type route struct {
	method  string
	pattern string
	segs    []string
	serve   handlerFunc
	anon    func(w http.ResponseWriter, r *http.Request, params []string) error
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.corsHeaders(w, r) {
		return // a preflight, answered
	}

	rt, params, matchErr := h.match(r)
	if matchErr == nil && rt.anon != nil {
		httpx.Route(r, rt.pattern)
		if err := rt.anon(w, r, params); err != nil {
			h.fail(w, r, formatJSON, err)
		}
		return
	}

	f, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		h.fail(w, r, formatJSON, errNoAccept)
		return
	}
	if matchErr != nil {
		h.fail(w, r, f, matchErr)
		return
	}
	httpx.Route(r, rt.pattern)

	p, err := h.auth.Authenticate(r)
	if err != nil {
		h.fail(w, r, f, authError(err))
		return
	}

	key, err := h.cacheKey(r, p, f)
	if err != nil {
		h.fail(w, r, f, err)
		return
	}
	if a, ok := h.cache.get(key); ok {
		a.writeTo(w)
		return
	}

	v, err := access.Resolve(r.Context(), h.store, p.SchoolID, p.AccountID)
	if err != nil {
		h.fail(w, r, f, authError(err))
		return
	}

	c := &call{v: v, params: params, query: cleanQuery(r.URL.Query()), format: f, r: r}
	out := w
	var capt *capture
	if key != "" {
		capt = &capture{ResponseWriter: w}
		out = capt
	}
	if err := rt.serve(out, c); err != nil {
		h.fail(w, r, f, err)
		return
	}
	if capt != nil && capt.status == http.StatusOK {
		h.cache.put(key, &cachedAnswer{body: capt.body,
			contentType:  w.Header().Get("Content-Type"),
			contentRange: w.Header().Get("Content-Range")})
	}
}

// cacheKey names everything that shapes a GET answer: who asks (school and
// account, which fix what they may read), the data version, the minute
// (answers say whether a year is current or a lesson is past, so they may
// be at most a minute behind the clock), the format, the path, the query
// and the Range window. "" means: do not cache.
func (h *Handler) cacheKey(r *http.Request, p auth.Principal, f format) (string, error) {
	if h.cache == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return "", nil
	}
	ver, err := h.store.DataVersion(r.Context())
	if err != nil {
		return "", fmt.Errorf("load data version: %w", err)
	}
	win := parseRange(r.Header.Get("Range"))
	b := make([]byte, 0, 128+len(r.URL.RawQuery))
	for _, n := range []int64{int64(p.SchoolID), int64(p.AccountID), ver,
		h.now().Unix() / 60, int64(f), int64(win.first), int64(win.last)} {
		b = strconv.AppendInt(b, n, 10)
		b = append(b, '|')
	}
	b = append(b, r.URL.EscapedPath()...)
	b = append(b, '?')
	b = append(b, r.URL.RawQuery...)
	return string(b), nil
}

func authError(err error) error {
	switch {
	case err == nil:
		return nil
	case isErr(err, auth.ErrNoToken):
		return errNoToken
	case isErr(err, auth.ErrBadToken), isErr(err, school.ErrNotFound):
		// An account that no longer exists makes its token worthless.
		return errBadToken
	}
	return err
}

// match finds the route of r. Backslashes count as path separators (one
// official client builds paths with them), and a trailing slash is
// ignored.
func (h *Handler) match(r *http.Request) (route, []string, error) {
	p := r.URL.Path
	if raw := r.URL.RawPath; raw != "" {
		if dec, err := url.PathUnescape(strings.ReplaceAll(raw, "%5C", "/")); err == nil {
			p = dec
		}
	}
	p = strings.ReplaceAll(p, `\`, "/")
	p = strings.TrimPrefix(p, "/rest/v1")
	segs := strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
	var allowed []string
	for _, rt := range h.routes {
		params, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		if rt.method != r.Method && !(rt.method == http.MethodGet && r.Method == http.MethodHead) {
			allowed = append(allowed, rt.method)
			continue
		}
		return rt, params, nil
	}
	if len(allowed) > 0 {
		return route{}, nil, &methodError{allow: strings.Join(allowed, ", ")}
	}
	return route{}, nil, errNotFound
}

func matchSegs(pattern, segs []string) ([]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params []string
	for i, p := range pattern {
		if p == "{s}" {
			params = append(params, segs[i])
			continue
		}
		if p == "{}" {
			// Ids are numbers: "resultaten/huidig" is no grade id but an
			// unknown path, and clients that probe paths rely on its 404.
			if !isNumber(segs[i]) {
				return nil, false
			}
			params = append(params, segs[i])
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

func isNumber(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (h *Handler) add(method, pattern string, f handlerFunc) route {
	segs := strings.FieldsFunc(pattern, func(r rune) bool { return r == '/' })
	for i, s := range segs {
		switch {
		case s == "{uuid}" || s == "{token}":
			segs[i] = "{s}"
		case strings.HasPrefix(s, "{"):
			segs[i] = "{}"
		}
	}
	return route{method: method, pattern: "/rest/v1" + pattern, segs: segs, serve: f}
}

// addAnon adds a capability route that bypasses authentication.
func (h *Handler) addAnon(pattern string,
	f func(w http.ResponseWriter, r *http.Request, params []string) error) route {
	rt := h.add(http.MethodGet, pattern, nil)
	rt.anon = f
	return rt
}

// table is every route. Fixed segments go before parameters where both
// could match ("schooljaren/huidig" before "schooljaren/{id}").
func (h *Handler) table() []route {
	return append([]route{
		h.add("GET", "/leerlingen", h.leerlingen),
		h.add("GET", "/leerlingen/{id}", h.leerlingByID),
		h.add("GET", "/account", h.accounts),
		h.add("GET", "/account/me", h.accountMe),
		h.add("GET", "/account/{id}", h.accountByID),
		h.add("GET", "/schooljaren", h.schooljaren),
		h.add("GET", "/schooljaren/huidig", h.schooljaarHuidig),
		h.add("GET", "/schooljaren/{id}", h.schooljaarByID),
		h.add("GET", "/vakken", h.vakken),
		h.add("GET", "/vakken/{id}", h.vakByID),
		h.add("GET", "/resultaten/huidigVoorLeerling/{id}", h.resultatenVoorLeerling),
		h.add("GET", "/resultaten/{id}", h.resultaatByID),
		h.add("GET", "/afspraken", h.afspraken),
		h.add("GET", "/afspraken/{id}", h.afspraakByID),
	}, h.recordRoutes()...)
}

// cleanQuery trims the values of a query: one client sends a trailing
// space.
func cleanQuery(q url.Values) url.Values {
	for k, vs := range q {
		for i, v := range vs {
			vs[i] = strings.TrimSpace(v)
		}
		q[k] = vs
	}
	return q
}
