package rest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// Homework: study guides, the three toekenning lists and the "done"
// ticks a pupil sets with PUT swigemaakt.

const (
	typeStudiewijzer     = "studiewijzer.RStudiewijzer"
	typeStudiewijzerItem = "studiewijzer.RStudiewijzerItem"
	typeLesgroep         = "onderwijsinrichting.RLesgroep"
	typeSWIGemaakt       = access.TypeHomeworkDone
	longWrapper          = "LongWrapper"
)

// homeworkLists are the three lists by kind: collection and $type.
var homeworkLists = map[school.HomeworkKind]struct{ collection, apiType string }{
	school.HomeworkLesson: {"studiewijzeritemafspraaktoekenningen",
		"studiewijzer.RSWIAfspraakToekenning"},
	school.HomeworkDay:  {"studiewijzeritemdagtoekenningen", "studiewijzer.RSWIDagToekenning"},
	school.HomeworkWeek: {"studiewijzeritemweektoekenningen", "studiewijzer.RSWIWeekToekenning"},
}

type lesgroep struct {
	envelope
	UUID                     string      `json:"UUID"`
	Naam                     string      `json:"naam"`
	Schooljaar               *schooljaar `json:"schooljaar"`
	Vak                      *vak        `json:"vak"`
	HeeftStamgroep           bool        `json:"heeftStamgroep"`
	ExamendossierOndersteund bool        `json:"examendossierOndersteund"`
	Vestiging                vestiging   `json:"vestiging"`
}

type studiewijzerRef struct {
	envelope
	UUID      string    `json:"uuid"`
	Naam      string    `json:"naam"`
	Vestiging vestiging `json:"vestiging"`
}

type studiewijzer struct {
	studiewijzerRef
	UpperUUID string    `json:"UUID"`
	Lesgroep  *lesgroep `json:"lesgroep"`
}

type studiewijzerItem struct {
	envelope
	Onderwerp                    string `json:"onderwerp"`
	HuiswerkType                 string `json:"huiswerkType"`
	Omschrijving                 string `json:"omschrijving"`
	Inleverperiodes              bool   `json:"inleverperiodes"`
	Lesmateriaal                 bool   `json:"lesmateriaal"`
	Projectgroepen               bool   `json:"projectgroepen"`
	Bijlagen                     []any  `json:"bijlagen"`
	ExterneMaterialen            []any  `json:"externeMaterialen"`
	Inlevermomenten              []any  `json:"inlevermomenten"`
	Tonen                        bool   `json:"tonen"`
	NotitieZichtbaarVoorLeerling bool   `json:"notitieZichtbaarVoorLeerling"`
	Leerdoelen                   string `json:"leerdoelen"`
}

type toekenning struct {
	envelope
	Studiewijzer      studiewijzerRef  `json:"studiewijzer"`
	StudiewijzerItem  studiewijzerItem `json:"studiewijzerItem"`
	Sortering         int              `json:"sortering"`
	Lesgroep          *lesgroep        `json:"lesgroep"`
	DatumTijd         string           `json:"datumTijd,omitempty"`
	AangemaaktOp      string           `json:"aangemaaktOpDatumTijd,omitempty"`
	WeeknummerVanaf   int              `json:"weeknummerVanaf,omitempty"`
	WeeknummerTm      int              `json:"weeknummerTm,omitempty"`
	SynchroniseertMet *string          `json:"synchroniseertMet,omitempty"`
}

type swiGemaakt struct {
	envelope
	Leerling        *leerlingPrimer `json:"leerling"`
	SwiToekenning   *envelope       `json:"swiToekenning,omitempty"`
	SwiToekenningID int64           `json:"swiToekenningId"`
	Gemaakt         bool            `json:"gemaakt"`
}

type longValues struct {
	Type   string  `json:"$type"`
	Values []int64 `json:"values"`
}

// homeworkRefs is what a page of homework refers to, loaded once.
type homeworkRefs struct {
	groups  map[school.ID]school.Group
	guides  map[school.ID]school.StudyGuide
	lesgrp  map[school.ID]*lesgroep
	pupils  map[school.ID]school.Pupil // readable ones
	ticks   map[[2]school.ID]school.HomeworkDone
	branch  vestiging
	visible map[school.ID][]school.ID // readable members per group
}

func (h *Handler) loadHomeworkRefs(c *call, pupilIDs []school.ID,
	items []school.Homework) (homeworkRefs, error) {
	ctx := c.ctx()
	refs := homeworkRefs{groups: map[school.ID]school.Group{},
		guides: map[school.ID]school.StudyGuide{},
		lesgrp: map[school.ID]*lesgroep{}, ticks: map[[2]school.ID]school.HomeworkDone{},
		visible: map[school.ID][]school.ID{}}
	groups, err := h.store.PupilGroups(ctx, c.v.SchoolID, pupilIDs)
	if err != nil {
		return refs, fmt.Errorf("load groups: %w", err)
	}
	guides, err := h.store.StudyGuides(ctx, c.v.SchoolID, pupilIDs)
	if err != nil {
		return refs, fmt.Errorf("load study guides: %w", err)
	}
	for _, g := range guides {
		refs.guides[g.ID] = g
	}
	if refs.pupils, err = h.loadPupilMap(c, pupilIDs); err != nil {
		return refs, err
	}
	if len(pupilIDs) > 0 {
		b, err := h.store.Branch(ctx, c.v.SchoolID, refs.pupils[pupilIDs[0]].BranchID)
		if err != nil {
			return refs, fmt.Errorf("load branch: %w", err)
		}
		refs.branch = h.vestigingOf(c, b)
	}
	years, err := h.store.SchoolYears(ctx, c.v.SchoolID)
	if err != nil {
		return refs, fmt.Errorf("load school years: %w", err)
	}
	var subjectIDs []school.ID
	for _, g := range groups {
		subjectIDs = append(subjectIDs, g.SubjectID)
	}
	subjects, err := h.subjectsOf(c, subjectIDs)
	if err != nil {
		return refs, err
	}
	for _, g := range groups {
		refs.groups[g.ID] = g
		refs.lesgrp[g.ID] = h.lesgroep(c, g, years, subjects, refs.branch)
		for _, id := range g.PupilIDs {
			if _, ok := refs.pupils[id]; ok {
				refs.visible[g.ID] = append(refs.visible[g.ID], id)
			}
		}
	}
	hwIDs := make([]school.ID, len(items))
	for i, it := range items {
		hwIDs[i] = it.ID
	}
	ticks, err := h.store.HomeworkDone(ctx, c.v.SchoolID, hwIDs, pupilIDs)
	if err != nil {
		return refs, fmt.Errorf("load homework ticks: %w", err)
	}
	for _, t := range ticks {
		refs.ticks[[2]school.ID{t.HomeworkID, t.PupilID}] = t
	}
	return refs, nil
}

func (h *Handler) vestigingOf(c *call, b school.Branch) vestiging {
	return vestiging{envelope: envelope{
		Links:       selfLink(h.base, "vestigingen", typeVestiging, b.ID),
		Permissions: c.v.Permissions(typeVestiging, b.ID)}, Naam: b.Name}
}

func (h *Handler) lesgroep(c *call, g school.Group, years []school.SchoolYear,
	subjects map[school.ID]school.Subject, branch vestiging) *lesgroep {
	lg := &lesgroep{
		envelope: envelope{Links: selfLink(h.base, "lesgroepen", typeLesgroep, g.ID),
			Permissions: c.v.Permissions(typeLesgroep, g.ID)},
		UUID: g.UUID, Naam: g.Name, HeeftStamgroep: g.SubjectID == 0, Vestiging: branch,
	}
	for _, y := range years {
		if y.ID == g.YearID {
			sj := h.schooljaar(c.v, y)
			lg.Schooljaar = &sj
		}
	}
	if s, ok := subjects[g.SubjectID]; ok {
		v := h.vak(c.v, s, false)
		lg.Vak = &v
	}
	return lg
}

func (h *Handler) guideRef(c *call, g school.StudyGuide, branch vestiging) studiewijzerRef {
	return studiewijzerRef{
		envelope: envelope{Links: []link{{ID: int64(g.ID), Rel: "koppeling", Type: typeStudiewijzer}},
			Permissions: c.v.Permissions(typeStudiewijzer, g.ID)},
		UUID: g.UUID, Naam: g.Name, Vestiging: branch,
	}
}

// homeworkQuery reads the list parameters of the three lists.
func homeworkQuery(c *call, kind school.HomeworkKind) (school.HomeworkQuery, error) {
	q := school.HomeworkQuery{SchoolID: c.v.SchoolID, Kind: kind}
	var err error
	if q.From, err = c.queryDate("begintNaOfOp"); err != nil {
		return q, err
	}
	if s := c.query.Get("jaarWeek"); s != "" {
		y, w, ok := strings.Cut(s, "~")
		yn, err1 := strconv.Atoi(y)
		wn, err2 := strconv.Atoi(w)
		if _, exists := isoWeekMonday(yn, wn); !ok || err1 != nil || err2 != nil || !exists {
			return q, badRequest("jaarWeek %q is not a week (yyyy~w, e.g. 2024~9)", s)
		}
		q.ISOYear, q.Week = yn, wn
	}
	if s := c.query.Get("weeknummer"); s != "" {
		wn, err := strconv.Atoi(s)
		if err != nil || wn < 1 || wn > 53 {
			return q, badRequest("weeknummer %q is not a week number (1-53)", s)
		}
		q.Week = wn
	}
	if s := c.query.Get("schooljaar"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return q, badRequest("schooljaar %q is not a school year id", s)
		}
		q.YearID = school.ID(n)
	}
	return q, nil
}

// toekenningen serves one of the three assignment lists. A school that
// has homework switched off answers 403, as the real service does (and
// the official app treats that as an empty list).
func (h *Handler) toekenningen(kind school.HomeworkKind) handlerFunc {
	return func(w http.ResponseWriter, c *call) error {
		// Clients scope these lists by either name.
		param := "geenDifferentiatieOfGedifferentieerdVoorLeerling"
		if len(c.query["leerling"]) > 0 {
			param = "leerling"
		}
		ids, err := c.pupilsOf(param, school.SwitchHomework)
		if err != nil {
			return err
		}
		q, err := homeworkQuery(c, kind)
		if err != nil {
			return err
		}
		q.PupilIDs = ids
		win, page := c.page()
		q.Page = page

		hw, total, err := h.store.Homework(c.ctx(), q)
		if err != nil {
			return fmt.Errorf("load homework: %w", err)
		}
		refs, err := h.loadHomeworkRefs(c, ids, hw)
		if err != nil {
			return err
		}

		extra := additionalNames(c.query["additional"])
		items := make([]toekenning, len(hw))
		for i, x := range hw {
			items[i] = h.toekenning(c, x, refs, extra)
		}
		h.write(w, c.format, http.StatusOK, contentRange(win.first, len(items), total),
			list[toekenning]{Items: items})
		return nil
	}
}

// homeworkAdditionals are the additional names of the lists, in the order
// they are written.
var homeworkAdditionals = []string{"swigemaaktVinkjes", "huiswerkgemaakt", "leerlingen",
	"lesgroep", "leerlingProjectgroep", "studiewijzerId", "leerlingenMetInlevering",
	"leerlingenMetInleveringStatus"}

func (h *Handler) toekenning(c *call, x school.Homework, refs homeworkRefs,
	extra map[string]bool) toekenning {
	spec := homeworkLists[x.Kind]
	t := toekenning{
		envelope: envelope{Type: spec.apiType,
			Links:       selfLink(h.base, spec.collection, spec.apiType, x.ID),
			Permissions: c.v.Permissions(spec.apiType, x.ID)},
		Studiewijzer: h.guideRef(c, refs.guides[x.GuideID], refs.branch),
		StudiewijzerItem: studiewijzerItem{
			envelope: envelope{Type: typeStudiewijzerItem,
				Links:       selfLink(h.base, "studiewijzeritems", typeStudiewijzerItem, x.ItemID),
				Permissions: c.v.Permissions(typeStudiewijzerItem, x.ItemID)},
			Onderwerp: x.Topic, HuiswerkType: x.Type, Omschrijving: x.Description,
			Bijlagen: []any{}, ExterneMaterialen: []any{}, Inlevermomenten: []any{}, Tonen: true,
		},
		Sortering: x.Order,
		Lesgroep:  refs.lesgrp[x.GroupID],
	}
	switch x.Kind {
	case school.HomeworkLesson:
		t.DatumTijd = school.FormatTimestamp(x.Due)
		t.AangemaaktOp = school.FormatTimestamp(x.Created)
	case school.HomeworkDay:
		t.DatumTijd = school.FormatTimestamp(x.Due)
	case school.HomeworkWeek:
		t.WeeknummerVanaf, t.WeeknummerTm = x.WeekFrom, x.WeekTo
		none := ""
		t.SynchroniseertMet = &none
	}
	for _, name := range homeworkAdditionals {
		if extra[name] {
			t.Additional = append(t.Additional, kv{name, h.homeworkAdditional(c, name, x, refs)})
		}
	}
	return t
}

func (h *Handler) homeworkAdditional(c *call, name string, x school.Homework,
	refs homeworkRefs) any {
	members := refs.visible[x.GroupID]
	switch name {
	case "swigemaaktVinkjes":
		var ticks []swiGemaakt
		for _, id := range members {
			if t, ok := refs.ticks[[2]school.ID{x.ID, id}]; ok {
				s := h.swiGemaakt(c, t, refs.pupils[id])
				spec := homeworkLists[x.Kind]
				s.SwiToekenning = &envelope{Links: []link{{ID: int64(x.ID), Rel: "koppeling",
					Type: spec.apiType}}, Permissions: c.v.Permissions(spec.apiType, x.ID)}
				ticks = append(ticks, s)
			}
		}
		return wrap(ticks)
	case "huiswerkgemaakt":
		if len(members) != 1 {
			return nil
		}
		return refs.ticks[[2]school.ID{x.ID, members[0]}].Done
	case "leerlingen":
		primers := make([]*leerlingPrimer, 0, len(members))
		for _, id := range members {
			pr := h.leerlingPrimer(c.v, refs.pupils[id])
			pr.Type = typeLeerlingPrimer
			primers = append(primers, pr)
		}
		return wrap(primers)
	case "lesgroep":
		if lg := refs.lesgrp[x.GroupID]; lg != nil {
			typed := *lg
			typed.Type = typeLesgroep
			return typed
		}
		return nil
	case "leerlingProjectgroep":
		return struct{}{}
	case "studiewijzerId":
		return int64(x.GuideID)
	case "leerlingenMetInlevering":
		return longValues{Type: longWrapper, Values: []int64{}}
	default: // leerlingenMetInleveringStatus: opensom takes no submissions
		return wrap([]struct{}{})
	}
}

func (h *Handler) swiGemaakt(c *call, t school.HomeworkDone, p school.Pupil) swiGemaakt {
	return swiGemaakt{
		envelope: envelope{Type: typeSWIGemaakt,
			Links:       selfLink(h.base, "swigemaakt", typeSWIGemaakt, t.ID),
			Permissions: c.v.Permissions(typeSWIGemaakt, t.ID)},
		Leerling: h.leerlingPrimer(c.v, p), SwiToekenningID: int64(t.HomeworkID), Gemaakt: t.Done,
	}
}

// studiewijzers lists the study guides of the pupils' groups.
func (h *Handler) studiewijzers(w http.ResponseWriter, c *call) error {
	ids, err := c.pupilsOf("leerling", school.SwitchStudyGuide)
	if err != nil {
		return err
	}
	if !c.v.Allows(school.SwitchHomework) {
		return errForbidden
	}

	guides, err := h.store.StudyGuides(c.ctx(), c.v.SchoolID, ids)
	if err != nil {
		return fmt.Errorf("load study guides: %w", err)
	}
	refs, err := h.loadHomeworkRefs(c, ids, nil)
	if err != nil {
		return err
	}

	extra := additionalNames(c.query["additional"])
	items := make([]studiewijzer, len(guides))
	for i, g := range guides {
		items[i] = h.studiewijzer(c, g, refs, extra)
	}
	writeList(h, w, c, items)
	return nil
}

// studiewijzerByID answers one guide, bare, if a readable pupil is in
// its group.
func (h *Handler) studiewijzerByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}
	ids, err := c.pupilsOf("leerling", school.SwitchStudyGuide)
	if err != nil {
		return err
	}

	g, err := h.store.StudyGuide(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load study guide: %w", err)
	}
	refs, err := h.loadHomeworkRefs(c, ids, nil)
	if err != nil {
		return err
	}
	if len(refs.visible[g.GroupID]) == 0 || !c.v.Allows(school.SwitchHomework) {
		return errForbidden
	}

	h.write(w, c.format, http.StatusOK, "",
		h.studiewijzer(c, g, refs, additionalNames(c.query["additional"])))
	return nil
}

func (h *Handler) studiewijzer(c *call, g school.StudyGuide, refs homeworkRefs,
	extra map[string]bool) studiewijzer {
	s := studiewijzer{studiewijzerRef: h.guideRef(c, g, refs.branch), UpperUUID: g.UUID,
		Lesgroep: refs.lesgrp[g.GroupID]}
	s.Type = typeStudiewijzer
	s.Links = selfLink(h.base, "studiewijzers", typeStudiewijzer, g.ID)
	for _, name := range []string{"leerlingen", "bijlagen", "externeMaterialen", "bijlageMappen"} {
		if !extra[name] {
			continue
		}
		if name != "leerlingen" {
			s.Additional = append(s.Additional, kv{name, wrap([]struct{}{})})
			continue
		}
		primers := []*leerlingPrimer{}
		for _, id := range refs.visible[g.GroupID] {
			pr := h.leerlingPrimer(c.v, refs.pupils[id])
			pr.Type = typeLeerlingPrimer
			primers = append(primers, pr)
		}
		s.Additional = append(s.Additional, kv{name, wrap(primers)})
	}
	return s
}

// swiBody is the body of both swigemaakt PUTs.
type swiBody struct {
	Leerling        *primerRef `json:"leerling"`
	SwiToekenningID int64      `json:"swiToekenningId"`
	Gemaakt         *bool      `json:"gemaakt"`
}

// swigemaaktCou creates or updates the pupil's tick on an assignment.
func (h *Handler) swigemaaktCou(w http.ResponseWriter, c *call) error {
	var b swiBody
	if err := readJSON(w, c.r, &b); err != nil {
		return err
	}
	if b.Leerling.id() <= 0 || b.SwiToekenningID <= 0 || b.Gemaakt == nil {
		return badRequest("the body needs leerling.links[0].id, swiToekenningId and gemaakt")
	}
	return h.tick(w, c, school.HomeworkDone{SchoolID: c.v.SchoolID,
		HomeworkID: school.ID(b.SwiToekenningID), PupilID: school.ID(b.Leerling.id()),
		Done: *b.Gemaakt})
}

// swigemaaktByID updates a tick by its own id.
func (h *Handler) swigemaaktByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}
	var b swiBody
	if err := readJSON(w, c.r, &b); err != nil {
		return err
	}
	if b.Gemaakt == nil {
		return badRequest("the body needs gemaakt")
	}

	t, err := h.store.HomeworkDoneByID(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load homework tick: %w", err)
	}
	if b.Leerling.id() != 0 && school.ID(b.Leerling.id()) != t.PupilID {
		return errForbidden
	}
	t.Done = *b.Gemaakt
	return h.tick(w, c, t)
}

func (h *Handler) tick(w http.ResponseWriter, c *call, t school.HomeworkDone) error {
	if !c.v.CanTickHomework(t.PupilID) {
		return errForbidden
	}

	saved, err := h.store.SetHomeworkDone(c.ctx(), t)
	if err != nil {
		return fmt.Errorf("save homework tick: %w", err)
	}
	p, err := h.store.Pupil(c.ctx(), c.v.SchoolID, saved.PupilID)
	if err != nil {
		return fmt.Errorf("load pupil: %w", err)
	}

	h.write(w, c.format, http.StatusOK, "", h.swiGemaakt(c, saved, p))
	return nil
}
