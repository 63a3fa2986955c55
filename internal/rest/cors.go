package rest

import (
	"net/http"
	"strings"
)

// CORS for browser clients (case C12). Only configured origins get an
// Access-Control-Allow-Origin; a preflight is answered here, before any
// token is looked at, because browsers send it without credentials.

const (
	corsMethods = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
	// corsHeaders are the request headers a browser client may send.
	corsHeaders = "authorization, accept, content-type, range, x-requested-with"
	corsMaxAge  = "600"
)

var corsAllowed = func() map[string]bool {
	m := map[string]bool{}
	for h := range strings.SplitSeq(corsHeaders, ",") {
		m[strings.TrimSpace(h)] = true
	}
	return m
}()

// corsHeaders sets the CORS answer headers for an allowed origin, and
// reports whether the request was a preflight it has answered.
func (h *Handler) corsHeaders(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	hdr := w.Header()
	if origin != "" {
		// Answers differ by origin, so shared caches must keep them apart.
		hdr.Add("Vary", "Origin")
	}
	allowed := origin != "" && h.cors[origin]
	if allowed {
		hdr.Set("Access-Control-Allow-Origin", origin)
		hdr.Set("Access-Control-Expose-Headers", "Content-Range")
	}
	if !preflight {
		return false
	}
	if allowed {
		hdr.Set("Access-Control-Allow-Methods", corsMethods)
		hdr.Set("Access-Control-Allow-Headers", allowedRequestHeaders(
			r.Header.Get("Access-Control-Request-Headers")))
		hdr.Set("Access-Control-Max-Age", corsMaxAge)
	}
	// A disallowed origin gets a 204 too, but without the headers that
	// would let the browser go on.
	w.WriteHeader(http.StatusNoContent)
	return true
}

// allowedRequestHeaders echoes the asked headers that are allowed, in
// lower case, or the whole allowed list when none were asked.
func allowedRequestHeaders(asked string) string {
	var out []string
	for a := range strings.SplitSeq(asked, ",") {
		a = strings.ToLower(strings.TrimSpace(a))
		if corsAllowed[a] {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return corsHeaders
	}
	return strings.Join(out, ", ")
}
