package rest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// leerlingen lists the pupils the account may read: one for a pupil, one
// per child for a parent.
func (h *Handler) leerlingen(w http.ResponseWriter, c *call) error {
	ids, ok := c.v.Narrow(nil)
	if acc := c.query.Get("account"); acc != "" {
		// A pupil's own account narrows to that pupil; any other account id
		// narrows to nothing the caller could not already see.
		id, err := parseID(acc)
		if err != nil {
			return err
		}
		if id != c.v.Account.ID {
			return errForbidden
		}
	}
	if !ok {
		return errForbidden
	}

	pupils, err := h.store.Pupils(c.ctx(), c.v.SchoolID, ids)
	if err != nil {
		return fmt.Errorf("load pupils: %w", err)
	}

	win := parseRange(c.r.Header.Get("Range"))
	page, first := pageOf(pupils, win)
	extra := additionalNames(c.query["additional"])
	items := make([]leerling, len(page))
	for i, p := range page {
		items[i] = h.leerling(c.v, p, extra)
	}
	if err := h.pupilExtras(c, items, page, extra); err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, contentRange(first, len(items), len(pupils)),
		list[leerling]{Items: items})
	return nil
}

// leerlingByID answers one pupil, bare.
func (h *Handler) leerlingByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}
	if !c.v.CanReadPupil(id) {
		return errForbidden
	}

	p, err := h.store.Pupil(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load pupil: %w", err)
	}

	extra := additionalNames(c.query["additional"])
	items := []leerling{h.leerling(c.v, p, extra)}
	if err := h.pupilExtras(c, items, []school.Pupil{p}, extra); err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, "", items[0])
	return nil
}

func (h *Handler) leerling(v access.Viewer, p school.Pupil, extra map[string]bool) leerling {
	l := leerling{
		envelope: envelope{
			Type:        typeLeerling,
			Links:       selfLink(h.base, "leerlingen", typeLeerling, p.ID),
			Permissions: v.Permissions(typeLeerlingPrimer, p.ID),
		},
		UUID:          p.UUID,
		Leerlingnr:    p.Number,
		Roepnaam:      p.Name.First,
		Voorvoegsel:   p.Name.Prefix,
		Achternaam:    p.Name.Last,
		Email:         p.Email,
		Geboortedatum: school.FormatDate(p.BirthDate),
		Geslacht:      p.Gender,
		PasfotoURL:    h.pasfotoURL(v, p),
	}
	if p.Mobile != "" {
		m := p.Mobile
		l.MobielNummer = &m
	}
	if extra["pasfoto"] {
		l.Additional = append(l.Additional, kv{"pasfoto", pasfoto{
			envelope: envelope{Type: typePasfoto,
				Links:       []link{{ID: int64(p.ID), Rel: "self", Type: typePasfoto}},
				Permissions: []access.Permission{}},
			DataURI: photoDataURI(p),
		}})
	}
	return l
}

func (h *Handler) leerlingPrimer(v access.Viewer, p school.Pupil) *leerlingPrimer {
	return &leerlingPrimer{
		envelope: envelope{
			Links:       selfLink(h.base, "leerlingen", typeLeerlingPrimer, p.ID),
			Permissions: v.Permissions(typeLeerlingPrimer, p.ID),
		},
		UUID:        p.UUID,
		Leerlingnr:  p.Number,
		Roepnaam:    p.Name.First,
		Voorvoegsel: p.Name.Prefix,
		Achternaam:  p.Name.Last,
	}
}

// photoDataURI is the placeholder photo as a data URI.
func photoDataURI(p school.Pupil) string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(photoPNG(p))
}

// photoPNG is a generated placeholder photo: a small PNG in a colour
// derived from the pupil, so that every pupil has a stable picture.
func photoPNG(p school.Pupil) []byte {
	hs := fnv.New32a()
	_, _ = hs.Write([]byte(p.UUID))
	sum := hs.Sum32()
	c := color.RGBA{R: byte(sum), G: byte(sum >> 8), B: byte(sum >> 16), A: 255}
	img := image.NewPaletted(image.Rect(0, 0, 16, 16), color.Palette{c})
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// pageOf cuts a window out of a list that was loaded whole.
func pageOf[T any](all []T, win window) ([]T, int) {
	if win.first >= len(all) {
		return nil, win.first
	}
	last := min(win.last, len(all)-1)
	return all[win.first : last+1], win.first
}
