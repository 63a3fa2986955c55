package rest

import (
	"fmt"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// The additional objects of leerlingen that need more than the pupil:
// lestijden, rVestiging and huidigeLichting.

type lesuur struct {
	envelope
	Nummer    int    `json:"nummer"`
	Begintijd string `json:"begintijd"`
	Eindtijd  string `json:"eindtijd"`
}

type lestijden struct {
	envelope
	Vestiging vestiging `json:"vestiging"`
	Actief    bool      `json:"actief"`
	Lesuren   []lesuur  `json:"lesuren"`
}

// pupilExtras appends the requested extra objects to items, which hold
// pupils in the same order.
func (h *Handler) pupilExtras(c *call, items []leerling, pupils []school.Pupil,
	extra map[string]bool) error {
	if !extra["lestijden"] && !extra["rVestiging"] && !extra["huidigeLichting"] {
		return nil
	}
	ctx := c.ctx()
	hours, err := h.store.LessonHours(ctx, c.v.SchoolID)
	if err != nil {
		return fmt.Errorf("load lesson hours: %w", err)
	}
	ids := make([]school.ID, len(pupils))
	for i, p := range pupils {
		ids[i] = p.ID
	}
	pls, err := h.placements(c, ids)
	if err != nil {
		return err
	}
	now := h.now()
	for i, p := range pupils {
		b, err := h.store.Branch(ctx, c.v.SchoolID, p.BranchID)
		if err != nil {
			return fmt.Errorf("load branch: %w", err)
		}
		vest := h.vestigingOf(c, b)
		if extra["lestijden"] {
			items[i].Additional = append(items[i].Additional, kv{"lestijden",
				h.lestijden(c.v, b, vest, hours)})
		}
		if extra["rVestiging"] {
			items[i].Additional = append(items[i].Additional, kv{"rVestiging", vest})
		}
		if extra["huidigeLichting"] {
			var val any
			var mine []placement
			for _, pl := range pls {
				if pl.pupil.ID == p.ID {
					mine = append(mine, pl)
				}
			}
			if pl, ok := currentPlacement(mine, now); ok {
				val = h.lichting(c, pl)
			}
			items[i].Additional = append(items[i].Additional, kv{"huidigeLichting", val})
		}
	}
	return nil
}

func (h *Handler) lestijden(v access.Viewer, b school.Branch, vest vestiging,
	hours []school.LessonHour) lestijden {
	out := lestijden{
		envelope: envelope{Links: []link{{ID: int64(b.ID), Rel: "self", Type: "participatie.RLestijden"}},
			Permissions: []access.Permission{}},
		Vestiging: vest, Actief: len(hours) > 0, Lesuren: []lesuur{},
	}
	for _, hr := range hours {
		out.Lesuren = append(out.Lesuren, lesuur{
			envelope: envelope{Links: []link{}, Permissions: []access.Permission{}},
			Nummer:   hr.Number, Begintijd: hr.Begin, Eindtijd: hr.End,
		})
	}
	return out
}
