package rest

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// The smaller endpoints of issue 4: the photo behind pasfotoUrl, school
// details, holidays, distance-learning periods, message recipients,
// parents and conversations.

const (
	typeSchoolgegevens = "leerling.RLeerlingSchoolgegevens"
	typeVakantie       = "participatie.RVakantie"
	typeMedewerkerFull = "medewerker.RMedewerker"
	typeConversatie    = "berichten.RBoodschapConversatie"
	typeBoodschap      = "berichten.RBoodschap"
	typeCorrespondent  = "berichten.RBoodschapCorrespondent"
	nonLinkableWrapper = "NonLinkableWrapper"
)

// pasfotoImage serves a pupil's photo at its capability URL: no token,
// the secret compared in constant time, 404 for anything else.
func (h *Handler) pasfotoImage(w http.ResponseWriter, r *http.Request, params []string) error {
	p, err := h.store.PupilByUUID(r.Context(), params[0])
	if errors.Is(err, school.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return fmt.Errorf("load pupil: %w", err)
	}
	if p.PhotoToken == "" || subtle.ConstantTimeCompare([]byte(params[1]), []byte(p.PhotoToken)) != 1 {
		return errNotFound
	}
	sw, err := h.store.Switches(r.Context(), p.SchoolID)
	if err != nil {
		return fmt.Errorf("load switches: %w", err)
	}
	if !sw.On(school.SwitchPhoto) {
		return errNotFound
	}

	img := photoPNG(p)
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(img)))
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(img)
	return nil
}

// pasfotoURL is the capability URL of a pupil's photo, or "" when the
// school shows no photos.
func (h *Handler) pasfotoURL(v access.Viewer, p school.Pupil) string {
	if p.PhotoToken == "" || !v.Switches().On(school.SwitchPhoto) {
		return ""
	}
	return h.base + "/rest/v1/pasfoto/" + p.UUID + "/" + p.PhotoToken
}

type schoolgegevens struct {
	envelope
	Instellingsnaam string   `json:"instellingsnaam"`
	Vestigingsnaam  string   `json:"vestigingsnaam"`
	Plaats          string   `json:"plaats"`
	Straat          string   `json:"straat"`
	Postcode        string   `json:"postcode"`
	Telefoonnummer  string   `json:"telefoonnummer"`
	Email           string   `json:"email"`
	Leerjaar        int      `json:"leerjaar"`
	Mentoren        []string `json:"mentoren"`
}

// schoolgegevens answers a pupil's school details, bare.
//
// TODO: schools have no address, phone or mail and groups no mentors in
// the domain yet, so straat, postcode, telefoonnummer and email are empty
// and mentoren is empty; clients that show them show blanks.
func (h *Handler) schoolgegevens(w http.ResponseWriter, c *call) error {
	id, err := c.pathPupil(0, "")
	if err != nil {
		return err
	}

	p, err := h.store.Pupil(c.ctx(), c.v.SchoolID, id)
	if err != nil {
		return fmt.Errorf("load pupil: %w", err)
	}
	s, err := h.store.School(c.ctx(), c.v.SchoolID)
	if err != nil {
		return fmt.Errorf("load school: %w", err)
	}
	b, err := h.store.Branch(c.ctx(), c.v.SchoolID, p.BranchID)
	if err != nil {
		return fmt.Errorf("load branch: %w", err)
	}
	pls, err := h.placements(c, []school.ID{id})
	if err != nil {
		return err
	}

	out := schoolgegevens{
		envelope: envelope{Type: typeSchoolgegevens,
			Links:       []link{{ID: int64(id), Rel: "self", Type: typeSchoolgegevens}},
			Permissions: c.v.Permissions(typeSchoolgegevens, id)},
		Instellingsnaam: s.Name, Vestigingsnaam: b.Name, Plaats: s.City, Mentoren: []string{},
	}
	if pl, ok := currentPlacement(pls, h.now()); ok {
		out.Leerjaar = pl.level
	}
	h.write(w, c.format, http.StatusOK, "", out)
	return nil
}

type vakantie struct {
	envelope
	Naam       string `json:"naam"`
	BeginDatum string `json:"beginDatum"`
	EindDatum  string `json:"eindDatum"`
}

// vakanties lists the holidays of a pupil's school.
func (h *Handler) vakanties(w http.ResponseWriter, c *call) error {
	if _, err := c.pathPupil(0, ""); err != nil {
		return err
	}

	hs, err := h.store.Holidays(c.ctx(), c.v.SchoolID)
	if err != nil {
		return fmt.Errorf("load holidays: %w", err)
	}

	items := make([]vakantie, len(hs))
	for i, x := range hs {
		items[i] = vakantie{
			envelope: envelope{Type: typeVakantie,
				Links:       selfLink(h.base, "vakanties", typeVakantie, x.ID),
				Permissions: c.v.Permissions(typeVakantie, x.ID)},
			Naam: x.Name, BeginDatum: school.FormatTimestamp(x.From),
			EindDatum: school.FormatTimestamp(x.To),
		}
	}
	writeList(h, w, c, items)
	return nil
}

// onderwijsOpAfstand lists distance-learning periods.
//
// TODO: no source shows their shape, so the domain has none and the list
// is always empty; a client that shows such periods shows nothing.
func (h *Handler) onderwijsOpAfstand(w http.ResponseWriter, c *call) error {
	writeList(h, w, c, []struct{}{})
	return nil
}

// onderwijsOpAfstandByID: there are no periods, so every id is one the
// caller may not read.
func (h *Handler) onderwijsOpAfstandByID(w http.ResponseWriter, c *call) error {
	if _, err := parseID(c.params[0]); err != nil {
		return err
	}
	return errForbidden
}

type medewerker struct {
	medewerkerPrimer
}

// ontvangers lists the staff a pupil may write to: the teachers of the
// lessons of the viewer's pupils in the feed window around today.
//
// TODO: a teacher with no lesson in that window (a mentor who does not
// teach, a teacher after a timetable change) is missing from the list.
func (h *Handler) ontvangers(w http.ResponseWriter, c *call) error {
	ids, err := c.pupilsOf("leerling", school.SwitchMessages)
	if err != nil {
		return err
	}

	from, to := feedWindow(h.now())
	lessons, _, err := h.store.Lessons(c.ctx(), school.LessonQuery{SchoolID: c.v.SchoolID,
		PupilIDs: ids, From: from, To: to})
	if err != nil {
		return fmt.Errorf("load lessons: %w", err)
	}
	taught := map[school.ID]map[school.ID]bool{} // staff -> subjects
	var staffIDs, subjectIDs []school.ID
	for _, l := range lessons {
		for _, s := range l.StaffIDs {
			if taught[s] == nil {
				taught[s] = map[school.ID]bool{}
				staffIDs = append(staffIDs, s)
			}
			if l.SubjectID != 0 && !taught[s][l.SubjectID] {
				taught[s][l.SubjectID] = true
				subjectIDs = append(subjectIDs, l.SubjectID)
			}
		}
	}
	staff, err := h.store.StaffMembers(c.ctx(), c.v.SchoolID, staffIDs)
	if err != nil {
		return fmt.Errorf("load staff: %w", err)
	}
	subjects, err := h.subjectsOf(c, subjectIDs)
	if err != nil {
		return err
	}

	extra := additionalNames(c.query["additional"])
	items := make([]medewerker, len(staff))
	for i, s := range staff {
		m := medewerker{h.medewerkerPrimer(c.v, s)}
		m.Type = typeMedewerkerFull
		if extra["vakkenDocentVoorLeerling"] {
			var vakken []vak
			for _, sid := range subjectIDs {
				if taught[s.ID][sid] {
					vakken = append(vakken, h.vak(c.v, subjects[sid], true))
				}
			}
			m.Additional = append(m.Additional, kv{"vakkenDocentVoorLeerling", wrap(vakken)})
		}
		items[i] = m
	}
	writeList(h, w, c, items)
	return nil
}

// verzorgers lists the parents of the viewer's pupils. A pupil gets 403,
// as the real service is said to answer; a parent sees themselves.
func (h *Handler) verzorgers(w http.ResponseWriter, c *call) error {
	if c.v.Account.Role == school.RolePupil {
		return errForbidden
	}
	ids, err := c.pupilsOf("leerling", "")
	if err != nil {
		return err
	}

	// TODO: Accounts lists every account of every school; a store query
	// for the parents of some pupils would save reading them all.
	accs, err := h.store.Accounts(c.ctx())
	if err != nil {
		return fmt.Errorf("load accounts: %w", err)
	}
	mine := make(map[school.ID]bool, len(ids))
	for _, id := range ids {
		mine[id] = true
	}
	items := []verzorgerPrimer{}
	for _, a := range accs {
		if a.SchoolID != c.v.SchoolID || a.Role != school.RoleParent {
			continue
		}
		for _, p := range a.PupilIDs {
			if mine[p] {
				items = append(items, verzorgerPrimer{
					envelope: envelope{Type: typeVerzorger,
						Links:       selfLink(h.base, "verzorgers", typeVerzorger, a.ID),
						Permissions: c.v.Permissions(typeVerzorger, a.ID)},
					UUID: a.UUID, Roepnaam: a.Name.First, Voorvoegsel: a.Name.Prefix,
					Achternaam: a.Name.Last})
				break
			}
		}
	}
	writeList(h, w, c, items)
	return nil
}

type correspondent struct {
	Type        string   `json:"$type"`
	Naam        string   `json:"naam"`
	SorteerNaam string   `json:"sorteerNaam"`
	Initialen   string   `json:"initialen"`
	Vakken      []string `json:"vakken"`
}

type boodschap struct {
	envelope
	StartPublicatie string `json:"startPublicatie"`
	VerzendDatum    string `json:"verzendDatum"`
	WijzigingsDatum string `json:"wijzigingsDatum"`
	Draft           bool   `json:"draft"`
	Onderwerp       string `json:"onderwerp"`
	Inhoud          string `json:"inhoud"`
	Prioriteit      string `json:"prioriteit"`
	NotificatieType string `json:"notificatieType"`
	Bijlages        []any  `json:"bijlages"`
	Gelezen         bool   `json:"gelezen"`
}

type conversatie struct {
	envelope
	Onderwerp       string      `json:"onderwerp"`
	AantalOngelezen int         `json:"aantalOngelezen"`
	Boodschappen    []boodschap `json:"boodschappen"`
}

var conversationAdditionals = []string{"verzondenDoorGebruiker", "verzenderCorrespondent",
	"ontvangerCorrespondenten", "aantalExtraOntvangers", "actiefVoorGebruiker"}

// conversaties lists the conversations the account received, newest
// first. alle is accepted and changes nothing: opensom keeps no deleted
// conversations.
//
// TODO: conversations hold one message each and cannot be answered,
// sent or deleted (verstuurdbericht, verwijder); clients that write
// messages get 404 there.
func (h *Handler) conversaties(w http.ResponseWriter, c *call) error {
	if !c.v.Allows(school.SwitchMessages) {
		return errForbidden
	}
	if _, err := c.queryBool("alle"); err != nil {
		return err
	}
	win, page := c.page()

	convs, total, err := h.store.Conversations(c.ctx(), c.v.SchoolID, c.v.Account.ID, page)
	if err != nil {
		return fmt.Errorf("load conversations: %w", err)
	}
	var senderIDs []school.ID
	for _, cv := range convs {
		senderIDs = append(senderIDs, cv.SenderID)
	}
	staff, err := h.store.StaffMembers(c.ctx(), c.v.SchoolID, senderIDs)
	if err != nil {
		return fmt.Errorf("load staff: %w", err)
	}
	senders := map[school.ID]school.Staff{}
	for _, s := range staff {
		senders[s.ID] = s
	}

	extra := additionalNames(c.query["additional"])
	items := make([]conversatie, len(convs))
	for i, cv := range convs {
		items[i] = h.conversatie(c, cv, senders[cv.SenderID], extra)
	}
	h.write(w, c.format, http.StatusOK, contentRange(win.first, len(items), total),
		list[conversatie]{Items: items})
	return nil
}

func (h *Handler) conversatie(c *call, cv school.ConversationView, sender school.Staff,
	extra map[string]bool) conversatie {
	sent := school.FormatTimestamp(cv.Sent)
	out := conversatie{
		envelope: envelope{Type: typeConversatie,
			Links:       selfLink(h.base, "boodschappen/conversatie", typeConversatie, cv.ID),
			Permissions: c.v.Permissions(typeConversatie, cv.ID)},
		Onderwerp: cv.Subject,
		Boodschappen: []boodschap{{
			envelope: envelope{Links: []link{{ID: int64(cv.ID), Rel: "koppeling", Type: typeBoodschap}},
				Permissions: c.v.Permissions(typeBoodschap, cv.ID)},
			StartPublicatie: sent, VerzendDatum: sent, WijzigingsDatum: sent,
			Onderwerp: cv.Subject, Inhoud: cv.Body, Prioriteit: "NORMAAL",
			NotificatieType: "Bericht", Bijlages: []any{}, Gelezen: cv.Read,
		}},
	}
	if !cv.Read {
		out.AantalOngelezen = 1
	}
	from := correspondent{Type: typeCorrespondent, Naam: teacherName(sender),
		SorteerNaam: sender.Name.Last, Initialen: sender.Initials, Vakken: []string{}}
	for _, name := range conversationAdditionals {
		if !extra[name] {
			continue
		}
		var val any
		switch name {
		case "verzondenDoorGebruiker":
			val = false
		case "verzenderCorrespondent":
			val = from
		case "ontvangerCorrespondenten":
			// The account's own entry; other recipients are not shown.
			val = struct {
				Type  string          `json:"$type"`
				Items []correspondent `json:"items"`
			}{nonLinkableWrapper, []correspondent{}}
		case "aantalExtraOntvangers":
			val = max(len(cv.Recipients)-1, 0)
		case "actiefVoorGebruiker":
			val = true
		}
		out.Additional = append(out.Additional, kv{name, val})
	}
	return out
}

// markeerGelezen marks a received conversation read.
func (h *Handler) markeerGelezen(w http.ResponseWriter, c *call) error {
	return h.markRead(w, c, true)
}

// setGelezen sets the read state: gelezen=false marks it unread again.
func (h *Handler) setGelezen(w http.ResponseWriter, c *call) error {
	read, err := c.queryBool("gelezen")
	if err != nil {
		return err
	}
	return h.markRead(w, c, read == nil || *read)
}

func (h *Handler) markRead(w http.ResponseWriter, c *call, read bool) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}
	if !c.v.Allows(school.SwitchMessages) {
		return errForbidden
	}
	err = h.store.MarkConversationRead(c.ctx(), c.v.SchoolID, c.v.Account.ID, id, read)
	if err != nil {
		return fmt.Errorf("mark conversation: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
