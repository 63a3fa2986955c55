package rest

import (
	"fmt"
	"net/http"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// vakken lists the school's subjects.
func (h *Handler) vakken(w http.ResponseWriter, c *call) error {
	win := parseRange(c.r.Header.Get("Range"))
	subjects, total, err := h.store.Subjects(c.ctx(), c.v.SchoolID,
		school.Page{Offset: win.first, Limit: win.last - win.first + 1})
	if err != nil {
		return fmt.Errorf("load subjects: %w", err)
	}

	items := make([]vak, len(subjects))
	for i, s := range subjects {
		items[i] = h.vak(c.v, s, true)
	}
	h.write(w, c.format, http.StatusOK, contentRange(win.first, len(items), total),
		list[vak]{Items: items})
	return nil
}

// vakByID answers one subject, bare.
func (h *Handler) vakByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}

	s, err := h.store.Subject(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load subject: %w", err)
	}

	h.write(w, c.format, http.StatusOK, "", h.vak(c.v, s, true))
	return nil
}

// vak is a subject; withType is false where it is nested as a primer.
func (h *Handler) vak(v access.Viewer, s school.Subject, withType bool) vak {
	out := vak{
		envelope: envelope{
			Links:       selfLink(h.base, "vakken", typeVak, s.ID),
			Permissions: v.Permissions(typeVak, s.ID),
		},
		Afkorting: s.Abbrev,
		Naam:      s.Name,
		UUID:      s.UUID,
	}
	if withType {
		out.Type = typeVak
	}
	return out
}

// subjectsOf loads the subjects with the given ids once, for a page of
// items that refer to them.
func (h *Handler) subjectsOf(c *call, ids []school.ID) (map[school.ID]school.Subject, error) {
	subjects, err := h.store.SubjectsByID(c.ctx(), c.v.SchoolID, ids)
	if err != nil {
		return nil, fmt.Errorf("load subjects: %w", err)
	}
	m := make(map[school.ID]school.Subject, len(subjects))
	for _, s := range subjects {
		m[s.ID] = s
	}
	return m, nil
}
