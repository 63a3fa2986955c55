package rest

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// The newer grade families: geldendvoortgangsdossierresultaten (progress
// file) and geldendexamendossierresultaten (exam file). Values are written
// with a comma and times are local without an offset, as the official app
// reads them. One item per column: a re-sit is folded into its column's
// first attempt.

// dossier is one of the two grade files.
type dossier struct {
	collection, apiType string
	holds               func(school.Grade) bool
}

var (
	dossierProgress = dossier{"geldendvoortgangsdossierresultaten",
		"resultaten.RGeldendVoortgangsdossierResultaat",
		func(g school.Grade) bool { return g.InProgress }}
	dossierExam = dossier{"geldendexamendossierresultaten",
		"resultaten.RGeldendExamendossierResultaat",
		func(g school.Grade) bool { return g.InExam }}
)

type geldend struct {
	envelope
	Cijfer                  *float64 `json:"cijfer,omitempty"`
	CijferEerstePoging      *float64 `json:"cijferEerstePoging,omitempty"`
	FormattedResultaat      string   `json:"formattedResultaat"`
	FormattedEerstePoging   string   `json:"formattedEerstePoging"`
	FormattedHerkansing1    string   `json:"formattedHerkansing1,omitempty"`
	IsVoldoende             bool     `json:"isVoldoende"`
	IsVoldoendeEerstePoging bool     `json:"isVoldoendeEerstePoging"`
	IsVoldoendeHerkansing1  *bool    `json:"isVoldoendeHerkansing1,omitempty"`
	Herkansingsnummer       int      `json:"herkansingsnummer,omitempty"`
	Periode                 int      `json:"periode"`
	Volgnummer              int      `json:"volgnummer"`
	Type                    string   `json:"type"`
	Toetscode               string   `json:"toetscode"`
	Omschrijving            string   `json:"omschrijving"`
	Weging                  int      `json:"weging"`
	ExamenWeging            int      `json:"examenWeging"`
	Bijzonderheid           string   `json:"bijzonderheid,omitempty"`
	DatumInvoerEerstePoging string   `json:"datumInvoerEerstePoging"`
	DatumInvoerHerkansing1  string   `json:"datumInvoerHerkansing1,omitempty"`
	IsLabel                 bool     `json:"isLabel"`
	IsCijfer                bool     `json:"isCijfer"`
	Herkansing              string   `json:"herkansing"`
	Toetssoort              string   `json:"toetssoort,omitempty"`
	Leerjaar                int      `json:"leerjaar"`
}

// column is one grade column of a pupil: its first attempt and re-sit.
type column struct {
	first, resit school.Grade
	hasResit     bool
}

// columnsOf folds the grades of a dossier into columns, in the order of
// their first attempts.
func columnsOf(grades []school.Grade, d dossier) []column {
	var out []column
	index := map[school.ID]int{}
	for _, g := range grades {
		if !d.holds(g) || g.ResitNumber != 0 {
			continue
		}
		index[g.ColumnID] = len(out)
		out = append(out, column{first: g})
	}
	for _, g := range grades {
		if i, ok := index[g.ColumnID]; ok && d.holds(g) && g.ResitNumber == 1 {
			out[i].resit, out[i].hasResit = g, true
		}
	}
	return out
}

func formatted(g school.Grade, tenths int) string {
	switch {
	case g.Label != "":
		return g.Label
	case !g.HasValue && g.NotMade:
		return " !"
	case !g.HasValue:
		return ""
	}
	s := string(school.AppendTenths(nil, tenths, ','))
	if g.NotMade {
		s += " !"
	}
	return s
}

func bijzonderheid(g school.Grade) string {
	switch {
	case g.Exempt:
		return "Vrijstelling"
	case g.NotMade:
		return "NietGemaakt"
	case g.NotCounting:
		return "TeltNietMee"
	}
	return ""
}

func (h *Handler) geldendItem(c *call, d dossier, col column) geldend {
	g := col.first
	item := geldend{
		envelope: envelope{Type: d.apiType,
			Links:       selfLink(h.base, d.collection, d.apiType, g.ID),
			Permissions: c.v.Permissions(d.apiType, g.ID)},
		FormattedResultaat:      formatted(g, g.Current),
		FormattedEerstePoging:   formatted(g, g.Tenths),
		IsVoldoende:             g.HasValue && g.Current >= 55 || g.Label == "V" || g.Label == "G",
		IsVoldoendeEerstePoging: g.HasValue && g.Tenths >= 55,
		Periode:                 g.Period, Volgnummer: g.Seq, Type: g.Type,
		Toetscode: g.TestKind + fmt.Sprint(g.Seq), Omschrijving: g.Description,
		Weging: g.Weight, ExamenWeging: g.ExamWeight, Bijzonderheid: bijzonderheid(g),
		DatumInvoerEerstePoging: localTime(g.Entered), IsLabel: g.Label != "",
		IsCijfer: g.HasValue && g.Label == "", Herkansing: g.ResitType, Toetssoort: g.TestKind,
		Leerjaar: g.StudyYear,
	}
	if item.Herkansing == "" {
		item.Herkansing = "Geen"
	}
	if g.HasValue && g.Label == "" {
		cur, first := float64(g.Current)/10, float64(g.Tenths)/10
		item.Cijfer, item.CijferEerstePoging = &cur, &first
	}
	if col.hasResit {
		r := col.resit
		ok := r.HasValue && r.Tenths >= 55
		item.FormattedHerkansing1 = formatted(r, r.Tenths)
		item.IsVoldoendeHerkansing1 = &ok
		item.Herkansingsnummer = 1
		item.DatumInvoerHerkansing1 = localTime(r.Entered)
	}
	return item
}

// geldendRefs is what the additional names of grade items refer to.
type geldendRefs struct {
	subjects map[school.ID]school.Subject
	pls      []placement
}

func (r geldendRefs) lichtingOf(g school.Grade) *placement {
	for i, pl := range r.pls {
		if inYear(pl.year, g) {
			return &r.pls[i]
		}
	}
	return nil
}

func geldendAdditional(name string, g school.Grade, refs geldendRefs) any {
	switch name {
	case "vaknaam":
		return refs.subjects[g.SubjectID].Name
	case "vakuuid":
		return refs.subjects[g.SubjectID].UUID
	case "resultaatkolom":
		return int64(g.ColumnID)
	case "leerjaar":
		return g.StudyYear
	case "lichtinguuid":
		if pl := refs.lichtingOf(g); pl != nil {
			return pl.class.UUID
		}
		return nil
	case "heeftalternatiefniveau":
		return false
	case "periodeAfkorting":
		return fmt.Sprintf("P%d", g.Period)
	}
	return nil // naamalternatiefniveau, naamstandaardniveau: no levels in opensom
}

var geldendAdditionals = []string{"vaknaam", "resultaatkolom", "heeftalternatiefniveau",
	"naamalternatiefniveau", "naamstandaardniveau", "leerjaar", "periodeAfkorting", "vakuuid",
	"lichtinguuid"}

// geldendSource loads a pupil's columns of a dossier and what they refer to.
func (h *Handler) geldendSource(c *call, d dossier) (school.ID, []column, geldendRefs, error) {
	var refs geldendRefs
	id, err := c.pathPupil(0, school.SwitchGrades)
	if err != nil {
		return 0, nil, refs, err
	}
	grades, err := h.allGrades(c, id)
	if err != nil {
		return 0, nil, refs, err
	}
	var subjectIDs []school.ID
	for _, g := range grades {
		subjectIDs = append(subjectIDs, g.SubjectID)
	}
	if refs.subjects, err = h.subjectsOf(c, subjectIDs); err != nil {
		return 0, nil, refs, err
	}
	if refs.pls, err = h.placements(c, []school.ID{id}); err != nil {
		return 0, nil, refs, err
	}
	return id, columnsOf(grades, d), refs, nil
}

func (h *Handler) geldendItems(c *call, d dossier, cols []column, refs geldendRefs) []geldend {
	extra := additionalNames(c.query["additional"])
	items := make([]geldend, len(cols))
	for i, col := range cols {
		items[i] = h.geldendItem(c, d, col)
		for _, name := range geldendAdditionals {
			if extra[name] {
				items[i].Additional = append(items[i].Additional,
					kv{name, geldendAdditional(name, col.first, refs)})
			}
		}
	}
	return items
}

// filterColumns keeps the asked column types (type=..., repeatable) and
// orders by entry time as sort asks; newest first by default, as the
// official app asks.
func filterColumns(c *call, cols []column) ([]column, error) {
	types := map[string]bool{}
	for _, t := range c.query["type"] {
		types[t] = true
	}
	desc := true
	switch c.query.Get("sort") {
	case "", "desc-geldendResultaatCijferInvoer":
	case "asc-geldendResultaatCijferInvoer":
		desc = false
	default:
		return nil, badRequest("sort %q is not supported; use asc- or "+
			"desc-geldendResultaatCijferInvoer", c.query.Get("sort"))
	}
	var out []column
	for _, col := range cols {
		if len(types) == 0 || types[col.first.Type] {
			out = append(out, col)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].first, out[j].first
		if !a.Entered.Equal(b.Entered) {
			return a.Entered.Before(b.Entered) != desc
		}
		return (a.ID < b.ID) != desc
	})
	return out, nil
}

// geldendLeerling lists a pupil's latest results of a dossier, paged.
func (h *Handler) geldendLeerling(d dossier) handlerFunc {
	return func(w http.ResponseWriter, c *call) error {
		_, cols, refs, err := h.geldendSource(c, d)
		if err != nil {
			return err
		}
		if cols, err = filterColumns(c, cols); err != nil {
			return err
		}
		writeList(h, w, c, h.geldendItems(c, d, cols, refs))
		return nil
	}
}

type resultaatkolom struct {
	envelope
	Periode      int      `json:"periode"`
	Volgnummer   int      `json:"volgnummer"`
	Toetscode    string   `json:"toetscode"`
	Omschrijving string   `json:"omschrijving"`
	Weging       int      `json:"weging"`
	ExamenWeging int      `json:"examenWeging"`
	Herkansing   string   `json:"herkansing"`
	ToetsSoort   *naamRef `json:"toetsSoort"`
	Leerjaar     int      `json:"leerjaar"`
	Type         string   `json:"type"`
}

type naamRef struct {
	Naam string `json:"naam"`
}

// geldendVak lists one subject's results (or, with columns, its column
// definitions) of a pupil in one cohort. An unknown subject or cohort
// answers like any other id the caller may not read.
func (h *Handler) geldendVak(d dossier, columns bool) handlerFunc {
	return func(w http.ResponseWriter, c *call) error {
		_, cols, refs, err := h.geldendSource(c, d)
		if err != nil {
			return err
		}
		subjectUUID, cohortUUID := c.params[1], c.params[2]
		var pl *placement
		for i := range refs.pls {
			if refs.pls[i].class.UUID == cohortUUID {
				pl = &refs.pls[i]
			}
		}
		var subject *school.Subject
		for _, s := range refs.subjects {
			if s.UUID == subjectUUID {
				s := s
				subject = &s
			}
		}
		if pl == nil || subject == nil {
			return errForbidden
		}
		var kept []column
		for _, col := range cols {
			if col.first.SubjectID == subject.ID && inYear(pl.year, col.first) {
				kept = append(kept, col)
			}
		}
		if kept, err = filterColumns(c, kept); err != nil {
			return err
		}
		if !columns {
			writeList(h, w, c, h.geldendItems(c, d, kept, refs))
			return nil
		}
		items := make([]resultaatkolom, len(kept))
		for i, col := range kept {
			g := col.first
			t := "resultaten.kolommen.R" + g.Type
			items[i] = resultaatkolom{
				envelope: envelope{Type: t,
					Links:       selfLink(h.base, "resultaatkolommen", t, g.ColumnID),
					Permissions: c.v.Permissions(t, g.ColumnID)},
				Periode: g.Period, Volgnummer: g.Seq, Toetscode: g.TestKind + fmt.Sprint(g.Seq),
				Omschrijving: g.Description, Weging: g.Weight, ExamenWeging: g.ExamWeight,
				Herkansing: col.first.ResitType, Leerjaar: g.StudyYear, Type: g.Type,
			}
			if items[i].Herkansing == "" {
				items[i].Herkansing = "Geen"
			}
			if g.TestKind != "" {
				items[i].ToetsSoort = &naamRef{Naam: g.TestKind}
			}
		}
		writeList(h, w, c, items)
		return nil
	}
}

type cijferoverzichtVak struct {
	Vak        vak       `json:"vak"`
	Lichting   *lichting `json:"lichting"`
	Resultaten []geldend `json:"resultaten"`
	Gemiddelde string    `json:"formattedGemiddelde,omitempty"`
}

type cijferoverzicht struct {
	envelope
	Leerling *leerlingPrimer      `json:"leerling"`
	Vakken   []cijferoverzichtVak `json:"vakken"`
}

// cijferoverzicht is the overview of a pupil's current year: bare for
// the progress file, a list of the exam file's results for the exam one.
// The overview's shape is not documented; opensom groups the results by
// subject with their average.
func (h *Handler) cijferoverzicht(d dossier) handlerFunc {
	return func(w http.ResponseWriter, c *call) error {
		id, cols, refs, err := h.geldendSource(c, d)
		if err != nil {
			return err
		}
		pl, ok := currentPlacement(refs.pls, h.now())
		if uuid := c.query.Get("plaatsing"); uuid != "" {
			ok = false
			for i := range refs.pls {
				if refs.pls[i].uuid == uuid {
					pl, ok = refs.pls[i], true
				}
			}
			if !ok {
				return errForbidden
			}
		}
		var kept []column
		for _, col := range cols {
			if ok && inYear(pl.year, col.first) {
				kept = append(kept, col)
			}
		}
		if d.collection == dossierExam.collection {
			writeList(h, w, c, h.geldendItems(c, d, kept, refs))
			return nil
		}

		pupils, err := h.loadPupilMap(c, []school.ID{id})
		if err != nil {
			return err
		}
		out := cijferoverzicht{
			envelope: envelope{Links: []link{}, Permissions: c.v.Permissions(d.apiType, id)},
			Leerling: h.primerOf(c, pupils, id), Vakken: []cijferoverzichtVak{}}
		for _, lg := range pl.choices {
			s := refs.subjects[lg.SubjectID]
			if s.ID == 0 {
				s, err = h.store.Subject(c.ctx(), c.v.SchoolID, lg.SubjectID)
				if err != nil {
					return fmt.Errorf("load subject: %w", err)
				}
			}
			var sub []column
			var grades []school.Grade
			for _, col := range kept {
				if col.first.SubjectID == s.ID {
					sub = append(sub, col)
					grades = append(grades, col.first)
				}
			}
			v := cijferoverzichtVak{Vak: h.vak(c.v, s, false), Lichting: h.lichting(c, pl),
				Resultaten: h.geldendItems(c, d, sub, refs)}
			if t, ok := school.Average(grades); ok {
				v.Gemiddelde = string(school.AppendTenths(nil, t, ','))
			}
			out.Vakken = append(out.Vakken, v)
		}
		h.write(w, c.format, http.StatusOK, "", out)
		return nil
	}
}

// currentPlacement is the placement of the year around now, else the
// latest one.
func currentPlacement(pls []placement, now time.Time) (placement, bool) {
	for _, pl := range pls {
		if pl.year.Current(now) {
			return pl, true
		}
	}
	if len(pls) > 0 {
		return pls[len(pls)-1], true
	}
	return placement{}, false
}
