package rest

import (
	"fmt"
	"net/http"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// schooljaren lists the school's years.
func (h *Handler) schooljaren(w http.ResponseWriter, c *call) error {
	years, err := h.store.SchoolYears(c.ctx(), c.v.SchoolID)
	if err != nil {
		return fmt.Errorf("load school years: %w", err)
	}

	win := parseRange(c.r.Header.Get("Range"))
	page, first := pageOf(years, win)
	items := make([]schooljaar, len(page))
	for i, y := range page {
		items[i] = h.schooljaar(c.v, y)
	}
	h.write(w, c.format, http.StatusOK, contentRange(first, len(items), len(years)),
		list[schooljaar]{Items: items})
	return nil
}

// schooljaarHuidig answers the year around today, bare.
func (h *Handler) schooljaarHuidig(w http.ResponseWriter, c *call) error {
	years, err := h.store.SchoolYears(c.ctx(), c.v.SchoolID)
	if err != nil {
		return fmt.Errorf("load school years: %w", err)
	}

	now := h.now()
	for _, y := range years {
		if y.Current(now) {
			h.write(w, c.format, http.StatusOK, "", h.schooljaar(c.v, y))
			return nil
		}
	}
	return errNotFound
}

// schooljaarByID answers one year, bare.
func (h *Handler) schooljaarByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}

	y, err := h.store.SchoolYear(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load school year: %w", err)
	}

	h.write(w, c.format, http.StatusOK, "", h.schooljaar(c.v, y))
	return nil
}

func (h *Handler) schooljaar(v access.Viewer, y school.SchoolYear) schooljaar {
	return schooljaar{
		envelope: envelope{
			Type:        typeSchooljaar,
			Links:       selfLink(h.base, "schooljaren", typeSchooljaar, y.ID),
			Permissions: v.Permissions(typeSchooljaar, y.ID),
		},
		Naam:       y.Name,
		VanafDatum: school.FormatDate(y.From),
		TotDatum:   school.FormatDate(y.To),
		IsHuidig:   y.Current(h.now()),
	}
}
