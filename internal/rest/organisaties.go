package rest

import (
	"fmt"
	"net/http"
)

// organisaties answers the school list: an array of one object whose
// instellingen are the schools. It needs no token. Its format is always
// JSON, as the static file of the real service is.
func (h *Handler) organisaties(w http.ResponseWriter, r *http.Request) {
	h.corsHeaders(w, r) // a GET, never a preflight: that is OPTIONS
	schools, err := h.store.Schools(r.Context())
	if err != nil {
		h.fail(w, r, formatJSON, fmt.Errorf("load schools: %w", err))
		return
	}

	inst := make([]instelling, len(schools))
	for i, s := range schools {
		urls := make([]oidcURL, len(s.OIDCURLs))
		for j, u := range s.OIDCURLs {
			urls[j] = oidcURL{Omschrijving: u.Description, URL: u.URL, DomainHint: u.DomainHint}
		}
		inst[i] = instelling{UUID: s.UUID, Naam: s.Name, Plaats: s.City, OIDCURLs: urls}
	}
	h.write(w, formatJSON, http.StatusOK, "", []organisatie{{Instellingen: inst}})
}
