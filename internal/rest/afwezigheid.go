package rest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Absences: absentiemeldingen, absentieredenen, waarnemingen, the
// registration overview and active measures.

const (
	typeAbsentieMelding = "participatie.RAbsentieMelding"
	typeAbsentieReden   = "participatie.RAbsentieReden"
	typeWaarneming      = "participatie.RWaarneming"
	typeAfspraakPrimer  = "participatie.RAfspraakPrimer"
	typeMaatregel       = "participatie.RMaatregelToekenning"
)

type absentieReden struct {
	envelope
	AbsentieSoort               string `json:"absentieSoort"`
	Afkorting                   string `json:"afkorting"`
	Omschrijving                string `json:"omschrijving"`
	Geoorloofd                  bool   `json:"geoorloofd"`
	KiesbaarDoorVerzorger       bool   `json:"kiesbaarDoorVerzorger"`
	VerzorgerMagTijdstipKiezen  bool   `json:"verzorgerMagTijdstipKiezen"`
	VerzorgerEinddatumVerplicht bool   `json:"verzorgerEinddatumVerplicht"`
	StandaardAfgehandeld        bool   `json:"standaardAfgehandeld"`
}

type absentieMelding struct {
	envelope
	Leerling        *leerlingPrimer   `json:"leerling"`
	AbsentieReden   *absentieReden    `json:"absentieReden"`
	DatumTijdInvoer string            `json:"datumTijdInvoer"`
	BeginDatumTijd  string            `json:"beginDatumTijd"`
	EindDatumTijd   string            `json:"eindDatumTijd,omitempty"`
	BeginLesuur     int               `json:"beginLesuur,omitempty"`
	EindLesuur      int               `json:"eindLesuur,omitempty"`
	Afgehandeld     bool              `json:"afgehandeld"`
	Opmerkingen     string            `json:"opmerkingen"`
	Eigenaar        *medewerkerPrimer `json:"eigenaar"`
}

type afspraakPrimer struct {
	envelope
	BeginDatumTijd string `json:"beginDatumTijd"`
	EindDatumTijd  string `json:"eindDatumTijd"`
}

type waarneming struct {
	envelope
	BeginDatumTijd      string            `json:"beginDatumTijd"`
	EindDatumTijd       string            `json:"eindDatumTijd"`
	BeginLesuur         int               `json:"beginLesuur,omitempty"`
	EindLesuur          int               `json:"eindLesuur,omitempty"`
	WaarnemingSoort     string            `json:"waarnemingSoort"`
	Leerling            *leerlingPrimer   `json:"leerling"`
	Afspraak            afspraakPrimer    `json:"afspraak"`
	AbsentieReden       *absentieReden    `json:"absentieReden,omitempty"`
	Afgehandeld         bool              `json:"afgehandeld"`
	InvoerDatum         string            `json:"invoerDatum"`
	LaatstGewijzigd     string            `json:"laatstGewijzigdDatum"`
	Herkomst            string            `json:"herkomst"`
	IngevoerdDoor       *medewerkerPrimer `json:"ingevoerdDoor"`
	LaatstGewijzigdDoor *medewerkerPrimer `json:"laatstGewijzigdDoor"`
}

// absenceRefs are the reasons and staff a page of absences refers to.
type absenceRefs struct {
	reasons map[school.ID]*absentieReden
	staff   map[school.ID]*medewerkerPrimer
	pupils  map[school.ID]school.Pupil
}

func (h *Handler) loadAbsenceRefs(c *call, pupilIDs, staffIDs []school.ID) (absenceRefs, error) {
	refs := absenceRefs{reasons: map[school.ID]*absentieReden{},
		staff: map[school.ID]*medewerkerPrimer{}}
	reasons, err := h.store.AbsenceReasons(c.ctx(), c.v.SchoolID)
	if err != nil {
		return refs, fmt.Errorf("load absence reasons: %w", err)
	}
	for _, r := range reasons {
		ar := h.absentieReden(c, r)
		ar.Type = ""
		refs.reasons[r.ID] = &ar
	}
	staff, err := h.store.StaffMembers(c.ctx(), c.v.SchoolID, staffIDs)
	if err != nil {
		return refs, fmt.Errorf("load staff: %w", err)
	}
	for _, s := range staff {
		m := h.medewerkerPrimer(c.v, s)
		m.Type = ""
		refs.staff[s.ID] = &m
	}
	refs.pupils, err = h.loadPupilMap(c, pupilIDs)
	return refs, err
}

func (h *Handler) absentieReden(c *call, r school.AbsenceReason) absentieReden {
	return absentieReden{
		envelope: envelope{Type: typeAbsentieReden,
			Links:       selfLink(h.base, "absentieredenen", typeAbsentieReden, r.ID),
			Permissions: c.v.Permissions(typeAbsentieReden, r.ID)},
		AbsentieSoort: r.Kind, Afkorting: r.Abbrev, Omschrijving: r.Description,
		Geoorloofd: r.Authorised, KiesbaarDoorVerzorger: r.Authorised,
		StandaardAfgehandeld: r.Authorised,
	}
}

// absentiemeldingen lists the absence reports of the pupils, from
// begindatumtijd to einddatumtijd (inclusive dates).
func (h *Handler) absentiemeldingen(w http.ResponseWriter, c *call) error {
	ids, err := c.pupilsOf("leerling", school.SwitchAbsences)
	if err != nil {
		return err
	}
	from, to, err := c.dateWindow("begindatumtijd", "einddatumtijd")
	if err != nil {
		return err
	}
	win, page := c.page()

	reports, total, err := h.store.AbsenceReports(c.ctx(), c.v.SchoolID, ids, from, to, page)
	if err != nil {
		return fmt.Errorf("load absence reports: %w", err)
	}
	var pupilIDs, staffIDs []school.ID
	for _, a := range reports {
		pupilIDs, staffIDs = append(pupilIDs, a.PupilID), append(staffIDs, a.StaffID)
	}
	refs, err := h.loadAbsenceRefs(c, pupilIDs, staffIDs)
	if err != nil {
		return err
	}

	items := make([]absentieMelding, len(reports))
	for i, a := range reports {
		items[i] = absentieMelding{
			envelope: envelope{Type: typeAbsentieMelding,
				Links:       selfLink(h.base, "absentiemeldingen", typeAbsentieMelding, a.ID),
				Permissions: c.v.Permissions(typeAbsentieMelding, a.ID)},
			Leerling: h.primerOf(c, refs.pupils, a.PupilID), AbsentieReden: refs.reasons[a.ReasonID],
			DatumTijdInvoer: school.FormatTimestamp(a.Entered),
			BeginDatumTijd:  school.FormatTimestamp(a.Start),
			BeginLesuur:     a.BeginHour, EindLesuur: a.EndHour, Afgehandeld: a.Handled,
			Opmerkingen: a.Remarks, Eigenaar: refs.staff[a.StaffID],
		}
		if !a.End.IsZero() {
			items[i].EindDatumTijd = school.FormatTimestamp(a.End)
		}
	}
	h.write(w, c.format, http.StatusOK, contentRange(win.first, len(items), total),
		list[absentieMelding]{Items: items})
	return nil
}

// absentieredenen lists the school's absence reasons.
func (h *Handler) absentieredenen(w http.ResponseWriter, c *call) error {
	if _, err := c.pupilsOf("leerling", school.SwitchAbsences); err != nil {
		return err
	}

	reasons, err := h.store.AbsenceReasons(c.ctx(), c.v.SchoolID)
	if err != nil {
		return fmt.Errorf("load absence reasons: %w", err)
	}

	items := make([]absentieReden, len(reasons))
	for i, r := range reasons {
		items[i] = h.absentieReden(c, r)
	}
	writeList(h, w, c, items)
	return nil
}

// waarnemingen lists the pupils' observations, filtered by
// waarnemingSoort and isGeoorloofd, from begintNaOfOp or between
// beginDatumTijd and eindDatumTijd.
func (h *Handler) waarnemingen(w http.ResponseWriter, c *call) error {
	ids, err := c.pupilsOf("leerling", school.SwitchAbsences)
	if err != nil {
		return err
	}
	kind := c.query.Get("waarnemingSoort")
	if kind != "" && kind != "Aanwezig" && kind != "Afwezig" {
		return badRequest("waarnemingSoort must be Aanwezig or Afwezig")
	}
	authorised, err := c.queryBool("isGeoorloofd")
	if err != nil {
		return err
	}
	from, to, err := c.dateWindow("beginDatumTijd", "eindDatumTijd")
	if err != nil {
		return err
	}
	if after, err := c.queryDate("begintNaOfOp"); err != nil {
		return err
	} else if !after.IsZero() {
		from = after
	}

	// The two filters are few rows' worth; they are applied here and the
	// page cut after them.
	all, _, err := h.store.Observations(c.ctx(), c.v.SchoolID, ids, from, to, school.Page{})
	if err != nil {
		return fmt.Errorf("load observations: %w", err)
	}
	var kept []school.Observation
	for _, o := range all {
		if (kind == "" || o.Kind == kind) && (authorised == nil || o.Authorised == *authorised) {
			kept = append(kept, o)
		}
	}
	items, err := h.waarnemingItems(c, kept)
	if err != nil {
		return err
	}
	writeList(h, w, c, items)
	return nil
}

func (h *Handler) waarnemingItems(c *call, obs []school.Observation) ([]waarneming, error) {
	var pupilIDs, staffIDs []school.ID
	for _, o := range obs {
		pupilIDs, staffIDs = append(pupilIDs, o.PupilID), append(staffIDs, o.StaffID)
	}
	refs, err := h.loadAbsenceRefs(c, pupilIDs, staffIDs)
	if err != nil {
		return nil, err
	}
	items := make([]waarneming, len(obs))
	for i, o := range obs {
		items[i] = waarneming{
			envelope: envelope{Type: typeWaarneming,
				Links:       selfLink(h.base, "waarnemingen", typeWaarneming, o.ID),
				Permissions: c.v.Permissions(typeWaarneming, o.ID)},
			BeginDatumTijd: school.FormatTimestamp(o.Start),
			EindDatumTijd:  school.FormatTimestamp(o.End),
			BeginLesuur:    o.BeginHour, EindLesuur: o.EndHour, WaarnemingSoort: o.Kind,
			Leerling: h.primerOf(c, refs.pupils, o.PupilID),
			Afspraak: afspraakPrimer{envelope: envelope{
				Links:       selfLink(h.base, "afspraken", typeAfspraakPrimer, o.LessonID),
				Permissions: c.v.Permissions(typeAfspraakPrimer, o.LessonID)},
				BeginDatumTijd: school.FormatTimestamp(o.Start),
				EindDatumTijd:  school.FormatTimestamp(o.End)},
			AbsentieReden: refs.reasons[o.ReasonID], Afgehandeld: o.Handled,
			InvoerDatum:     school.FormatTimestamp(o.Entered),
			LaatstGewijzigd: school.FormatTimestamp(o.Entered), Herkomst: "Medewerker",
			IngevoerdDoor: refs.staff[o.StaffID], LaatstGewijzigdDoor: refs.staff[o.StaffID],
		}
	}
	return items, nil
}

// registratie is one entry of a bucket of the registration overview.
type registratie struct {
	Begin            string          `json:"beginDatumTijd"`
	Eind             string          `json:"eindDatumTijd"`
	Omschrijving     string          `json:"omschrijving"`
	Geoorloofd       bool            `json:"geoorloofd"`
	Afgehandeld      bool            `json:"afgehandeld"`
	RegistratieID    int64           `json:"registratieId"`
	BeginLesuur      int             `json:"beginLesuur,omitempty"`
	Locatie          string          `json:"locatie,omitempty"`
	UniqueIdentifier string          `json:"uniqueIdentifier,omitempty"`
	Vak              *registratieVak `json:"vak,omitempty"`
}

type registratieVak struct {
	Naam      string `json:"naam"`
	Afkorting string `json:"afkorting"`
}

type registratieOverzicht struct {
	AfwezigWaarnemingen []registratie `json:"afwezigWaarnemingen"`
	OngeoorloofdAfwezig []registratie `json:"ongeoorloofdAfwezig"`
	GeoorloofdAfwezig   []registratie `json:"geoorloofdAfwezig"`
	TeLaat              []registratie `json:"teLaat"`
	Verwijderd          []registratie `json:"verwijderd"`
	HuiswerkNietGemaakt []registratie `json:"huiswerkNietGemaakt"`
	MateriaalNietInOrde []registratie `json:"materiaalNietInOrde"`
}

// registratieOverzicht counts one pupil's registrations over a period.
// periode is required: the real service answers 500 without it, opensom
// a 400 that says why.
func (h *Handler) registratieOverzicht(w http.ResponseWriter, c *call) error {
	id, err := c.pathPupil(0, school.SwitchAbsences)
	if err != nil {
		return err
	}
	from, to, err := h.periodWindow(c, c.query.Get("periode"))
	if err != nil {
		return err
	}

	obs, _, err := h.store.Observations(c.ctx(), c.v.SchoolID, []school.ID{id}, from, to,
		school.Page{})
	if err != nil {
		return fmt.Errorf("load observations: %w", err)
	}
	out := registratieOverzicht{}
	buckets := map[string]*[]registratie{
		school.RegLate: &out.TeLaat, school.RegRemoved: &out.Verwijderd,
		school.RegNoHomework: &out.HuiswerkNietGemaakt, school.RegNoMaterial: &out.MateriaalNietInOrde,
	}
	for _, o := range obs {
		e, err := h.registratie(c, o)
		if err != nil {
			return err
		}
		switch {
		case o.Registration == school.RegAbsent:
			out.AfwezigWaarnemingen = append(out.AfwezigWaarnemingen, e)
			if o.Authorised {
				out.GeoorloofdAfwezig = append(out.GeoorloofdAfwezig, e)
			} else {
				out.OngeoorloofdAfwezig = append(out.OngeoorloofdAfwezig, e)
			}
		case buckets[o.Registration] != nil:
			*buckets[o.Registration] = append(*buckets[o.Registration], e)
		}
	}
	for _, b := range []*[]registratie{&out.AfwezigWaarnemingen, &out.OngeoorloofdAfwezig,
		&out.GeoorloofdAfwezig, &out.TeLaat, &out.Verwijderd, &out.HuiswerkNietGemaakt,
		&out.MateriaalNietInOrde} {
		if *b == nil {
			*b = []registratie{}
		}
	}
	h.write(w, c.format, http.StatusOK, "", out)
	return nil
}

func (h *Handler) registratie(c *call, o school.Observation) (registratie, error) {
	e := registratie{Begin: school.FormatTimestamp(o.Start), Eind: school.FormatTimestamp(o.End),
		Omschrijving: o.Registration, Geoorloofd: o.Authorised, Afgehandeld: o.Handled,
		RegistratieID: int64(o.ID)}
	if o.Registration != school.RegNoHomework && o.Registration != school.RegNoMaterial {
		return e, nil
	}
	// Lesson entries name their lesson; there are a handful per period.
	l, err := h.store.Lesson(c.ctx(), c.v.SchoolID, o.LessonID)
	if err != nil {
		return e, fmt.Errorf("load lesson of observation: %w", err)
	}
	e.BeginLesuur, e.Locatie = l.BeginHour, l.Location
	e.UniqueIdentifier = lessonUID(l)
	if l.SubjectID != 0 {
		s, err := h.store.Subject(c.ctx(), c.v.SchoolID, l.SubjectID)
		if err != nil {
			return e, fmt.Errorf("load subject of lesson: %w", err)
		}
		e.Vak = &registratieVak{Naam: s.Name, Afkorting: s.Abbrev}
	}
	return e, nil
}

// periodWindow turns a periode value into [from, to) around today.
func (h *Handler) periodWindow(c *call, periode string) (time.Time, time.Time, error) {
	today := school.DateOf(h.now())
	tomorrow := today.AddDate(0, 0, 1)
	switch periode {
	case "ZEVEN_DAGEN":
		return today.AddDate(0, 0, -6), tomorrow, nil
	case "DERTIG_DAGEN":
		return today.AddDate(0, 0, -29), tomorrow, nil
	case "CIJFERPERIODE", "SCHOOLJAAR":
	case "":
		return time.Time{}, time.Time{}, badRequest("periode is required: ZEVEN_DAGEN, " +
			"DERTIG_DAGEN, CIJFERPERIODE or SCHOOLJAAR")
	default:
		return time.Time{}, time.Time{}, badRequest("periode %q is not one of ZEVEN_DAGEN, "+
			"DERTIG_DAGEN, CIJFERPERIODE or SCHOOLJAAR", periode)
	}
	years, err := h.store.SchoolYears(c.ctx(), c.v.SchoolID)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("load school years: %w", err)
	}
	y, ok := yearAt(years, today)
	if !ok {
		return today, today, nil // between years: nothing
	}
	if periode == "SCHOOLJAAR" {
		return y.From, y.To.AddDate(0, 0, 1), nil
	}
	from, to := gradePeriod(y, today)
	return from, to, nil
}

// gradePeriod is the cijferperiode around today: four periods that change
// on 15 November, 1 February and 16 April, as the demo schools have them.
//
// TODO: periods are not stored per school, so every school gets these
// four; a school with other period dates sees wrong CIJFERPERIODE counts.
func gradePeriod(y school.SchoolYear, today time.Time) (time.Time, time.Time) {
	start := y.From.Year()
	bounds := []time.Time{y.From, school.Date(start, time.November, 15),
		school.Date(start+1, time.February, 1), school.Date(start+1, time.April, 16),
		y.To.AddDate(0, 0, 1)}
	for i := 0; i+1 < len(bounds); i++ {
		if today.Before(bounds[i+1]) {
			return bounds[i], bounds[i+1]
		}
	}
	return bounds[3], bounds[4]
}

type maatregelToekenning struct {
	envelope
	Maatregel            maatregel       `json:"maatregel"`
	MaatregelDatum       string          `json:"maatregelDatum"`
	Nagekomen            bool            `json:"nagekomen"`
	Opmerkingen          string          `json:"opmerkingen"`
	AutomatischToegekend bool            `json:"automatischToegekend"`
	VeroorzaaktDoor      string          `json:"veroorzaaktDoor"`
	Leerling             *leerlingPrimer `json:"leerling"`
}

type maatregel struct {
	Omschrijving string `json:"omschrijving"`
}

// maatregelen lists a pupil's measures that are not yet done.
func (h *Handler) maatregelen(w http.ResponseWriter, c *call) error {
	id, err := c.pathPupil(0, school.SwitchMeasures)
	if err != nil {
		return err
	}

	ms, err := h.store.Measures(c.ctx(), c.v.SchoolID, []school.ID{id})
	if err != nil {
		return fmt.Errorf("load measures: %w", err)
	}
	pupils, err := h.loadPupilMap(c, []school.ID{id})
	if err != nil {
		return err
	}

	items := []maatregelToekenning{}
	for _, m := range ms {
		if m.Done {
			continue
		}
		items = append(items, maatregelToekenning{
			envelope: envelope{Type: typeMaatregel,
				Links:       selfLink(h.base, "maatregeltoekenningen", typeMaatregel, m.ID),
				Permissions: c.v.Permissions(typeMaatregel, m.ID)},
			Maatregel: maatregel{Omschrijving: m.Name}, MaatregelDatum: school.FormatTimestamp(m.Date),
			Nagekomen: m.Done, Opmerkingen: m.Remarks, AutomatischToegekend: m.Automatic,
			VeroorzaaktDoor: m.Cause, Leerling: h.primerOf(c, pupils, m.PupilID),
		})
	}
	writeList(h, w, c, items)
	return nil
}
