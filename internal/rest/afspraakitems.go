package rest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// The newer timetable: afspraakitems of one pupil in one ISO week, with
// local times without offset and cancelled lessons flagged isUitgevallen.

const (
	typeAfspraakItem = "participatie.live.RAfspraakItem"
	typeAfspraakVak  = "participatie.live.RAfspraakVak"
)

type afspraakVak struct {
	Type      string `json:"$type"`
	ID        int64  `json:"id"`
	Naam      string `json:"naam"`
	Afkorting string `json:"afkorting"`
	UUID      string `json:"UUID"`
}

type lesgroepRef struct {
	UUID string `json:"UUID"`
	Naam string `json:"naam"`
}

type afspraakItem struct {
	envelope
	UniqueIdentifier             string        `json:"uniqueIdentifier"`
	AfspraakItemType             string        `json:"afspraakItemType"`
	Locatie                      string        `json:"locatie,omitempty"`
	BeginDatumTijd               string        `json:"beginDatumTijd"`
	EindDatumTijd                string        `json:"eindDatumTijd"`
	BeginLesuur                  int           `json:"beginLesuur,omitempty"`
	EindLesuur                   int           `json:"eindLesuur,omitempty"`
	Titel                        string        `json:"titel"`
	Omschrijving                 string        `json:"omschrijving"`
	OnlineDeelname               bool          `json:"onlineDeelname"`
	Vak                          *afspraakVak  `json:"vak,omitempty"`
	Bijlagen                     []any         `json:"bijlagen"`
	Lesgroepen                   []lesgroepRef `json:"lesgroepen"`
	DocentNamen                  []string      `json:"docentNamen"`
	StatusNotifications          []any         `json:"statusNotifications"`
	HerhalendeAfspraak           any           `json:"herhalendeAfspraak"`
	AantalToekomstigeHerhalingen int           `json:"aantalToekomstigeHerhalingen"`
	IsUitgevallen                bool          `json:"isUitgevallen"`
}

type afspraakItemList struct {
	Items               []afspraakItem `json:"items"`
	StatusNotifications []any          `json:"statusNotifications"`
}

// lessonUID is a lesson's stable uniqueIdentifier.
func lessonUID(l school.Lesson) string {
	return "afspraak-" + strconv.FormatInt(int64(l.ID), 10)
}

// teacherName is how the app shows a teacher: "Mevr. A. de Vries".
func teacherName(s school.Staff) string {
	title := "Dhr."
	if s.Gender == "VROUW" {
		title = "Mevr."
	}
	return strings.Join(strings.Fields(title+" "+s.Initials+" "+s.Name.Prefix+" "+s.Name.Last), " ")
}

// afspraakitems lists one pupil's lessons of an ISO week.
func (h *Handler) afspraakitems(w http.ResponseWriter, c *call) error {
	id, err := c.pathPupil(0, school.SwitchTimetable)
	if err != nil {
		return err
	}
	year, err1 := strconv.Atoi(c.params[1])
	week, err2 := strconv.Atoi(c.params[2])
	monday, ok := isoWeekMonday(year, week)
	if err1 != nil || err2 != nil || !ok {
		return badRequest("week %s of %s does not exist", c.params[2], c.params[1])
	}
	win, page := c.page()

	lessons, total, err := h.store.Lessons(c.ctx(), school.LessonQuery{SchoolID: c.v.SchoolID,
		PupilIDs: []school.ID{id}, From: monday, To: monday.AddDate(0, 0, 7), Page: page})
	if err != nil {
		return fmt.Errorf("load lessons: %w", err)
	}
	refs, err := h.loadLessonRefs(c, lessons, false)
	if err != nil {
		return err
	}
	groups, err := h.store.PupilGroups(c.ctx(), c.v.SchoolID, []school.ID{id})
	if err != nil {
		return fmt.Errorf("load groups: %w", err)
	}
	names := map[school.ID]school.Group{}
	for _, g := range groups {
		names[g.ID] = g
	}

	extra := additionalNames(c.query["additional"])
	items := make([]afspraakItem, len(lessons))
	for i, l := range lessons {
		items[i] = h.afspraakItem(c, l, refs, names, extra)
	}
	h.write(w, c.format, http.StatusOK, contentRange(win.first, len(items), total),
		afspraakItemList{Items: items, StatusNotifications: []any{}})
	return nil
}

func (h *Handler) afspraakItem(c *call, l school.Lesson, refs lessonRefs,
	groups map[school.ID]school.Group, extra map[string]bool) afspraakItem {
	kind := "ROOSTER"
	if l.Kind == "Toets" {
		kind = "ROOSTERTOETS"
	}
	it := afspraakItem{
		envelope: envelope{Type: typeAfspraakItem,
			Links:       selfLink(h.base, "afspraakitems", typeAfspraakItem, l.ID),
			Permissions: c.v.Permissions(typeAfspraakItem, l.ID)},
		UniqueIdentifier: lessonUID(l), AfspraakItemType: kind, Locatie: l.Location,
		BeginDatumTijd: localTime(l.Start), EindDatumTijd: localTime(l.End),
		BeginLesuur: l.BeginHour, EindLesuur: l.EndHour, Titel: l.Title, Omschrijving: l.Title,
		Bijlagen: []any{}, Lesgroepen: []lesgroepRef{}, DocentNamen: []string{},
		StatusNotifications: []any{}, IsUitgevallen: l.Status == school.StatusCancelled,
	}
	if s, ok := refs.subjects[l.SubjectID]; ok {
		it.Vak = &afspraakVak{Type: typeAfspraakVak, ID: int64(s.ID), Naam: s.Name,
			Afkorting: s.Abbrev, UUID: s.UUID}
	}
	if g, ok := groups[l.GroupID]; ok {
		it.Lesgroepen = append(it.Lesgroepen, lesgroepRef{UUID: g.UUID, Naam: g.Name})
	}
	var abbrevs []string
	for _, sid := range l.StaffIDs {
		if s, ok := refs.staff[sid]; ok {
			it.DocentNamen = append(it.DocentNamen, teacherName(s))
			abbrevs = append(abbrevs, s.Abbrev)
		}
	}
	if extra["docentAfkortingen"] {
		it.Additional = append(it.Additional, kv{"docentAfkortingen", strings.Join(abbrevs, ", ")})
	}
	return it
}

// feedWindow is what the calendar feed covers: four weeks back and
// thirteen ahead, so that a calendar app's sync stays small.
func feedWindow(now time.Time) (time.Time, time.Time) {
	today := school.DateOf(now)
	return today.AddDate(0, 0, -28), today.AddDate(0, 0, 91)
}
