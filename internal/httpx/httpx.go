// Package httpx holds the middleware every opensom route shares: a request
// id, one access line per request, recovery from panics so that a bug
// answers 500 without taking the process down or leaking its text, and the
// hook through which request metrics are counted.
package httpx

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"time"
)

type ctxKey struct{}

// RequestID returns the id that Wrap gave the request, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// Route lets a handler name the route pattern it matched, so the access
// line says "/rest/v1/leerlingen/{id}" rather than a path with an id.
func Route(r *http.Request, pattern string) {
	if rec, ok := r.Context().Value(recKey{}).(*recorder); ok {
		rec.route = pattern
	}
}

type recKey struct{}

// Observer is told about every finished request, after the access line.
// route is a bounded label (see MetricRoute), never a raw path.
type Observer interface {
	ObserveRequest(route, method string, status int, d time.Duration)
}

// Wrap adds the request id (header X-Request-Id, taken from the request
// when it carries a sane one), recovery and the access line around next,
// and reports each request to the observers. now is the clock used to
// measure durations.
func Wrap(next http.Handler, log *slog.Logger, now func() time.Time,
	obs ...Observer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := now()
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			id = newID()
		}
		w.Header().Set("X-Request-Id", id)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		ctx := context.WithValue(r.Context(), ctxKey{}, id)
		ctx = context.WithValue(ctx, recKey{}, rec)
		r = r.WithContext(ctx)

		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("panic", "err", p, "request_id", id, "route", rec.routeOr(r))
				if !rec.wrote {
					rec.Header().Set("Content-Type", "application/json")
					rec.WriteHeader(http.StatusInternalServerError)
					_, _ = rec.Write([]byte(internalBody))
				}
			}
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			took := now().Sub(start)
			log.LogAttrs(r.Context(), level, "request",
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("route", rec.routeOr(r)),
				slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", took))
			if len(obs) > 0 {
				route, method := MetricRoute(r, rec.route), metricMethod(r.Method)
				for _, o := range obs {
					o.ObserveRequest(route, method, rec.status, took)
				}
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// MetricRoute is the route label of a finished request: the pattern the
// handler named with Route, else the ServeMux pattern that matched, else
// "unmatched". Unlike the access line it never falls back to the path,
// because every distinct label value is a time series kept forever.
func MetricRoute(r *http.Request, named string) string {
	switch {
	case named != "":
		return named
	case r.Pattern != "":
		return r.Pattern
	}
	return "unmatched"
}

// metricMethod keeps the method label bounded: a client may send any token.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

const internalBody = `{"code":500,"reason":"Internal Server Error",` +
	`"message":"Internal server error","applicationErrorParameters":{}}`

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
	route  string
}

func (r *recorder) routeOr(req *http.Request) string {
	if r.route != "" {
		return r.route
	}
	// The raw path can hold capability tokens; log only its first part.
	return firstSegments(req.URL.Path)
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status = code
		r.wrote = true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Hijack hands the connection to the handler, which then answers (or
// drops it) on its own: the status logged and counted is 0, "no answer
// this server wrote", rather than a 200 it never sent.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil && !r.wrote {
		r.status, r.wrote = 0, true
	}
	return conn, rw, err
}

func firstSegments(p string) string {
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			n++
			if n == 4 {
				return p[:i] + "/..."
			}
		}
	}
	return p
}

func saneID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
