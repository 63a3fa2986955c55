package admin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// observe runs one request through the faults and records it in the
// journal.
func (a *Admin) observe(w http.ResponseWriter, r *http.Request, next http.Handler) {
	start := time.Now() // for the duration only; the entry's time is the clock's
	e := Entry{Time: a.clock.Now(), Method: r.Method, Path: r.URL.Path,
		Query: redactQuery(r.URL.RawQuery)}
	form := peekForm(r)
	caller, hasCaller := Caller{}, false
	if r.Header.Get("Authorization") != "" {
		caller, hasCaller = a.caller(r)
	}
	e.ClientID = clientID(r, form, caller)
	rec := &statusRecorder{ResponseWriter: w}
	var dropped io.Closer // a dropped request's connection, closed once recorded
	// TODO: an answer bigger than net/http's write buffers (a few KiB)
	// can reach its client before this entry is in the journal, so a
	// client that reads the journal the moment such an answer is complete
	// may not find it yet. Smaller answers, faults and drops are recorded
	// before their client sees them.
	defer func() {
		p := recover()
		switch {
		case rec.dropped || p == http.ErrAbortHandler:
			e.Status = 0
		case p != nil:
			e.Status = http.StatusInternalServerError // what httpx answers a panic
		case rec.status == 0:
			e.Status = http.StatusOK
		default:
			e.Status = rec.status
		}
		e.DurationMS = float64(time.Since(start).Microseconds()) / 1000
		a.journal.add(e)
		// Only now, so that a client that sees the drop finds it in the
		// journal at once.
		if dropped != nil {
			_ = dropped.Close()
		}
		if p != nil {
			panic(p)
		}
	}()

	revoke := false
	for _, f := range a.faults.pick(r.Method, r.URL.Path) {
		e.Faults = append(e.Faults, f.Kind)
		switch f.Kind {
		case KindLatency:
			if !wait(r.Context(), f.latency) {
				rec.dropped = true // the client left; nothing to answer
				return
			}
		case KindRevoke:
			revoke = true
		case KindStatus, KindRateLimit:
			answerFault(rec, r, f)
			return
		case KindDrop:
			rec.dropped = true
			dropped = hijack(rec)
			return
		}
	}
	next.ServeHTTP(rec, r)
	// After the answer, so that this request is served as usual and the
	// caller's next one finds its tokens revoked: a session ended under a
	// client that is using it.
	if revoke {
		a.revoke(r, form, caller, hasCaller)
	}
}

// wait waits d, or less when the request is given up; it reports whether
// the whole d passed.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// hijack takes over the connection under the request, for a drop: the
// caller closes it without an answer. Where it cannot be taken over
// (HTTP/2), aborting the handler resets the stream.
func hijack(w http.ResponseWriter) io.Closer {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return conn
}

// answerFault writes a status or rate-limit fault's answer, in the body
// the route's clients expect: OAuth2's on /oauth2/, the REST API's
// elsewhere.
func answerFault(w http.ResponseWriter, r *http.Request, f Fault) {
	h := w.Header()
	if f.Kind == KindRateLimit {
		h.Set("Retry-After", retryAfter(f))
	}
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	var body any
	if strings.HasPrefix(r.URL.Path, "/oauth2/") {
		// As the token endpoint does: a client that authenticated with
		// Basic is told the scheme again with its 401 (RFC 6749 5.2).
		if _, _, basic := r.BasicAuth(); basic && f.Status == http.StatusUnauthorized {
			h.Set("WWW-Authenticate", `Basic realm="opensom"`)
		}
		body = struct {
			Description string `json:"error_description"`
			Code        string `json:"error"`
		}{"Fault injected by opensom", oauthCode(f.Status)}
	} else {
		if f.Status == http.StatusUnauthorized {
			h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		}
		body = struct {
			Code       int               `json:"code"`
			Reason     string            `json:"reason"`
			Message    string            `json:"message"`
			Parameters map[string]string `json:"applicationErrorParameters"`
		}{f.Status, http.StatusText(f.Status), "Fault injected by opensom", map[string]string{}}
	}
	writeJSON(w, f.Status, body)
}

// oauthCode is the RFC 6749 error code closest to a status.
func oauthCode(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "invalid_client"
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return "temporarily_unavailable"
	case status >= 500:
		return "server_error"
	}
	return "invalid_request"
}

// revoke revokes the token family of the caller: the bearer token's, or
// that of the refresh token in a token request. A request with neither
// has nothing to revoke.
func (a *Admin) revoke(r *http.Request, form url.Values, c Caller, ok bool) {
	family := c.FamilyID
	if !ok {
		raw := form.Get("refresh_token")
		if raw == "" {
			return
		}
		// The store names refresh tokens by this hash (auth's hashToken).
		sum := sha256.Sum256([]byte(raw))
		t, err := a.store.RefreshToken(r.Context(), hex.EncodeToString(sum[:]))
		if err != nil {
			return // unknown or gone: the grant will say so itself
		}
		family = t.FamilyID
	}
	if err := a.store.RevokeFamily(r.Context(), family, a.clock.Now()); err != nil {
		a.log.Error("revoke fault failed", "err", err, "route", r.URL.Path)
	}
}

// clientID is the OAuth2 client of a request, when it says: the bearer
// token's, the form's client_id, or the Basic user name.
func clientID(r *http.Request, form url.Values, c Caller) string {
	if c.ClientID != "" {
		return c.ClientID
	}
	if id := form.Get("client_id"); id != "" {
		return id
	}
	if user, _, ok := r.BasicAuth(); ok {
		if id, err := url.QueryUnescape(user); err == nil {
			return id
		}
	}
	return ""
}

// maxPeek bounds the form read ahead of the handler; token requests are
// far smaller.
const maxPeek = 64 << 10

// peekForm reads a urlencoded POST body ahead of the handler and puts it
// back, so the handler reads it as sent. A bigger body is put back
// unread and yields nothing.
func peekForm(r *http.Request) url.Values {
	ct := r.Header.Get("Content-Type")
	if r.Method != http.MethodPost || r.Body == nil ||
		!strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return url.Values{}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxPeek+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
	if err != nil || len(b) > maxPeek {
		return url.Values{}
	}
	v, _ := url.ParseQuery(string(b))
	return v
}

// statusRecorder notes the status an answer had.
type statusRecorder struct {
	http.ResponseWriter
	status  int
	dropped bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection, for drop.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
