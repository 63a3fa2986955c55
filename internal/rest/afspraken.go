package rest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// afspraken lists the lessons of the pupils the caller may read, between
// two inclusive local dates.
func (h *Handler) afspraken(w http.ResponseWriter, c *call) error {
	q, err := h.lessonQuery(c)
	if err != nil {
		return err
	}
	win := parseRange(c.r.Header.Get("Range"))
	q.Page = school.Page{Offset: win.first, Limit: win.last - win.first + 1}

	lessons, total, err := h.store.Lessons(c.ctx(), q)
	if err != nil {
		return fmt.Errorf("load lessons: %w", err)
	}

	items, err := h.afspraakItems(c, lessons)
	if err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, contentRange(win.first, len(items), total),
		list[afspraak]{Items: items})
	return nil
}

// lessonQuery reads begindatum, einddatum, leerling and sort. A missing
// bound leaves that side open; the list is paged anyway.
func (h *Handler) lessonQuery(c *call) (school.LessonQuery, error) {
	q := school.LessonQuery{SchoolID: c.v.SchoolID}
	var asked []school.ID
	for _, s := range c.query["leerling"] {
		id, err := parseID(s)
		if err != nil {
			return q, err
		}
		asked = append(asked, id)
	}
	ids, ok := c.v.Narrow(asked)
	if !ok || !c.v.Allows(school.SwitchTimetable) {
		return q, errForbidden
	}
	q.PupilIDs = ids

	if s := c.query.Get("begindatum"); s != "" {
		d, err := school.ParseDate(s)
		if err != nil {
			return q, badRequest("begindatum %q is not a date (yyyy-MM-dd)", s)
		}
		q.From = d
	}
	if s := c.query.Get("einddatum"); s != "" {
		d, err := school.ParseDate(s)
		if err != nil {
			return q, badRequest("einddatum %q is not a date (yyyy-MM-dd)", s)
		}
		q.To = d.AddDate(0, 0, 1) // inclusive: up to the start of the next day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return q, badRequest("einddatum lies before begindatum")
	}
	if q.To.IsZero() {
		q.To = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}

	sort, err := sortParam(c.query.Get("sort"), "beginDatumTijd")
	if err != nil {
		return q, err
	}
	q.Sort = sort
	return q, nil
}

// afspraakByID answers one lesson, bare, if it is in the timetable of a
// pupil the caller may read.
func (h *Handler) afspraakByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}

	l, err := h.store.Lesson(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load lesson: %w", err)
	}
	members, err := h.store.GroupPupils(c.ctx(), c.v.SchoolID, l.GroupID)
	if err != nil {
		return fmt.Errorf("load group: %w", err)
	}
	if !anyReadable(c.v, members) || !c.v.Allows(school.SwitchTimetable) {
		return errForbidden
	}

	items, err := h.afspraakItems(c, []school.Lesson{l})
	if err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, "", items[0])
	return nil
}

func anyReadable(v access.Viewer, ids []school.ID) bool {
	for _, id := range ids {
		if v.CanReadPupil(id) {
			return true
		}
	}
	return false
}

// lessonRefs is what a page of lessons refers to, loaded once per page.
type lessonRefs struct {
	subjects map[school.ID]school.Subject
	staff    map[school.ID]school.Staff
	branches map[school.ID]school.Branch
	members  map[school.ID][]school.Pupil // readable pupils per group
}

func (h *Handler) afspraakItems(c *call, lessons []school.Lesson) ([]afspraak, error) {
	extra := additionalNames(c.query["additional"])
	refs, err := h.loadLessonRefs(c, lessons, extra["leerlingen"])
	if err != nil {
		return nil, err
	}
	items := make([]afspraak, len(lessons))
	for i, l := range lessons {
		items[i] = h.afspraak(c.v, l, refs, extra)
	}
	return items, nil
}

func (h *Handler) loadLessonRefs(c *call, lessons []school.Lesson, withPupils bool) (lessonRefs, error) {
	ctx := c.ctx()
	var subjectIDs, staffIDs []school.ID
	refs := lessonRefs{branches: map[school.ID]school.Branch{}, members: map[school.ID][]school.Pupil{}}
	groups := map[school.ID]bool{}
	for _, l := range lessons {
		if l.SubjectID != 0 {
			subjectIDs = append(subjectIDs, l.SubjectID)
		}
		staffIDs = append(staffIDs, l.StaffIDs...)
		if _, ok := refs.branches[l.BranchID]; !ok {
			b, err := h.store.Branch(ctx, c.v.SchoolID, l.BranchID)
			if err != nil {
				return refs, fmt.Errorf("load branch: %w", err)
			}
			refs.branches[l.BranchID] = b
		}
		groups[l.GroupID] = true
	}
	var err error
	if refs.subjects, err = h.subjectsOf(c, subjectIDs); err != nil {
		return refs, err
	}
	staff, err := h.store.StaffMembers(ctx, c.v.SchoolID, staffIDs)
	if err != nil {
		return refs, fmt.Errorf("load staff: %w", err)
	}
	refs.staff = make(map[school.ID]school.Staff, len(staff))
	for _, s := range staff {
		refs.staff[s.ID] = s
	}
	if !withPupils {
		return refs, nil
	}
	readable, err := h.store.Pupils(ctx, c.v.SchoolID, c.v.Pupils())
	if err != nil {
		return refs, fmt.Errorf("load pupils: %w", err)
	}
	groupsOf, err := h.store.GroupsOfPupils(ctx, c.v.SchoolID, c.v.Pupils())
	if err != nil {
		return refs, fmt.Errorf("load groups of pupils: %w", err)
	}
	for _, p := range readable {
		for _, g := range groupsOf[p.ID] {
			if groups[g] {
				refs.members[g] = append(refs.members[g], p)
			}
		}
	}
	return refs, nil
}

// lessonKinds are the appointment types, with the colour and activity the
// real service gives them.
var lessonKinds = map[string]struct {
	index    int64
	colour   int32
	category string
	activity string
}{
	"Les":        {1, -2394583, "Rooster", "Verplicht"},
	"Toets":      {2, -65536, "Rooster", "Verplicht"},
	"Activiteit": {3, -16744448, "Activiteit", "Facultatief"},
}

func (h *Handler) afspraak(v access.Viewer, l school.Lesson, refs lessonRefs,
	extra map[string]bool) afspraak {
	b := refs.branches[l.BranchID]
	vest := vestiging{envelope: envelope{
		Links:       selfLink(h.base, "vestigingen", typeVestiging, b.ID),
		Permissions: v.Permissions(typeVestiging, b.ID)}, Naam: b.Name}
	typedVest := vest
	typedVest.Type = typeVestiging

	kind, ok := lessonKinds[l.Kind]
	if !ok {
		kind = lessonKinds["Les"]
	}
	typeID := school.ID(int64(b.ID)*10 + kind.index)
	a := afspraak{
		envelope: envelope{
			Type:        typeAfspraak,
			Links:       selfLink(h.base, "afspraken", typeAfspraak, l.ID),
			Permissions: v.Permissions(typeAfspraak, l.ID),
		},
		AfspraakType: afspraakType{
			envelope: envelope{
				Links:       []link{{ID: int64(typeID), Rel: "self", Type: typeAfspraakType}},
				Permissions: v.Permissions(typeAfspraakType, typeID),
			},
			Naam: l.Kind, Omschrijving: l.Kind, StandaardKleur: kind.colour,
			Categorie: kind.category, Activiteit: kind.activity,
			PresentieRegistratieDefault: kind.category == "Rooster", Actief: true,
			Vestiging: typedVest,
		},
		Locatie:            l.Location,
		BeginDatumTijd:     school.FormatTimestamp(l.Start),
		EindDatumTijd:      school.FormatTimestamp(l.End),
		BeginLesuur:        l.BeginHour,
		EindLesuur:         l.EndHour,
		Titel:              l.Title,
		Omschrijving:       l.Title,
		PresentieVerplicht: kind.category == "Rooster",
		PresentieVerwerkt:  l.End.Before(h.now()),
		AfspraakStatus:     string(l.Status),
		Vestiging:          vest,
		Bijlagen:           []any{},
	}
	if extra["vak"] {
		var val any
		if s, ok := refs.subjects[l.SubjectID]; ok {
			val = h.vak(v, s, true)
		}
		a.Additional = append(a.Additional, kv{"vak", val})
	}
	if extra["docentAfkortingen"] {
		abbrevs := make([]string, 0, len(l.StaffIDs))
		for _, id := range l.StaffIDs {
			if s, ok := refs.staff[id]; ok {
				abbrevs = append(abbrevs, s.Abbrev)
			}
		}
		a.Additional = append(a.Additional, kv{"docentAfkortingen", strings.Join(abbrevs, ", ")})
	}
	if extra["leerlingen"] {
		primers := make([]*leerlingPrimer, 0, len(refs.members[l.GroupID]))
		for _, p := range refs.members[l.GroupID] {
			pr := h.leerlingPrimer(v, p)
			pr.Type = typeLeerlingPrimer
			primers = append(primers, pr)
		}
		a.Additional = append(a.Additional, kv{"leerlingen", wrap(primers)})
	}
	return a
}

func (h *Handler) medewerkerPrimer(v access.Viewer, s school.Staff) medewerkerPrimer {
	return medewerkerPrimer{
		envelope: envelope{Type: typeMedewerker,
			Links:       selfLink(h.base, "medewerkers", typeMedewerker, s.ID),
			Permissions: v.Permissions(typeMedewerker, s.ID)},
		UUID: s.UUID, Nummer: s.Number, Afkorting: s.Abbrev, Achternaam: s.Name.Last,
		Geslacht: s.Gender, Voorletters: s.Initials, Voorvoegsel: s.Name.Prefix,
		Roepnaam: s.Name.First,
	}
}
