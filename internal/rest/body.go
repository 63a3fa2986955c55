package rest

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
)

// maxBody bounds a request body: the largest one clients send is a
// homework tick of a few hundred bytes.
const maxBody = 64 << 10

// readJSON decodes a JSON request body into v. The media type must be
// JSON (application/json or any +json type such as the vendor type);
// anything that does not decode is a 400 with the error body.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return badRequest("the body must be JSON (Content-Type application/json)")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return badRequest("the body is larger than %d bytes", maxBody)
		}
		return badRequest("the body is not valid JSON for this request")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("the body holds more than one JSON value")
	}
	return nil
}

// primerRef is how a request names an entity: {"links":[{"id":..}]}.
type primerRef struct {
	Links []struct {
		ID int64 `json:"id"`
	} `json:"links"`
}

// id is the entity id of the reference, or 0.
func (p *primerRef) id() int64 {
	if p == nil || len(p.Links) == 0 {
		return 0
	}
	return p.Links[0].ID
}
