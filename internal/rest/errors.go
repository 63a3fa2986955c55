package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/opensom/opensom/internal/school"
)

// apiError is an answer other than 2xx whose message is safe to show.
type apiError struct {
	status  int
	message string
}

// methodError is a 405 for a path that has routes of other methods.
type methodError struct{ allow string }

func (e *methodError) Error() string { return "method not allowed; allow " + e.allow }

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

var (
	errForbidden = &apiError{http.StatusForbidden,
		"Je hebt geen toegang tot deze gegevens (access denied)"}
	errNotFound   = &apiError{http.StatusNotFound, "Onbekende resource (no such resource)"}
	errNoAccept   = &apiError{http.StatusNotAcceptable, "Accept must name JSON or XML"}
	errNoToken    = &apiError{http.StatusUnauthorized, "Authentication required"}
	errBadToken   = &apiError{http.StatusUnauthorized, "The access token is invalid or expired"}
	errNotAllowed = &apiError{http.StatusMethodNotAllowed, "Method not allowed"}
	errInternal   = &apiError{http.StatusInternalServerError, "Internal server error"}
)

// errorBody is the REST error shape of the real service.
type errorBody struct {
	Code       int               `json:"code"`
	Reason     string            `json:"reason"`
	Message    string            `json:"message"`
	Parameters map[string]string `json:"applicationErrorParameters"`
}

// fail is the one place where an error becomes an HTTP answer. Client
// mistakes are logged at Info by the access line only; anything unknown
// is logged here, once, and answered with a generic 500.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, f format, err error) {
	var ae *apiError
	var me *methodError
	switch {
	case errors.As(err, &me):
		ae = errNotAllowed
	case errors.As(err, &ae):
	case errors.Is(err, school.ErrNotFound):
		// A missing id, another pupil's and another school's all answer the
		// same, so that ids cannot be probed.
		ae = errForbidden
	case errors.Is(err, context.Canceled):
		return // the client left; nobody reads an answer
	default:
		h.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("route", r.URL.Path), slog.Any("err", err))
		ae = errInternal
	}
	switch ae {
	case errNoToken:
		w.Header().Set("WWW-Authenticate", "Bearer")
	case errBadToken:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	case errNotAllowed:
		w.Header().Set("Allow", "GET")
	}
	if me != nil {
		w.Header().Set("Allow", me.allow)
	}
	body := errorBody{Code: ae.status, Reason: http.StatusText(ae.status), Message: ae.message,
		Parameters: map[string]string{}}
	h.write(w, f, ae.status, "", body)
}
