package server_test

import (
	"fmt"
	"net/url"
	"testing"
)

// The editing admin API end to end: each thing a school does in a day,
// made with one admin call, shows at once in the REST API that clients
// read, although the answer before it was cached.

// created posts to the admin API, wants 201 and returns the new id.
func (e *env) created(t testing.TB, path, body string) int64 {
	t.Helper()
	var out struct{ ID int64 }
	e.admin(t, "POST", path, body, 201, &out)
	if out.ID <= 0 {
		t.Fatalf("POST %s: no id", path)
	}
	return out.ID
}

// findItem is the item of a list with the id, or nil.
func findItem(t testing.TB, m map[string]any, id int64) map[string]any {
	t.Helper()
	for _, it := range items(t, m) {
		if selfID(t, it) == id {
			return it
		}
	}
	return nil
}

// A grade a teacher enters shows in the classic list and in the progress
// file.
func TestAdminEnterGrade(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow, withAdmin)
	tok := e.loginToken(t, uuidA, "s2")
	list := fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", s2)
	progress := fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d", s2)
	_, before := e.getJSON(t, list, tok)
	if n := len(items(t, before)); n != 2 {
		t.Fatalf("%d grades before, want 2", n)
	}
	e.getJSON(t, progress, tok)

	id := e.created(t, "/_opensom/grades", fmt.Sprintf(`{"pupil_id":%d,"subject_id":%d,`+
		`"value":"7,5","weight":3,"description":"Toets H4","test_kind":"PW"}`, s2, subjEN))

	_, after := e.getJSON(t, list, tok)
	g := findItem(t, after, id)
	if len(items(t, after)) != 3 || g == nil {
		t.Fatalf("after entering grade %d: %v", id, after)
	}
	if g["resultaat"] != "7.5" || g["weging"] != 3.0 || g["omschrijving"] != "Toets H4" ||
		g["datumInvoer"] != "2024-03-06T12:00:00.000+01:00" || g["periode"] != 3.0 {
		t.Errorf("the new grade on the wire: %v", g)
	}
	_, m := e.getJSON(t, progress, tok)
	p := findItem(t, m, id)
	if p == nil || p["formattedResultaat"] != "7,5" || p["weging"] != 3.0 ||
		p["toetscode"] != "PW2" {
		t.Errorf("the new grade in the progress file: %v", p)
	}

	e.admin(t, "DELETE", fmt.Sprintf("/_opensom/grades/%d", id), "", 204, nil)
	_, gone := e.getJSON(t, list, tok)
	if findItem(t, gone, id) != nil {
		t.Error("a deleted grade is still listed")
	}
}

// A lesson cancelled keeps its id and times (C17); a lesson moved shows
// its new time and room.
func TestAdminCancelAndMoveLesson(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow, withAdmin)
	tok := e.loginToken(t, uuidA, "s1")
	week := "/rest/v1/afspraken?begindatum=2024-03-04&einddatum=2024-03-10"
	_, m := e.getJSON(t, week, tok)
	first, second := findItem(t, m, firstLesson), findItem(t, m, firstLesson+1)
	if first["afspraakStatus"] != "ACTIEF" || second == nil {
		t.Fatalf("before: %v", first)
	}

	e.admin(t, "POST", fmt.Sprintf("/_opensom/lessons/%d/cancel", firstLesson), "", 200, nil)
	e.admin(t, "POST", fmt.Sprintf("/_opensom/lessons/%d/move", firstLesson+1),
		`{"start":"2024-03-04T14:00:00+01:00","location":"C3"}`, 200, nil)

	_, m = e.getJSON(t, week, tok)
	c, mv := findItem(t, m, firstLesson), findItem(t, m, firstLesson+1)
	if c["afspraakStatus"] != "VERVALLEN" || c["beginDatumTijd"] != first["beginDatumTijd"] ||
		c["eindDatumTijd"] != first["eindDatumTijd"] {
		t.Errorf("cancelled: %v %v %v", c["afspraakStatus"], c["beginDatumTijd"],
			c["eindDatumTijd"])
	}
	if mv["beginDatumTijd"] != "2024-03-04T14:00:00.000+01:00" ||
		mv["eindDatumTijd"] != "2024-03-04T14:50:00.000+01:00" || mv["locatie"] != "C3" ||
		mv["titel"] != "C3 - 4havo-a - tvm" {
		t.Errorf("moved: %v %v %v %v", mv["beginDatumTijd"], mv["eindDatumTijd"],
			mv["locatie"], mv["titel"])
	}
	items := fmt.Sprintf("/rest/v1/afspraakitems/%d/jaar/2024/week/10", s1)
	_, m = e.getJSON(t, items, tok)
	if it := findItem(t, m, firstLesson); it == nil || it["isUitgevallen"] != true {
		t.Errorf("afspraakitems of the cancelled lesson: %v", it)
	}

	e.admin(t, "POST", fmt.Sprintf("/_opensom/lessons/%d/reinstate", firstLesson), "", 200, nil)
	_, m = e.getJSON(t, week, tok)
	if findItem(t, m, firstLesson)["afspraakStatus"] != "ACTIEF" {
		t.Error("the reinstated lesson is still cancelled")
	}
}

// Homework added to a lesson, a day and a week shows in the three lists.
func TestAdminAddHomework(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow, withAdmin)
	tok := e.loginToken(t, uuidA, "s1")
	lists := []struct{ path, body string }{
		{"/rest/v1/studiewijzeritemafspraaktoekenningen?begintNaOfOp=2024-03-04",
			fmt.Sprintf(`{"lesson_id":%d,"topic":"Opgaven 1-10","type":"TOETS"}`, firstLesson+4)},
		{"/rest/v1/studiewijzeritemdagtoekenningen?jaarWeek=2024~10",
			fmt.Sprintf(`{"group_id":%d,"date":"2024-03-07","topic":"Woorden"}`, classA)},
		{"/rest/v1/studiewijzeritemweektoekenningen?weeknummer=12",
			fmt.Sprintf(`{"group_id":%d,"week":"2024-W11","until_week":"2024-W12"}`, groupNL)},
	}
	for _, l := range lists {
		t.Run(l.path, func(t *testing.T) {
			e.getJSON(t, l.path, tok)
			id := e.created(t, "/_opensom/homework", l.body)
			_, m := e.getJSON(t, l.path, tok)
			it := findItem(t, m, id)
			if it == nil {
				t.Fatalf("homework %d missing: %v", id, m)
			}
			item := it["studiewijzerItem"].(map[string]any)
			if item["onderwerp"] == "" || item["huiswerkType"] == "" {
				t.Errorf("item %v", item)
			}
		})
	}
}

// An absence report and an observation show in their lists.
func TestAdminReportAbsence(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow, withAdmin)
	tok := e.loginToken(t, uuidA, "s1")
	reports := fmt.Sprintf("/rest/v1/absentiemeldingen?leerling=%d", s1)
	e.getJSON(t, reports, tok)
	id := e.created(t, "/_opensom/absences", fmt.Sprintf(`{"pupil_id":%d,"reason":"ZK",`+
		`"end":"2024-03-06T16:00:00+01:00","remarks":"tandarts"}`, s1))
	_, m := e.getJSON(t, reports, tok)
	r := findItem(t, m, id)
	if r == nil || r["beginDatumTijd"] != "2024-03-06T12:00:00.000+01:00" ||
		r["absentieReden"].(map[string]any)["afkorting"] != "ZK" {
		t.Errorf("report %d: %v", id, r)
	}

	obs := "/rest/v1/waarnemingen"
	e.getJSON(t, obs, tok)
	id = e.created(t, "/_opensom/observations", fmt.Sprintf(`{"pupil_id":%d,"lesson_id":%d,`+
		`"registration":"TeLaat"}`, s1, firstLesson+7))
	_, m = e.getJSON(t, obs, tok)
	o := findItem(t, m, id)
	if o == nil || o["waarnemingSoort"] != "Aanwezig" {
		t.Errorf("observation %d: %v", id, o)
	}
}

// A pupil made by the admin, put in a class and given an account, logs
// in and reads its lessons; the school's switches close its grades; a
// deleted account's token stops working.
func TestAdminNewPupilLogsIn(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow, withAdmin)
	pupil := e.created(t, "/_opensom/pupils", fmt.Sprintf(`{"school_id":%d,`+
		`"first_name":"Nieuwe","last_name":"Leerling"}`, schoolA))
	e.admin(t, "PUT", fmt.Sprintf("/_opensom/groups/%d/pupils/%d", classA, pupil), "", 200, nil)
	acc := e.created(t, "/_opensom/accounts", fmt.Sprintf(`{"role":"leerling","person_id":%d,`+
		`"username":"nieuw","password":"%s"}`, pupil, password))

	tok := e.loginToken(t, uuidA, "nieuw")
	_, m := e.getJSON(t, "/rest/v1/leerlingen", tok)
	me := items(t, m)
	if len(me) != 1 || selfID(t, me[0]) != pupil || me[0]["roepnaam"] != "Nieuwe" {
		t.Fatalf("leerlingen of the new pupil: %v", me)
	}
	_, m = e.getJSON(t, "/rest/v1/afspraken?begindatum=2024-03-04&einddatum=2024-03-04", tok)
	if findItem(t, m, firstLesson) == nil {
		t.Error("the new pupil does not see its class's lesson")
	}
	grades := fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", pupil)
	e.getJSON(t, grades, tok)
	e.admin(t, "PATCH", "/_opensom/schools/"+uuidA+"/switches", `{"cijfersBekijkenAan":false}`,
		200, nil)
	if resp, b := e.get(t, grades, tok); resp.StatusCode != 403 {
		t.Errorf("grades with the switch off: %d %s", resp.StatusCode, b)
	}

	e.admin(t, "DELETE", fmt.Sprintf("/_opensom/accounts/%d", acc), "", 204, nil)
	if resp, _ := e.get(t, "/rest/v1/leerlingen", tok); resp.StatusCode != 401 {
		t.Errorf("the deleted account's token: %d, want 401", resp.StatusCode)
	}
	code, _ := e.post(t, url.Values{"grant_type": {"password"}, "scope": {"openid"},
		"username": {uuidA + `\nieuw`}, "password": {password}, "client_id": {legacyClient}})
	if code == 200 {
		t.Error("the deleted account still logs in")
	}
}

// A snapshot restored brings the lesson back as it was; a token from
// before the restore keeps working, as the account is in the snapshot.
func TestAdminSnapshotRestore(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow, withAdmin)
	tok := e.loginToken(t, uuidA, "s1")
	week := "/rest/v1/afspraken?begindatum=2024-03-04&einddatum=2024-03-04"

	e.admin(t, "POST", "/_opensom/snapshots/clean", "", 201, nil)
	e.admin(t, "POST", fmt.Sprintf("/_opensom/lessons/%d/cancel", firstLesson), "", 200, nil)
	_, m := e.getJSON(t, week, tok)
	if findItem(t, m, firstLesson)["afspraakStatus"] != "VERVALLEN" {
		t.Fatal("the lesson is not cancelled")
	}

	e.admin(t, "POST", "/_opensom/snapshots/clean/restore", "", 200, nil)

	_, m = e.getJSON(t, week, tok)
	if findItem(t, m, firstLesson)["afspraakStatus"] != "ACTIEF" {
		t.Error("after the restore the lesson is still cancelled")
	}
}
