package rest

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// The iCalendar link (GET and DELETE icalendar) and the feed behind it, a
// capability URL readable without a token: icalendar/stream/{id}-{secret}.
// The account id in the token lets the secret be compared in constant
// time with the one stored for that account.

type icalLink struct {
	envelope
	Link string `json:"leerlingICalendarLink"`
}

// icalendar answers the caller's feed link, making one on first use.
func (h *Handler) icalendar(w http.ResponseWriter, c *call) error {
	if !c.v.Allows(school.SwitchICal) || !c.v.Allows(school.SwitchTimetable) {
		return errForbidden
	}

	l, err := h.store.ICalLink(c.ctx(), c.v.Account.ID)
	if errors.Is(err, school.ErrNotFound) {
		l, err = h.newICalLink(c)
	}
	if err != nil {
		return fmt.Errorf("load calendar link: %w", err)
	}

	h.write(w, c.format, http.StatusOK, "", icalLink{
		envelope: envelope{Links: []link{}, Permissions: []access.Permission{}},
		Link:     h.base + "/rest/v1/icalendar/stream/" + icalToken(l),
	})
	return nil
}

func (h *Handler) newICalLink(c *call) (school.ICalLink, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return school.ICalLink{}, fmt.Errorf("draw calendar secret: %w", err)
	}
	l := school.ICalLink{AccountID: c.v.Account.ID, SchoolID: c.v.SchoolID,
		Secret: hex.EncodeToString(b[:]), Created: h.now()}
	return l, h.store.SetICalLink(c.ctx(), l)
}

func icalToken(l school.ICalLink) string {
	return strconv.FormatInt(int64(l.AccountID), 10) + "-" + l.Secret
}

// icalendarRevoke revokes the caller's link; a new GET makes another.
func (h *Handler) icalendarRevoke(w http.ResponseWriter, c *call) error {
	if err := h.store.DeleteICalLink(c.ctx(), c.v.SchoolID, c.v.Account.ID); err != nil {
		return fmt.Errorf("revoke calendar link: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// icalendarStream serves the feed. Any token that does not name a live
// link, or whose school has the feed switched off, is a 404.
func (h *Handler) icalendarStream(w http.ResponseWriter, r *http.Request, params []string) error {
	idText, secret, ok := strings.Cut(params[0], "-")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || id <= 0 {
		return errNotFound
	}
	l, err := h.store.ICalLink(r.Context(), school.ID(id))
	if errors.Is(err, school.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return fmt.Errorf("load calendar link: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(l.Secret)) != 1 {
		return errNotFound
	}
	v, err := access.Resolve(r.Context(), h.store, l.SchoolID, l.AccountID)
	if errors.Is(err, school.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return fmt.Errorf("resolve calendar owner: %w", err)
	}
	if !v.Allows(school.SwitchICal) || !v.Allows(school.SwitchTimetable) {
		return errNotFound
	}

	now := h.now()
	from, to := feedWindow(now)
	lessons, _, err := h.store.Lessons(r.Context(), school.LessonQuery{SchoolID: v.SchoolID,
		PupilIDs: v.Pupils(), From: from, To: to, Sort: school.SortTimeAsc})
	if err != nil {
		return fmt.Errorf("load lessons: %w", err)
	}
	c := &call{v: v, r: r}
	refs, err := h.loadLessonRefs(c, lessons, false)
	if err != nil {
		return err
	}

	events := make([]icalEvent, len(lessons))
	for i, l := range lessons {
		events[i] = lessonEvent(l, refs)
	}
	body := renderICal("Rooster", now, events)
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

// icalEvent is one VEVENT.
type icalEvent struct {
	UID               string
	Start, End        time.Time
	Summary, Location string
	Description       string
	Cancelled         bool
}

func lessonEvent(l school.Lesson, refs lessonRefs) icalEvent {
	e := icalEvent{UID: lessonUID(l) + "@opensom", Start: l.Start, End: l.End,
		Summary: l.Title, Location: l.Location, Cancelled: l.Status == school.StatusCancelled}
	var parts []string
	if s, ok := refs.subjects[l.SubjectID]; ok {
		parts = append(parts, s.Name)
	}
	for _, id := range l.StaffIDs {
		if s, ok := refs.staff[id]; ok {
			parts = append(parts, teacherName(s))
		}
	}
	if l.BeginHour != 0 {
		parts = append(parts, fmt.Sprintf("lesuur %d", l.BeginHour))
	}
	e.Description = strings.Join(parts, ", ")
	if e.Cancelled {
		e.Summary = "Vervallen: " + e.Summary
	}
	return e
}

// amsterdamTZ is the VTIMEZONE of Europe/Amsterdam: CET, and CEST from
// the last Sunday of March to the last Sunday of October.
var amsterdamTZ = []string{
	"BEGIN:VTIMEZONE",
	"TZID:Europe/Amsterdam",
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19700329T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19701025T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

// renderICal writes an RFC 5545 calendar: CRLF line ends, content lines
// folded at 75 octets, local times with TZID=Europe/Amsterdam and the
// zone's VTIMEZONE, DTSTAMP in UTC.
func renderICal(name string, now time.Time, events []icalEvent) []byte {
	var b bytes.Buffer
	line := func(s string) { foldLine(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//opensom//opensom rooster//NL")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(name))
	line("X-WR-TIMEZONE:Europe/Amsterdam")
	for _, l := range amsterdamTZ {
		line(l)
	}
	stamp := now.UTC().Format("20060102T150405Z")
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + e.UID)
		line("DTSTAMP:" + stamp)
		line("DTSTART;TZID=Europe/Amsterdam:" + e.Start.In(school.Amsterdam).Format("20060102T150405"))
		line("DTEND;TZID=Europe/Amsterdam:" + e.End.In(school.Amsterdam).Format("20060102T150405"))
		line("SUMMARY:" + escapeText(e.Summary))
		if e.Location != "" {
			line("LOCATION:" + escapeText(e.Location))
		}
		if e.Description != "" {
			line("DESCRIPTION:" + escapeText(e.Description))
		}
		if e.Cancelled {
			line("STATUS:CANCELLED")
		} else {
			line("STATUS:CONFIRMED")
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11).
var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`)

func escapeText(s string) string { return textEscaper.Replace(s) }

// foldLine writes one content line, folded so that no physical line is
// longer than 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1).
func foldLine(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
