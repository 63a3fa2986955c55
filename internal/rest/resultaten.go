package rest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// gradeAdditionals are the additional names of the classic grade list,
// in the order they are written.
var gradeAdditionals = []string{"berekendRapportCijfer", "samengesteldeToetskolomId",
	"resultaatkolomId", "cijferkolomId", "toetssoortnaam", "huidigeAnderVakKolommen"}

// resultatenVoorLeerling lists one pupil's grades, paged by Range.
func (h *Handler) resultatenVoorLeerling(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}
	if !c.v.CanRead(id, school.SwitchGrades) {
		return errForbidden
	}
	sort, err := sortParam(c.query.Get("sort"), "datumInvoer")
	if err != nil {
		return err
	}
	win := parseRange(c.r.Header.Get("Range"))

	grades, total, err := h.store.Grades(c.ctx(), school.GradeQuery{
		SchoolID: c.v.SchoolID, PupilIDs: []school.ID{id}, Sort: sort,
		Page: school.Page{Offset: win.first, Limit: win.last - win.first + 1},
	})
	if err != nil {
		return fmt.Errorf("load grades: %w", err)
	}

	items, err := h.resultaten(c, grades)
	if err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, contentRange(win.first, len(items), total),
		&gradeList{Items: items})
	return nil
}

// resultaatByID answers one grade, bare.
func (h *Handler) resultaatByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}

	g, err := h.store.Grade(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load grade: %w", err)
	}
	if !c.v.CanRead(g.PupilID, school.SwitchGrades) {
		return errForbidden
	}

	items, err := h.resultaten(c, []school.Grade{g})
	if err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, "", &items[0])
	return nil
}

// resultaten turns a page of grades into wire items, loading the subjects
// and pupils they refer to once for the page.
func (h *Handler) resultaten(c *call, grades []school.Grade) ([]resultaat, error) {
	subjectIDs := make([]school.ID, 0, 16)
	pupilIDs := make([]school.ID, 0, 1)
	seenS, seenP := map[school.ID]bool{}, map[school.ID]bool{}
	for _, g := range grades {
		if !seenS[g.SubjectID] {
			seenS[g.SubjectID] = true
			subjectIDs = append(subjectIDs, g.SubjectID)
		}
		if !seenP[g.PupilID] {
			seenP[g.PupilID] = true
			pupilIDs = append(pupilIDs, g.PupilID)
		}
	}
	subjects, err := h.subjectsOf(c, subjectIDs)
	if err != nil {
		return nil, err
	}
	pupils, err := h.store.Pupils(c.ctx(), c.v.SchoolID, pupilIDs)
	if err != nil {
		return nil, fmt.Errorf("load pupils: %w", err)
	}
	primers := make(map[school.ID]*leerlingPrimer, len(pupils))
	for _, p := range pupils {
		primers[p.ID] = h.leerlingPrimer(c.v, p)
	}
	vakken := make(map[school.ID]*vak, len(subjects))
	for id, s := range subjects {
		v := h.vak(c.v, s, false)
		vakken[id] = &v
	}

	extra := additionalNames(c.query["additional"])
	items := make([]resultaat, len(grades))
	for i, g := range grades {
		items[i] = h.resultaat(c.v, g, extra)
		items[i].Vak = vakken[g.SubjectID]
		items[i].Leerling = primers[g.PupilID]
	}
	return items, nil
}

func (h *Handler) resultaat(v access.Viewer, g school.Grade, extra map[string]bool) resultaat {
	r := resultaat{
		envelope: envelope{
			Type:        typeResultaat,
			Links:       selfLink(h.base, "resultaten", typeResultaat, g.ID),
			Permissions: v.Permissions(typeResultaat, g.ID),
		},
		Herkansingstype:     g.ResitType,
		LabelAfkorting:      g.Label,
		DatumInvoer:         school.FormatTimestamp(g.Entered),
		TeltNietmee:         g.NotCounting,
		ToetsNietGemaakt:    g.NotMade,
		Leerjaar:            g.StudyYear,
		Periode:             g.Period,
		ExamenWeging:        g.ExamWeight,
		IsExamendossier:     g.InExam,
		IsVoortgangsdossier: g.InProgress,
		Type:                g.Type,
		Omschrijving:        g.Description,
		Volgnummer:          g.Seq,
		Vrijstelling:        g.Exempt,
		HerkansingsNummer:   g.ResitNumber,
	}
	if r.Herkansingstype == "" {
		r.Herkansingstype = "Geen"
	}
	if g.HasValue {
		r.Resultaat = school.FormatTenths(g.Tenths)
		r.GeldendResultaat = school.FormatTenths(g.Current)
	}
	if g.Label != "" {
		r.ResultaatLabel = g.Label
	}
	if !isAverage(g.Type) {
		w := g.Weight
		r.Weging = &w
	}
	for _, name := range gradeAdditionals {
		if extra[name] {
			if r.Additional == nil {
				r.Additional = make(additional, 0, len(gradeAdditionals))
			}
			r.Additional = append(r.Additional, kv{name, gradeAdditional(name, g)})
		}
	}
	return r
}

func gradeAdditional(name string, g school.Grade) any {
	switch name {
	case "berekendRapportCijfer":
		if !g.HasReportTenths {
			return nil
		}
		return rapportCijfer{Type: typeRapportCijfer, RapportCijfer: school.FormatTenths(g.ReportTenths)}
	case "samengesteldeToetskolomId":
		return idOrNil(g.CompositeColumnID)
	case "resultaatkolomId":
		return idOrNil(g.ColumnID)
	case "cijferkolomId":
		return idOrNil(g.CijferColumnID)
	case "toetssoortnaam":
		if g.TestKind == "" {
			return nil
		}
		return g.TestKind
	default: // huidigeAnderVakKolommen: opensom has no cross-subject columns
		return wrap([]struct{}{})
	}
}

func idOrNil(id school.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// isAverage reports whether a column type is computed from other columns;
// those carry no weging of their own.
func isAverage(columnType string) bool {
	return strings.HasSuffix(columnType, "GemiddeldeKolom")
}
