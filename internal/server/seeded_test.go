package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
)

// seededEnv writes a small seeded world (one school, every year of every
// track, last year too) through the world writer, as `opensom seed` does,
// and starts opensom on it. It returns the world as generated, to find
// what the server should answer.
func seededEnv(t *testing.T, now time.Time) (*env, *school.World) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	ww, err := st.WriteWorld(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ww.Close()
	w := &school.World{}
	o := demo.SeedOptions{Seed: 5, Now: now, Schools: 1, Pupils: 300, Years: 2}
	err = demo.Seed(ctx, o, func(p demo.Part) error {
		w.Schools = append(w.Schools, p.World.Schools...)
		w.Years = append(w.Years, p.World.Years...)
		w.Subjects = append(w.Subjects, p.World.Subjects...)
		w.Groups = append(w.Groups, p.World.Groups...)
		w.Accounts = append(w.Accounts, p.World.Accounts...)
		w.Grades = append(w.Grades, p.World.Grades...)
		w.Lessons = append(w.Lessons, p.World.Lessons...)
		if err := ww.Write(ctx, p.World); err != nil {
			return err
		}
		if p.Last {
			return ww.Commit(ctx)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return startOn(t, st, now), w
}

// TestSeededWorld: people of a seeded world log in with the accounts seed
// made, and read what the world holds.
func TestSeededWorld(t *testing.T) {
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, school.Amsterdam)
	e, w := seededEnv(t, now)
	t.Run("pupil", func(t *testing.T) { seededPupil(t, e, w) })
	t.Run("parent and teacher", func(t *testing.T) { seededParentAndTeacher(t, e, w) })
}

// seededPupil: the server answers a pupil's grades, its lessons and the
// averages of its subjects as the world recorded them.
func seededPupil(t *testing.T, e *env, w *school.World) {
	sc := w.Schools[0]
	current := w.Years[len(w.Years)-1]

	// A pupil of the fourth year of havo, which has an exam dossier.
	var class school.Group
	for _, g := range w.Groups {
		if g.YearID == current.ID && g.SubjectID == 0 && strings.HasPrefix(g.Name, "4havo-") {
			class = g
		}
	}
	if class.ID == 0 {
		t.Fatal("no 4havo class in the seeded world")
	}
	pupil := class.PupilIDs[0]
	var acc school.Account
	for _, a := range w.Accounts {
		if a.Role == school.RolePupil && a.PersonID == pupil {
			acc = a
		}
	}
	tok := e.login(t, sc.UUID, acc.Username, acc.DemoPassword).AccessToken

	_, me := e.getJSON(t, "/rest/v1/leerlingen", tok)
	if got := items(t, me); len(got) != 1 || idOf(t, got[0]) != int64(pupil) {
		t.Fatalf("leerlingen: %v, want pupil %d", got, pupil)
	}

	var grades []school.Grade
	for _, g := range w.Grades {
		if g.PupilID == pupil {
			grades = append(grades, g)
		}
	}
	resp, _ := e.getJSON(t, fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", pupil),
		tok, "Range", "items=0-99")
	want := fmt.Sprintf("items 0-%d/%d", min(len(grades), 100)-1, len(grades))
	if got := resp.Header.Get("Content-Range"); got != want || len(grades) < 50 {
		t.Errorf("Content-Range %q, want %q (a pupil with %d grades)", got, want, len(grades))
	}

	monday := school.Date(2026, 11, 16)
	q := url.Values{"begindatum": {school.FormatDate(monday)},
		"einddatum": {school.FormatDate(monday.AddDate(0, 0, 4))}}
	_, week := e.getJSON(t, "/rest/v1/afspraken?"+q.Encode(), tok, "Range", "items=0-99")
	if n := len(items(t, week)); n < 20 || n > 40 {
		t.Errorf("%d lessons in a school week, want a full timetable", n)
	}

	checkAverages(t, e, tok, w, pupil, current)
}

// checkAverages compares the server's vakgemiddelden of the pupil's
// current placement with the averages the world recorded.
func checkAverages(t *testing.T, e *env, tok string, w *school.World, pupil school.ID,
	current school.SchoolYear) {
	t.Helper()
	abbrev := map[school.ID]string{}
	for _, s := range w.Subjects {
		abbrev[s.ID] = s.Abbrev
	}
	recorded := map[string]string{} // "voortgang/wisB" -> "6,8"
	for _, g := range w.Grades {
		if g.PupilID != pupil || school.DateOf(g.Entered).Before(current.From) {
			continue
		}
		switch g.Type {
		case school.ColumnReportAverage:
			recorded["voortgang/"+abbrev[g.SubjectID]] = string(school.AppendTenths(nil,
				g.Tenths, ','))
		case school.ColumnSEAverage:
			recorded["examen/"+abbrev[g.SubjectID]] = string(school.AppendTenths(nil,
				g.Tenths, ','))
		}
	}

	_, pls := e.getJSON(t, "/rest/v1/plaatsingen", tok)
	var placement string
	for _, pl := range items(t, pls) {
		if pl["huidig"] == true {
			placement, _ = pl["UUID"].(string)
		}
	}
	_, avgs := e.getJSON(t, "/rest/v1/vakkeuzes/plaatsing/"+placement+"/vakgemiddelden", tok)
	served := map[string]string{}
	list, _ := avgs["gemiddelden"].([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		vk, _ := m["vakkeuze"].(map[string]any)
		vak, _ := vk["vak"].(map[string]any)
		name, _ := vak["afkorting"].(string)
		for key, field := range map[string]string{"voortgang": "voortgangsdossierResultaat",
			"examen": "examendossierResultaat"} {
			if r, ok := m[field].(map[string]any); ok {
				served[key+"/"+name], _ = r["formattedResultaat"].(string)
			}
		}
	}
	if len(recorded) < 5 || len(served) != len(recorded) {
		t.Errorf("averages: served %v, recorded %v", served, recorded)
	}
	for k, v := range recorded {
		if served[k] != v {
			t.Errorf("average %s: served %q, recorded %q", k, served[k], v)
		}
	}
}

// seededParentAndTeacher: a parent reads its children, a teacher the
// pupils of its groups, in a seeded world as in the demo's.
func seededParentAndTeacher(t *testing.T, e *env, w *school.World) {
	sc := w.Schools[0]
	for _, a := range w.Accounts {
		if a.Role != school.RoleParent || len(a.PupilIDs) < 2 {
			continue
		}
		tok := e.login(t, sc.UUID, a.Username, a.DemoPassword).AccessToken
		_, m := e.getJSON(t, "/rest/v1/leerlingen", tok)
		if got := items(t, m); len(got) != len(a.PupilIDs) {
			t.Errorf("parent %s reads %d pupils, want its %d children", a.Username, len(got),
				len(a.PupilIDs))
		}
		break
	}
	for _, a := range w.Accounts {
		if a.Role != school.RoleStaff {
			continue
		}
		tok := e.login(t, sc.UUID, a.Username, a.DemoPassword).AccessToken
		_, m := e.getJSON(t, "/rest/v1/leerlingen", tok, "Range", "items=0-99")
		if len(items(t, m)) == 0 {
			t.Errorf("teacher %s reads no pupils", a.Username)
		}
		break
	}
}

// idOf is the id in an item's first link.
func idOf(t *testing.T, item map[string]any) int64 {
	t.Helper()
	links, _ := item["links"].([]any)
	if len(links) == 0 {
		t.Fatalf("item without links: %v", item)
	}
	l, _ := links[0].(map[string]any)
	id, _ := l["id"].(float64)
	return int64(id)
}
