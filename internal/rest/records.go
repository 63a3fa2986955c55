package rest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// recordRoutes are the routes of issue 4. Fixed segments go before
// parameters where both could match.
func (h *Handler) recordRoutes() []route {
	return []route{
		h.add("GET", "/leerlingen/{id}/schoolgegevens", h.schoolgegevens),
		h.add("GET", "/leerlingen/{id}/registratieOverzicht", h.registratieOverzicht),
		h.addAnon("/pasfoto/{uuid}/{token}", h.pasfotoImage),

		h.add("GET", "/absentiemeldingen", h.absentiemeldingen),
		h.add("GET", "/absentieredenen", h.absentieredenen),
		h.add("GET", "/waarnemingen", h.waarnemingen),
		h.add("GET", "/maatregeltoekenningen/actief/{id}", h.maatregelen),

		h.add("GET", "/studiewijzers", h.studiewijzers),
		h.add("GET", "/studiewijzers/{id}", h.studiewijzerByID),
		h.add("GET", "/studiewijzeritemafspraaktoekenningen", h.toekenningen(school.HomeworkLesson)),
		h.add("GET", "/studiewijzeritemdagtoekenningen", h.toekenningen(school.HomeworkDay)),
		h.add("GET", "/studiewijzeritemweektoekenningen", h.toekenningen(school.HomeworkWeek)),
		h.add("PUT", "/swigemaakt/cou", h.swigemaaktCou),
		h.add("PUT", "/swigemaakt/{id}", h.swigemaaktByID),

		h.add("GET", "/vakkeuzes", h.vakkeuzes),
		h.add("GET", "/vakkeuzes/plaatsing/{uuid}/vakgemiddelden", h.vakgemiddelden),
		h.add("GET", "/plaatsingen", h.plaatsingen),

		h.add("GET", "/geldendvoortgangsdossierresultaten/leerling/cijferoverzicht/{id}",
			h.cijferoverzicht(dossierProgress)),
		h.add("GET", "/geldendexamendossierresultaten/leerling/cijferoverzicht/{id}",
			h.cijferoverzicht(dossierExam)),
		h.add("GET", "/geldendvoortgangsdossierresultaten/leerling/{id}",
			h.geldendLeerling(dossierProgress)),
		h.add("GET", "/geldendexamendossierresultaten/leerling/{id}", h.geldendLeerling(dossierExam)),
		h.add("GET", "/geldendvoortgangsdossierresultaten/vakresultaten/{id}/vak/{uuid}/lichting/{uuid}",
			h.geldendVak(dossierProgress, false)),
		h.add("GET", "/geldendexamendossierresultaten/vakresultaten/{id}/vak/{uuid}/lichting/{uuid}",
			h.geldendVak(dossierExam, false)),
		h.add("GET",
			"/geldendvoortgangsdossierresultaten/resultaatkolommen/{id}/vak/{uuid}/lichting/{uuid}",
			h.geldendVak(dossierProgress, true)),
		h.add("GET", "/geldendexamendossierresultaten/resultaatkolommen/{id}/vak/{uuid}/lichting/{uuid}",
			h.geldendVak(dossierExam, true)),

		h.add("GET", "/afspraakitems/{id}/jaar/{year}/week/{week}", h.afspraakitems),

		h.add("GET", "/vakanties/leerling/{id}", h.vakanties),
		h.add("GET", "/onderwijsopafstandperiodes", h.onderwijsOpAfstand),
		h.add("GET", "/onderwijsopafstandperiodes/{id}", h.onderwijsOpAfstandByID),
		h.add("GET", "/medewerkers/ontvangers", h.ontvangers),
		h.add("GET", "/verzorgers", h.verzorgers),
		h.add("GET", "/boodschappen/conversaties", h.conversaties),
		h.add("POST", "/boodschappen/conversatie/{id}/markeerGelezen", h.markeerGelezen),
		h.add("PUT", "/boodschappen/setGelezen/{id}", h.setGelezen),

		h.add("GET", "/icalendar", h.icalendar),
		h.add("DELETE", "/icalendar", h.icalendarRevoke),
		h.addAnon("/icalendar/stream/{token}", h.icalendarStream),
	}
}

// pupilsOf reads a repeatable pupil-id parameter and narrows it to what
// the viewer may read of the kind the switch guards; with no parameter,
// every pupil the viewer may read. A pupil the viewer may not read, and a
// switch that is off, are the same 403.
func (c *call) pupilsOf(param, switchName string) ([]school.ID, error) {
	var asked []school.ID
	for _, s := range c.query[param] {
		id, err := parseID(s)
		if err != nil {
			return nil, err
		}
		asked = append(asked, id)
	}
	ids, ok := c.v.Narrow(asked)
	if !ok || (switchName != "" && !c.v.Allows(switchName)) {
		return nil, errForbidden
	}
	return ids, nil
}

// pathPupil reads the pupil id of path parameter i and checks the viewer
// may read that pupil's records of the kind the switch guards.
func (c *call) pathPupil(i int, switchName string) (school.ID, error) {
	id, err := parseID(c.params[i])
	if err != nil {
		return 0, err
	}
	if !c.v.CanRead(id, switchName) {
		return 0, errForbidden
	}
	return id, nil
}

// queryDate reads an optional date parameter; a value that is not a date
// is a 400.
func (c *call) queryDate(name string) (time.Time, error) {
	s := c.query.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := school.ParseDate(s)
	if err != nil {
		return time.Time{}, badRequest("%s %q is not a date (yyyy-MM-dd)", name, s)
	}
	return d, nil
}

// dateWindow reads an inclusive pair of date parameters as [from, to).
func (c *call) dateWindow(fromName, toName string) (from, to time.Time, err error) {
	if from, err = c.queryDate(fromName); err != nil {
		return
	}
	if to, err = c.queryDate(toName); err != nil {
		return
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
		if !from.IsZero() && !to.After(from) {
			return from, to, badRequest("%s lies before %s", toName, fromName)
		}
	}
	return from, to, nil
}

// queryBool reads an optional true/false parameter.
func (c *call) queryBool(name string) (*bool, error) {
	switch strings.ToLower(c.query.Get(name)) {
	case "":
		return nil, nil
	case "true":
		b := true
		return &b, nil
	case "false":
		b := false
		return &b, nil
	}
	return nil, badRequest("%s must be true or false", name)
}

// page is the Range window of the request as a store page.
func (c *call) page() (window, school.Page) {
	win := parseRange(c.r.Header.Get("Range"))
	return win, school.Page{Offset: win.first, Limit: win.last - win.first + 1}
}

// localTime writes the newer endpoints' form: local time without offset
// or milliseconds, e.g. 2024-09-17T09:50:00.
func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(school.Amsterdam).Format("2006-01-02T15:04:05")
}

// isoWeekMonday is the local Monday of ISO week w of year y, and whether
// that week exists.
func isoWeekMonday(y, w int) (time.Time, bool) {
	jan4 := school.Date(y, time.January, 4)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	gy, gw := monday.ISOWeek()
	return monday, w >= 1 && gy == y && gw == w
}

// yearAt is the school year around t, if any.
func yearAt(years []school.SchoolYear, t time.Time) (school.SchoolYear, bool) {
	for _, y := range years {
		if y.Current(t) {
			return y, true
		}
	}
	return school.SchoolYear{}, false
}

func idString(id school.ID) string { return strconv.FormatInt(int64(id), 10) }

// loadPupilMap loads pupils by id.
func (h *Handler) loadPupilMap(c *call, ids []school.ID) (map[school.ID]school.Pupil, error) {
	ps, err := h.store.Pupils(c.ctx(), c.v.SchoolID, ids)
	if err != nil {
		return nil, fmt.Errorf("load pupils: %w", err)
	}
	m := make(map[school.ID]school.Pupil, len(ps))
	for _, p := range ps {
		m[p.ID] = p
	}
	return m, nil
}

// primerOf is a pupil primer, typed as nested objects in lists are not.
func (h *Handler) primerOf(c *call, pupils map[school.ID]school.Pupil,
	id school.ID) *leerlingPrimer {
	p, ok := pupils[id]
	if !ok {
		return nil
	}
	return h.leerlingPrimer(c.v, p)
}

// writeList writes a page of a list loaded whole.
func writeList[T any](h *Handler, w http.ResponseWriter, c *call, all []T) {
	win := parseRange(c.r.Header.Get("Range"))
	page, first := pageOf(all, win)
	if page == nil {
		page = []T{}
	}
	h.write(w, c.format, http.StatusOK, contentRange(first, len(page), len(all)), list[T]{Items: page})
}
