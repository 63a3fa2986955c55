package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/school"
)

// C12: CORS for browser clients. A preflight from an allowed origin is
// answered without a token; the GET itself names the origin and exposes
// Content-Range; another origin gets no Access-Control-Allow-Origin.
func TestCaseCORS(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	const web = "https://leerling.somtoday.nl"

	// The school list is read by browser clients too, before any login.
	for _, tc := range []struct{ path, token, exposed string }{
		{"/rest/v1/leerlingen", tok, "Content-Range"},
		{"/organisaties.json", "", ""},
	} {
		resp, body := e.do(t, "OPTIONS", tc.path, "", "", "Origin", web,
			"Access-Control-Request-Method", "GET",
			"Access-Control-Request-Headers", "authorization, range, accept")
		h := resp.Header
		if resp.StatusCode != 204 || h.Get("Access-Control-Allow-Origin") != web {
			t.Fatalf("%s preflight: %d %v %s", tc.path, resp.StatusCode, h, body)
		}
		for _, want := range []string{"authorization", "range", "accept"} {
			if !strings.Contains(h.Get("Access-Control-Allow-Headers"), want) {
				t.Errorf("%s: Allow-Headers %q lacks %s", tc.path,
					h.Get("Access-Control-Allow-Headers"), want)
			}
		}
		if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("%s: Allow-Methods %q lacks GET", tc.path, h.Get("Access-Control-Allow-Methods"))
		}

		resp, _ = e.do(t, "GET", tc.path, tc.token, "", "Origin", web)
		if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != web ||
			resp.Header.Get("Access-Control-Expose-Headers") != "Content-Range" {
			t.Fatalf("GET %s: %d %v", tc.path, resp.StatusCode, resp.Header)
		}
		if tc.exposed != "" && resp.Header.Get(tc.exposed) == "" {
			t.Errorf("GET %s: no %s", tc.path, tc.exposed)
		}

		for _, method := range []string{"OPTIONS", "GET"} {
			resp, _ = e.do(t, method, tc.path, tc.token, "", "Origin", "https://evil.example",
				"Access-Control-Request-Method", "GET")
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("%s %s from another origin: Access-Control-Allow-Origin %q", method,
					tc.path, got)
			}
		}
	}
}

// C16: homework from a date. Items on lessons of 2024-02-26, 2024-03-04
// 08:30 and 2024-03-11; begintNaOfOp=2024-03-04 returns the last two.
func TestCaseHomeworkFromDate(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	const list = "/rest/v1/studiewijzeritemafspraaktoekenningen"

	_, m := e.getJSON(t, list, tok)
	if n := len(items(t, m)); n != 3 {
		t.Fatalf("%d items without a date, want 3", n)
	}
	for _, from := range []string{"2024-03-04", "2024-3-4"} {
		_, m = e.getJSON(t, list+"?begintNaOfOp="+from, tok)
		got := items(t, m)
		if len(got) != 2 || selfID(t, got[0]) != int64(hwOn) || selfID(t, got[1]) != int64(hwAfter) {
			t.Fatalf("begintNaOfOp=%s: %v, want %d and %d", from, got, hwOn, hwAfter)
		}
		for _, it := range got {
			if it["$type"] != "studiewijzer.RSWIAfspraakToekenning" {
				t.Fatalf("$type %v", it["$type"])
			}
		}
	}
	for _, bad := range []string{"2024-13-01", "2023-02-29", "gisteren"} {
		resp, body := e.get(t, list+"?begintNaOfOp="+bad, tok)
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"code":400`) {
			t.Errorf("begintNaOfOp=%s: %d %s, want 400 with the error body", bad, resp.StatusCode, body)
		}
	}
}

// C17: a lesson cancelled between two fetches is still there the second
// time, with the same id and times, flagged as cancelled in both
// timetables (and the cached first answer is not served again).
func TestCaseCancelledLessons(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	classic := "/rest/v1/afspraken?begindatum=2024-03-04&einddatum=2024-03-04"
	newer := fmt.Sprintf("/rest/v1/afspraakitems/%d/jaar/2024/week/10", s1)

	find := func(path string) map[string]any {
		_, m := e.getJSON(t, path, tok)
		for _, it := range items(t, m) {
			if selfID(t, it) == int64(firstLesson) {
				return it
			}
		}
		t.Fatalf("lesson %d missing from %s", firstLesson, path)
		return nil
	}
	a1, b1 := find(classic), find(newer)
	if a1["afspraakStatus"] != "ACTIEF" || b1["isUitgevallen"] != false {
		t.Fatalf("before: %v / %v", a1["afspraakStatus"], b1["isUitgevallen"])
	}

	if err := e.store.SetLessonStatus(t.Context(), schoolA, firstLesson,
		school.StatusCancelled); err != nil {
		t.Fatal(err)
	}

	a2, b2 := find(classic), find(newer)
	if a2["afspraakStatus"] != "VERVALLEN" || b2["isUitgevallen"] != true {
		t.Fatalf("after: %v / %v", a2["afspraakStatus"], b2["isUitgevallen"])
	}
	if a1["beginDatumTijd"] != a2["beginDatumTijd"] || b1["eindDatumTijd"] != b2["eindDatumTijd"] {
		t.Fatal("the cancelled lesson's times changed")
	}
	if b2["beginDatumTijd"] != "2024-03-04T08:30:00" {
		t.Fatalf("afspraakitems time %v, want local time without offset", b2["beginDatumTijd"])
	}
}

// A tick set with PUT swigemaakt/cou shows in later reads, and PUT
// swigemaakt/{id} changes it; only the pupil may tick their own homework.
func TestHomeworkTicksAreKept(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	list := "/rest/v1/studiewijzeritemafspraaktoekenningen?additional=huiswerkgemaakt" +
		"&additional=swigemaaktVinkjes&begintNaOfOp=2024-03-04"
	body := fmt.Sprintf(`{"leerling":{"links":[{"id":%d,"rel":"self"}]},"swiToekenningId":%d,`+
		`"gemaakt":true}`, s1, hwOn)

	done := func() any {
		_, m := e.getJSON(t, list, tok)
		return items(t, m)[0]["additionalObjects"].(map[string]any)["huiswerkgemaakt"]
	}
	if done() != false {
		t.Fatal("homework done before any tick")
	}
	resp, b := e.do(t, "PUT", "/rest/v1/swigemaakt/cou", tok, body,
		"Content-Type", "application/vnd.topicus.platinum+json; charset=utf-8")
	if resp.StatusCode != 200 {
		t.Fatalf("PUT cou: %d %s", resp.StatusCode, b)
	}
	var tick map[string]any
	if err := json.Unmarshal(b, &tick); err != nil || tick["gemaakt"] != true ||
		tick["swiToekenningId"] != float64(hwOn) {
		t.Fatalf("answer %s", b)
	}
	perm := tick["permissions"].([]any)[0].(map[string]any)["full"].(string)
	if !strings.Contains(perm, ":READ,UPDATE:") {
		t.Fatalf("a pupil's own tick is not updatable: %s", perm)
	}
	if done() != true {
		t.Fatal("the tick does not show in a later read")
	}

	id := selfID(t, tick)
	resp, b = e.do(t, "PUT", fmt.Sprintf("/rest/v1/swigemaakt/%d", id), tok, `{"gemaakt":false}`)
	if resp.StatusCode != 200 || done() != false {
		t.Fatalf("PUT by id: %d %s, done %v", resp.StatusCode, b, done())
	}

	tests := []struct {
		name, user, body, contentType string
		want                          int
	}{
		{"parent", "p1", body, "application/json", 403},
		{"sibling", "s2", body, "application/json", 403},
		{"teacher", "t1", body, "application/json", 403},
		{"bad json", "s1", `{"leerling":`, "application/json", 400},
		{"form body", "s1", "gemaakt=true", "application/x-www-form-urlencoded", 400},
		{"missing gemaakt", "s1", fmt.Sprintf(`{"leerling":{"links":[{"id":%d}]},`+
			`"swiToekenningId":%d}`, s1, hwOn), "application/json", 400},
		{"other school's homework", "s1", fmt.Sprintf(`{"leerling":{"links":[{"id":%d}]},`+
			`"swiToekenningId":%d,"gemaakt":true}`, s1, hwOfB), "application/json", 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := e.do(t, "PUT", "/rest/v1/swigemaakt/cou", e.loginToken(t, uuidA, tc.user),
				tc.body, "Content-Type", tc.contentType)
			if resp.StatusCode != tc.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.want)
			}
		})
	}
	if resp, _ := e.get(t, "/rest/v1/swigemaakt/cou", tok); resp.StatusCode != 405 ||
		resp.Header.Get("Allow") != "PUT" {
		t.Fatalf("GET swigemaakt/cou: %d, Allow %q; want 405 and PUT", resp.StatusCode,
			resp.Header.Get("Allow"))
	}
}

// A school's switches: grades off closes every grade endpoint with the
// same 403 as an unknown id (no counts), homework off closes the homework
// lists; staff are not bound; restricties shows the stored values.
func TestSchoolSwitches(t *testing.T) {
	w := recordFixture(t)
	w.Switches = []school.Switch{{SchoolID: schoolA, Name: school.SwitchGrades, On: false},
		{SchoolID: schoolA, Name: school.SwitchHomework, On: false}}
	e := start(t, w, fixtureNow)
	pupilTok, teacherTok := e.loginToken(t, uuidA, "s1"), e.loginToken(t, uuidA, "t1")
	_, ref := e.get(t, fmt.Sprintf("/rest/v1/leerlingen/%d", nonexistent), pupilTok)

	closed := []string{
		fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", s1),
		fmt.Sprintf("/rest/v1/resultaten/%d", firstGrade),
		fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d", s1),
		fmt.Sprintf("/rest/v1/geldendexamendossierresultaten/leerling/%d", s1),
		fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/cijferoverzicht/%d", s1),
		"/rest/v1/studiewijzeritemafspraaktoekenningen",
		"/rest/v1/studiewijzeritemdagtoekenningen",
		"/rest/v1/studiewijzeritemweektoekenningen",
		"/rest/v1/studiewijzers",
	}
	for _, path := range closed {
		t.Run(path, func(t *testing.T) {
			resp, body := e.get(t, path, pupilTok)
			if resp.StatusCode != 403 || string(body) != string(ref) {
				t.Fatalf("%d %s, want the 403 of an unknown id", resp.StatusCode, body)
			}
			if resp.Header.Get("Content-Range") != "" {
				t.Fatal("a closed list tells its size in Content-Range")
			}
			if resp, body := e.get(t, path, teacherTok); resp.StatusCode != 200 {
				t.Fatalf("teacher: %d %s", resp.StatusCode, body)
			}
		})
	}
	_, m := e.getJSON(t, "/rest/v1/account/me?additional=restricties", pupilTok)
	r := m["additionalObjects"].(map[string]any)["restricties"].(map[string]any)["items"].([]any)[0].(map[string]any)
	if r["cijfersBekijkenAan"] != false || r["huiswerkBekijkenAan"] != false ||
		r["roosterBekijkenAan"] != true || r["leerlingId"] != float64(s1) {
		t.Fatalf("restricties %v", r)
	}
}

// The administrator's account/me names the staff member behind it.
func TestAdministratorAccount(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	_, m := e.getJSON(t, "/rest/v1/account/me", e.loginToken(t, uuidA, "beheer"))
	p := m["persoon"].(map[string]any)
	if p["$type"] != "medewerker.RMedewerkerPrimer" || p["afkorting"] != "bhr" {
		t.Fatalf("persoon %v", p)
	}
}

// TestCORSOriginsConfigured: --cors-origins replaces the default list.
func TestCORSOriginsConfigured(t *testing.T) {
	const own = "http://127.0.0.1:5173"
	e := start(t, recordFixture(t), fixtureNow, func(c *config.Config) { c.CORSOrigins = own + "/" })
	tok := e.loginToken(t, uuidA, "s1")
	for origin, want := range map[string]string{own: own, "https://leerling.somtoday.nl": ""} {
		resp, _ := e.do(t, "GET", "/rest/v1/leerlingen", tok, "", "Origin", origin)
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("origin %s: Access-Control-Allow-Origin %q, want %q", origin, got, want)
		}
	}
}
