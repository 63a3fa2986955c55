package rest

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/opensom/opensom/internal/school"
)

// Subject choices, placements and their averages. None of them is stored
// as such: a pupil's lesson groups are their subject choices, and their
// class group (stamgroep) of a year is their placement and cohort
// (lichting) that year.

const (
	typeVakkeuze       = "onderwijsinrichting.RVakkeuze"
	typeLichting       = "onderwijsinrichting.RLichting"
	typeLichtingJaar   = "onderwijsinrichting.RLichtingSchooljaar"
	typeOnderwijssoort = "onderwijsinrichting.ROnderwijssoort"
	typeVakNormering   = "onderwijsinrichting.RVakNormering"
	typePlaatsing      = "plaatsing.RPlaatsing"
)

type onderwijssoort struct {
	Type        string `json:"$type"`
	Afkorting   string `json:"afkorting"`
	IsOnderbouw bool   `json:"isOnderbouw"`
}

type lichtingSchooljaar struct {
	envelope
	Schooljaar         schooljaar `json:"schooljaar"`
	Leerjaar           int        `json:"leerjaar"`
	HeeftExamendossier bool       `json:"heeftExamendossier"`
}

type lichting struct {
	envelope
	Naam                string               `json:"naam"`
	LichtingSchooljaren []lichtingSchooljaar `json:"lichtingSchooljaren"`
	Onderwijssoort      onderwijssoort       `json:"onderwijssoort"`
	UUID                string               `json:"UUID"`
}

type vakkeuze struct {
	envelope
	Vak                     vak             `json:"vak"`
	Leerling                *leerlingPrimer `json:"leerling,omitempty"`
	Vrijstelling            bool            `json:"vrijstelling"`
	Lichting                *lichting       `json:"lichting"`
	RelevanteCijferLichting *lichting       `json:"relevanteCijferLichting,omitempty"`
}

type vakNormering struct {
	Type            string `json:"$type"`
	VakID           int64  `json:"vakId"`
	Toetsnormering1 string `json:"toetsnormering1"`
	Toetsnormering2 string `json:"toetsnormering2"`
}

type vestigingFull struct {
	envelope
	Naam      string `json:"naam"`
	UpperUUID string `json:"UUID"`
	UUID      string `json:"uuid"`
}

type plaatsing struct {
	envelope
	UUID           string          `json:"UUID"`
	VanafDatum     string          `json:"vanafDatum"`
	TotDatum       string          `json:"totDatum"`
	Leerling       *leerlingPrimer `json:"leerling"`
	Huidig         bool            `json:"huidig"`
	Stamgroepnaam  string          `json:"stamgroepnaam"`
	Opleidingsnaam string          `json:"opleidingsnaam"`
	Leerjaar       int             `json:"leerjaar"`
	Schooljaar     schooljaar      `json:"schooljaar"`
	Vestiging      vestigingFull   `json:"vestiging"`
}

// placement is a pupil's class group in one school year.
type placement struct {
	pupil school.Pupil
	class school.Group
	year  school.SchoolYear
	// choices are the pupil's lesson groups of the same year.
	choices []school.Group
	uuid    string
	level   int
	kind    string // "HAVO"
}

// placementUUID names a (pupil, class group) pair stably: it is the key
// clients use for averages and per-subject grades.
func placementUUID(p school.Pupil, g school.Group) string {
	b := sha256.Sum256([]byte("plaatsing|" + p.UUID + "|" + g.UUID))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// classLevel reads the year and kind of school from a class group name
// such as "4havo-a": 4 and "HAVO".
func classLevel(name string) (int, string) {
	level := 0
	i := 0
	for i < len(name) && name[i] >= '0' && name[i] <= '9' {
		level = level*10 + int(name[i]-'0')
		i++
	}
	kind := strings.FieldsFunc(name[i:], func(r rune) bool { return !unicode.IsLetter(r) })
	if len(kind) == 0 {
		return level, ""
	}
	return level, strings.ToUpper(kind[0])
}

// placements loads the placements of the pupils, by pupil then year.
func (h *Handler) placements(c *call, pupilIDs []school.ID) ([]placement, error) {
	groups, err := h.store.PupilGroups(c.ctx(), c.v.SchoolID, pupilIDs)
	if err != nil {
		return nil, fmt.Errorf("load groups: %w", err)
	}
	years, err := h.store.SchoolYears(c.ctx(), c.v.SchoolID)
	if err != nil {
		return nil, fmt.Errorf("load school years: %w", err)
	}
	pupils, err := h.store.Pupils(c.ctx(), c.v.SchoolID, pupilIDs)
	if err != nil {
		return nil, fmt.Errorf("load pupils: %w", err)
	}
	var out []placement
	for _, p := range pupils {
		for _, y := range years {
			for _, g := range groups {
				if g.SubjectID != 0 || g.YearID != y.ID || !contains(g.PupilIDs, p.ID) {
					continue
				}
				pl := placement{pupil: p, class: g, year: y, uuid: placementUUID(p, g)}
				pl.level, pl.kind = classLevel(g.Name)
				for _, lg := range groups {
					if lg.SubjectID != 0 && lg.YearID == y.ID && contains(lg.PupilIDs, p.ID) {
						pl.choices = append(pl.choices, lg)
					}
				}
				out = append(out, pl)
			}
		}
	}
	return out, nil
}

func contains(ids []school.ID, id school.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (h *Handler) lichting(c *call, pl placement) *lichting {
	sj := h.schooljaar(c.v, pl.year)
	return &lichting{
		envelope: envelope{Type: typeLichting,
			Links:       selfLink(h.base, "lichtingen", typeLichting, pl.class.ID),
			Permissions: c.v.Permissions(typeLichting, pl.class.ID)},
		Naam: fmt.Sprintf("%s %d %s", pl.kind, pl.level, pl.year.Name),
		LichtingSchooljaren: []lichtingSchooljaar{{
			envelope: envelope{Type: typeLichtingJaar,
				Links:       []link{{ID: int64(pl.class.ID), Rel: "koppeling", Type: typeLichtingJaar}},
				Permissions: c.v.Permissions(typeLichtingJaar, pl.class.ID)},
			Schooljaar: sj, Leerjaar: pl.level, HeeftExamendossier: pl.level >= 4,
		}},
		Onderwijssoort: onderwijssoort{Type: typeOnderwijssoort, Afkorting: pl.kind,
			IsOnderbouw: pl.level <= 3},
		UUID: pl.class.UUID,
	}
}

// vakkeuzes lists the subject choices of the pupils, optionally only
// those of the year around actiefOpPeildatum.
func (h *Handler) vakkeuzes(w http.ResponseWriter, c *call) error {
	ids, err := c.pupilsOf("leerling", school.SwitchSubjects)
	if err != nil {
		return err
	}
	on, err := c.queryDate("actiefOpPeildatum")
	if err != nil {
		return err
	}

	pls, err := h.placements(c, ids)
	if err != nil {
		return err
	}
	var subjectIDs []school.ID
	for _, pl := range pls {
		for _, g := range pl.choices {
			subjectIDs = append(subjectIDs, g.SubjectID)
		}
	}
	subjects, err := h.subjectsOf(c, subjectIDs)
	if err != nil {
		return err
	}

	extra := additionalNames(c.query["additional"])
	items := []vakkeuze{}
	for _, pl := range pls {
		if !on.IsZero() && !pl.year.Current(on) {
			continue
		}
		for _, g := range pl.choices {
			vk := h.vakkeuze(c, pl, g, subjects[g.SubjectID])
			if extra["vaknormering"] {
				vk.Additional = append(vk.Additional, kv{"vaknormering", vakNormering{
					Type: typeVakNormering, VakID: int64(g.SubjectID),
					Toetsnormering1: "Standaard", Toetsnormering2: "Alternatief"}})
			}
			items = append(items, vk)
		}
	}
	writeList(h, w, c, items)
	return nil
}

func (h *Handler) vakkeuze(c *call, pl placement, g school.Group, s school.Subject) vakkeuze {
	l := h.lichting(c, pl)
	return vakkeuze{
		envelope: envelope{Type: typeVakkeuze,
			Links:       []link{{ID: int64(g.ID), Rel: "koppeling", Type: typeVakkeuze}},
			Permissions: c.v.Permissions(typeVakkeuze, g.ID)},
		Vak: h.vak(c.v, s, false), Leerling: h.leerlingPrimer(c.v, pl.pupil),
		Lichting: l, RelevanteCijferLichting: l,
	}
}

// plaatsingen lists the placements of the pupils.
func (h *Handler) plaatsingen(w http.ResponseWriter, c *call) error {
	ids, err := c.pupilsOf("leerling", "")
	if err != nil {
		return err
	}

	pls, err := h.placements(c, ids)
	if err != nil {
		return err
	}
	branches := map[school.ID]school.Branch{}
	for _, pl := range pls {
		if _, ok := branches[pl.pupil.BranchID]; !ok {
			b, err := h.store.Branch(c.ctx(), c.v.SchoolID, pl.pupil.BranchID)
			if err != nil {
				return fmt.Errorf("load branch: %w", err)
			}
			branches[b.ID] = b
		}
	}

	now := h.now()
	items := make([]plaatsing, len(pls))
	for i, pl := range pls {
		b := branches[pl.pupil.BranchID]
		items[i] = plaatsing{
			envelope: envelope{Type: typePlaatsing,
				Links:       []link{{ID: int64(pl.class.ID), Rel: "koppeling", Type: typePlaatsing}},
				Permissions: c.v.Permissions(typePlaatsing, pl.class.ID)},
			UUID: pl.uuid, VanafDatum: school.FormatDate(pl.year.From),
			TotDatum: school.FormatDate(pl.year.To), Leerling: h.leerlingPrimer(c.v, pl.pupil),
			Huidig: pl.year.Current(now), Stamgroepnaam: pl.class.Name, Opleidingsnaam: pl.kind,
			Leerjaar: pl.level, Schooljaar: h.schooljaar(c.v, pl.year),
			Vestiging: vestigingFull{envelope: envelope{
				Links:       selfLink(h.base, "vestigingen", typeVestiging, b.ID),
				Permissions: c.v.Permissions(typeVestiging, b.ID)},
				Naam: b.Name, UpperUUID: b.UUID, UUID: b.UUID},
		}
	}
	writeList(h, w, c, items)
	return nil
}

// placementByUUID finds a placement of a pupil the viewer may read, with
// the grades switch as the kind of record asked for.
func (h *Handler) placementByUUID(c *call, uuid string) (placement, error) {
	if !c.v.Allows(school.SwitchGrades) {
		return placement{}, errForbidden
	}
	pls, err := h.placements(c, c.v.Pupils())
	if err != nil {
		return placement{}, err
	}
	for _, pl := range pls {
		if pl.uuid == uuid {
			return pl, nil
		}
	}
	return placement{}, errForbidden
}

type gemiddeldeResultaat struct {
	FormattedResultaat string `json:"formattedResultaat"`
	IsVoldoende        bool   `json:"isVoldoende"`
	Type               string `json:"type"`
	Weging             int    `json:"weging"`
	Omschrijving       string `json:"omschrijving"`
	Herkansing         string `json:"herkansing"`
	IsLabel            bool   `json:"isLabel"`
	IsCijfer           bool   `json:"isCijfer"`
}

type vakGemiddelde struct {
	Vakkeuze                    vakkeuze             `json:"vakkeuze"`
	VakAnderNiveau              *string              `json:"vakAnderNiveau"`
	NiveauOmschrijving          string               `json:"niveauOmschrijving"`
	AfwijkendNiveauOmschrijving string               `json:"afwijkendNiveauOmschrijving"`
	Voortgang                   *gemiddeldeResultaat `json:"voortgangsdossierResultaat"`
	VoortgangAfwijkend          *gemiddeldeResultaat `json:"voortgangsdossierResultaatAfwijkend"`
	Examen                      *gemiddeldeResultaat `json:"examendossierResultaat"`
}

type vakGemiddelden struct {
	Gemiddelden []vakGemiddelde `json:"gemiddelden"`
	Gemiddelde  *float64        `json:"voortgangsdossierGemiddelde"`
}

// vakgemiddelden answers, bare, the averages per subject of one
// placement, computed from the year's grades as decisions.md says.
func (h *Handler) vakgemiddelden(w http.ResponseWriter, c *call) error {
	pl, err := h.placementByUUID(c, c.params[0])
	if err != nil {
		return err
	}

	grades, err := h.allGrades(c, pl.pupil.ID)
	if err != nil {
		return err
	}
	var subjectIDs []school.ID
	for _, g := range pl.choices {
		subjectIDs = append(subjectIDs, g.SubjectID)
	}
	subjects, err := h.subjectsOf(c, subjectIDs)
	if err != nil {
		return err
	}

	out := vakGemiddelden{Gemiddelden: []vakGemiddelde{}}
	var sum, n int
	for _, lg := range pl.choices {
		var progress, exam []school.Grade
		for _, g := range grades {
			if g.SubjectID == lg.SubjectID && inYear(pl.year, g) {
				if g.InProgress {
					progress = append(progress, g)
				}
				if g.InExam {
					exam = append(exam, g)
				}
			}
		}
		vg := vakGemiddelde{Vakkeuze: h.vakkeuze(c, pl, lg, subjects[lg.SubjectID])}
		vg.Vakkeuze.Leerling = nil
		if t, ok := school.Average(progress); ok {
			vg.Voortgang = averageResult(t, school.ColumnReportAverage)
			sum += t
			n++
		}
		if t, ok := school.Average(exam); ok {
			vg.Examen = averageResult(t, school.ColumnSEAverage)
		}
		out.Gemiddelden = append(out.Gemiddelden, vg)
	}
	if n > 0 {
		// The mean of the subject averages, in hundredths, half up.
		hundredths := (20*sum + n) / (2 * n)
		f := float64(hundredths) / 100
		out.Gemiddelde = &f
	}
	h.write(w, c.format, http.StatusOK, "", out)
	return nil
}

func averageResult(tenths int, columnType string) *gemiddeldeResultaat {
	return &gemiddeldeResultaat{FormattedResultaat: string(school.AppendTenths(nil, tenths, ',')),
		IsVoldoende: tenths >= 55, Type: columnType, Herkansing: "Geen", IsCijfer: true}
}

// inYear reports whether a grade was entered in the school year.
func inYear(y school.SchoolYear, g school.Grade) bool {
	d := school.DateOf(g.Entered)
	return !d.Before(y.From) && !d.After(y.To)
}

// allGrades loads every grade of one pupil, in entry order. The newer
// grade endpoints filter and group in ways the store's page cannot, and
// one pupil's grades are a few hundred rows.
func (h *Handler) allGrades(c *call, pupil school.ID) ([]school.Grade, error) {
	grades, _, err := h.store.Grades(c.ctx(), school.GradeQuery{SchoolID: c.v.SchoolID,
		PupilIDs: []school.ID{pupil}})
	if err != nil {
		return nil, fmt.Errorf("load grades: %w", err)
	}
	return grades, nil
}
