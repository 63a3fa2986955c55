package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// Every new endpoint answers real data on the demo world, in the shape of
// the spec: the envelope, the $type and the fields clients read.
func TestDemoEndpointsHaveData(t *testing.T) {
	e, w, star := demoEnv(t)
	tenant := w.Schools[0].UUID
	tok := e.login(t, tenant, star.Username, star.DemoPassword).AccessToken
	id := star.PersonID
	year, week := demoNow.ISOWeek()

	lists := []struct {
		path, typ string
		fields    map[string]string
	}{
		{fmt.Sprintf("/rest/v1/absentiemeldingen?leerling=%d", id), "participatie.RAbsentieMelding",
			map[string]string{"beginDatumTijd": "string", "absentieReden": "object",
				"afgehandeld": "bool", "leerling": "object"}},
		{"/rest/v1/absentieredenen", "participatie.RAbsentieReden",
			map[string]string{"afkorting": "string", "geoorloofd": "bool"}},
		{"/rest/v1/waarnemingen", "participatie.RWaarneming",
			map[string]string{"waarnemingSoort": "string", "afspraak": "object", "invoerDatum": "string"}},
		{fmt.Sprintf("/rest/v1/maatregeltoekenningen/actief/%d", id), "participatie.RMaatregelToekenning",
			map[string]string{"maatregel": "object", "nagekomen": "bool"}},
		{"/rest/v1/studiewijzers", "studiewijzer.RStudiewijzer",
			map[string]string{"uuid": "string", "naam": "string", "lesgroep": "object"}},
		{"/rest/v1/studiewijzeritemafspraaktoekenningen", "studiewijzer.RSWIAfspraakToekenning",
			map[string]string{"studiewijzerItem": "object", "datumTijd": "string", "lesgroep": "object"}},
		{"/rest/v1/studiewijzeritemdagtoekenningen", "studiewijzer.RSWIDagToekenning",
			map[string]string{"studiewijzerItem": "object", "datumTijd": "string"}},
		{"/rest/v1/studiewijzeritemweektoekenningen", "studiewijzer.RSWIWeekToekenning",
			map[string]string{"weeknummerVanaf": "number", "weeknummerTm": "number"}},
		{"/rest/v1/vakkeuzes?additional=vaknormering", "onderwijsinrichting.RVakkeuze",
			map[string]string{"vak": "object", "lichting": "object", "vrijstelling": "bool"}},
		{fmt.Sprintf("/rest/v1/plaatsingen?leerling=%d", id), "plaatsing.RPlaatsing",
			map[string]string{"UUID": "string", "stamgroepnaam": "string", "leerjaar": "number"}},
		{fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d", id),
			"resultaten.RGeldendVoortgangsdossierResultaat",
			map[string]string{"formattedResultaat": "string", "datumInvoerEerstePoging": "string",
				"isVoldoende": "bool", "weging": "number"}},
		{fmt.Sprintf("/rest/v1/afspraakitems/%d/jaar/%d/week/%d", id, year, week),
			"participatie.live.RAfspraakItem",
			map[string]string{"beginDatumTijd": "string", "isUitgevallen": "bool", "vak": "object",
				"docentNamen": "array"}},
		{fmt.Sprintf("/rest/v1/vakanties/leerling/%d", id), "participatie.RVakantie",
			map[string]string{"naam": "string", "beginDatum": "string", "eindDatum": "string"}},
		{"/rest/v1/medewerkers/ontvangers?additional=vakkenDocentVoorLeerling", "medewerker.RMedewerker",
			map[string]string{"afkorting": "string", "achternaam": "string"}},
		{"/rest/v1/boodschappen/conversaties?additional=verzenderCorrespondent",
			"berichten.RBoodschapConversatie", map[string]string{"boodschappen": "array"}},
	}
	for _, l := range lists {
		t.Run(l.path, func(t *testing.T) {
			resp, m := e.getJSON(t, l.path, tok)
			its := items(t, m)
			if len(its) == 0 {
				t.Fatal("no items in the demo world")
			}
			if resp.Header.Get("Content-Range") == "" {
				t.Error("no Content-Range on a list")
			}
			fields := map[string]string{}
			for k, v := range envelopeFields {
				fields[k] = v
			}
			for k, v := range l.fields {
				fields[k] = v
			}
			checkFields(t, l.path, its[0], fields)
			if its[0]["$type"] != l.typ {
				t.Errorf("$type %v, want %s", its[0]["$type"], l.typ)
			}
		})
	}

	_, m := e.getJSON(t, fmt.Sprintf("/rest/v1/plaatsingen?leerling=%d", id), tok)
	placement := items(t, m)[0]["UUID"].(string)
	_, avg := e.getJSON(t, "/rest/v1/vakkeuzes/plaatsing/"+placement+"/vakgemiddelden", tok)
	if g, ok := avg["gemiddelden"].([]any); !ok || len(g) == 0 {
		t.Fatalf("vakgemiddelden %v", avg)
	}
	if _, ok := avg["voortgangsdossierGemiddelde"].(float64); !ok {
		t.Fatalf("voortgangsdossierGemiddelde %v", avg["voortgangsdossierGemiddelde"])
	}
	_, over := e.getJSON(t, fmt.Sprintf("/rest/v1/leerlingen/%d/registratieOverzicht?periode=SCHOOLJAAR",
		id), tok)
	if len(over["teLaat"].([]any)) == 0 || len(over["afwezigWaarnemingen"].([]any)) == 0 {
		t.Fatalf("registratieOverzicht %v", over)
	}
	_, gg := e.getJSON(t, fmt.Sprintf("/rest/v1/leerlingen/%d/schoolgegevens", id), tok)
	if gg["instellingsnaam"] != w.Schools[0].Name || gg["leerjaar"] == 0.0 {
		t.Fatalf("schoolgegevens %v", gg)
	}

	// The school administrator of the demo world reads every pupil of
	// the first school.
	var admin school.Account
	for _, a := range w.Accounts {
		if a.Role == school.RoleAdmin {
			admin = a
		}
	}
	code, body := e.post(t, url.Values{"grant_type": {"password"}, "scope": {"offline_access"},
		"username": {tenant + `\` + admin.Username}, "password": {admin.DemoPassword},
		"client_id": {legacyClient}})
	if code != 200 {
		t.Fatalf("administrator login: %d %s", code, body)
	}
	var ta tokenAnswer
	if err := jsonUnmarshal(body, &ta); err != nil {
		t.Fatal(err)
	}
	resp, m := e.getJSON(t, "/rest/v1/leerlingen", ta.AccessToken)
	want := 0
	for _, p := range w.Pupils {
		if p.SchoolID == w.Schools[0].ID {
			want++
		}
	}
	if !strings.HasSuffix(resp.Header.Get("Content-Range"), fmt.Sprintf("/%d", want)) {
		t.Fatalf("administrator sees %s, want all %d pupils", resp.Header.Get("Content-Range"), want)
	}
	_ = m
}

// Bad parameters are a 400 with the error body, never a 500.
func TestRecordBadParameters(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	paths := []string{
		fmt.Sprintf("/rest/v1/leerlingen/%d/registratieOverzicht", s1),
		fmt.Sprintf("/rest/v1/leerlingen/%d/registratieOverzicht?periode=EEUWIG", s1),
		"/rest/v1/absentiemeldingen?begindatumtijd=2024-13-01",
		"/rest/v1/absentiemeldingen?begindatumtijd=2024-03-05&einddatumtijd=2024-03-04",
		"/rest/v1/waarnemingen?waarnemingSoort=Misschien",
		"/rest/v1/waarnemingen?isGeoorloofd=soms",
		"/rest/v1/waarnemingen?begintNaOfOp=morgen",
		"/rest/v1/studiewijzeritemdagtoekenningen?jaarWeek=2024-9",
		"/rest/v1/studiewijzeritemdagtoekenningen?jaarWeek=2024~60",
		"/rest/v1/studiewijzeritemweektoekenningen?weeknummer=negen",
		"/rest/v1/studiewijzeritemweektoekenningen?schooljaar=dit",
		"/rest/v1/vakkeuzes?actiefOpPeildatum=2024-02-30",
		fmt.Sprintf("/rest/v1/afspraakitems/%d/jaar/2024/week/60", s1),
		fmt.Sprintf("/rest/v1/afspraakitems/%d/jaar/2025/week/53", s1), // 2025 has 52 weeks,
		fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d?sort=asc-wind", s1),
		"/rest/v1/boodschappen/conversaties?alle=welles",
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			resp, body := e.get(t, p, tok)
			if resp.StatusCode != 400 || !bytes.Contains(body, []byte(`"code":400`)) ||
				!bytes.Contains(body, []byte(`"reason":"Bad Request"`)) {
				t.Fatalf("%d %s, want 400 with the error body", resp.StatusCode, body)
			}
		})
	}
}

// Filters and paging of the new lists.
func TestRecordFiltersAndPaging(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	tests := []struct {
		path, rng    string
		n            int
		contentRange string
	}{
		{fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d", s1), "items=0-30",
			31, "items 0-30/245"},
		{fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d", s1), "items=200-299",
			45, "items 200-244/245"},
		{fmt.Sprintf("/rest/v1/geldendexamendossierresultaten/leerling/%d", s1), "", 0, "items */0"},
		{fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d?type=Advieskolom", s1),
			"", 0, "items */0"},
		{"/rest/v1/waarnemingen", "", 3, "items 0-2/3"},
		{"/rest/v1/waarnemingen?waarnemingSoort=Afwezig", "", 1, "items 0-0/1"},
		{"/rest/v1/waarnemingen?isGeoorloofd=false", "", 2, "items 0-1/2"},
		{"/rest/v1/waarnemingen?beginDatumTijd=2024-03-05&eindDatumTijd=2024-03-05", "", 1, "items 0-0/1"},
		{"/rest/v1/waarnemingen?begintNaOfOp=2024-03-05", "items=1-1", 1, "items 1-1/2"},
		{"/rest/v1/absentiemeldingen?begindatumtijd=2024-03-05", "", 0, "items */0"},
		{"/rest/v1/absentiemeldingen?begindatumtijd=2024-3-4&einddatumtijd=2024-3-4", "", 1, "items 0-0/1"},
		{"/rest/v1/studiewijzeritemdagtoekenningen?jaarWeek=2024~10", "", 1, "items 0-0/1"},
		{"/rest/v1/studiewijzeritemdagtoekenningen?jaarWeek=2024~11", "", 0, "items */0"},
		{"/rest/v1/studiewijzeritemweektoekenningen?weeknummer=11", "", 1, "items 0-0/1"},
		{fmt.Sprintf("/rest/v1/studiewijzeritemafspraaktoekenningen?schooljaar=%d", yearA), "items=0-1",
			2, "items 0-1/3"},
		{"/rest/v1/vakkeuzes?actiefOpPeildatum=2024-03-06T00:00:00.000", "", 1, "items 0-0/1"},
		{"/rest/v1/vakkeuzes?actiefOpPeildatum=2025-03-06", "", 0, "items */0"},
		{fmt.Sprintf("/rest/v1/afspraakitems/%d/jaar/2024/week/10", s1), "items=0-9", 10, "items 0-9/16"},
	}
	for _, tc := range tests {
		t.Run(tc.path+" "+tc.rng, func(t *testing.T) {
			var hdr []string
			if tc.rng != "" {
				hdr = []string{"Range", tc.rng}
			}
			resp, m := e.getJSON(t, tc.path, tok, hdr...)
			if got := len(items(t, m)); got != tc.n || resp.Header.Get("Content-Range") != tc.contentRange {
				t.Fatalf("%d items, %q; want %d, %q", got, resp.Header.Get("Content-Range"), tc.n,
					tc.contentRange)
			}
		})
	}

	_, over := e.getJSON(t, fmt.Sprintf("/rest/v1/leerlingen/%d/registratieOverzicht?periode=SCHOOLJAAR",
		s1), tok)
	counts := map[string]int{"afwezigWaarnemingen": 1, "geoorloofdAfwezig": 1,
		"ongeoorloofdAfwezig": 0, "teLaat": 1, "verwijderd": 0, "huiswerkNietGemaakt": 1,
		"materiaalNietInOrde": 0}
	for bucket, n := range counts {
		if got := len(over[bucket].([]any)); got != n {
			t.Errorf("%s: %d, want %d", bucket, got, n)
		}
	}
	hw := over["huiswerkNietGemaakt"].([]any)[0].(map[string]any)
	if hw["vak"].(map[string]any)["afkorting"] != "netl" || hw["uniqueIdentifier"] == "" {
		t.Errorf("lesson entry %v", hw)
	}
	_, week := e.getJSON(t, fmt.Sprintf("/rest/v1/leerlingen/%d/registratieOverzicht?periode=ZEVEN_DAGEN",
		s1), tok)
	if len(week["teLaat"].([]any)) != 1 {
		t.Errorf("ZEVEN_DAGEN teLaat %v", week["teLaat"])
	}

	_, g := e.getJSON(t, fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d"+
		"?additional=vaknaam&additional=resultaatkolom&additional=lichtinguuid", s1), tok,
		"Range", "items=0-0")
	it := items(t, g)[0]
	if !strings.Contains(it["formattedResultaat"].(string), ",") ||
		strings.Contains(it["formattedResultaat"].(string), ".") {
		t.Errorf("formattedResultaat %v: want a comma", it["formattedResultaat"])
	}
	if d := it["datumInvoerEerstePoging"].(string); len(d) != len("2024-03-04T08:30:00") {
		t.Errorf("datumInvoerEerstePoging %q: want local time without offset", d)
	}
	ao := it["additionalObjects"].(map[string]any)
	if ao["vaknaam"] != "Nederlandse taal en literatuur" || ao["lichtinguuid"] != uuidClassA {
		t.Errorf("additionalObjects %v", ao)
	}
	if _, ok := ao["resultaatkolom"].(float64); !ok {
		t.Errorf("resultaatkolom %v is not a number", ao["resultaatkolom"])
	}
}

const uuidClassA = "00000000-0000-4000-8000-0000000005a1"

// The per-subject grade lists find subject and cohort by UUID; unknown
// UUIDs answer like any id the caller may not read.
func TestGeldendPerSubject(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	const nl = "00000000-0000-4000-8000-0000000003a1"
	path := func(kind, vak, lichting string) string {
		return fmt.Sprintf("/rest/v1/geldendvoortgangsdossierresultaten/%s/%d/vak/%s/lichting/%s",
			kind, s1, vak, lichting)
	}
	_, m := e.getJSON(t, path("vakresultaten", nl, uuidClassA), tok)
	if n := len(items(t, m)); n != 100 {
		t.Fatalf("%d per-subject results on the first page, want 100", n)
	}
	_, m = e.getJSON(t, path("resultaatkolommen", nl, uuidClassA), tok)
	if c := items(t, m)[0]; c["$type"] != "resultaten.kolommen.RToetskolom" || c["weging"] != 2.0 {
		t.Fatalf("column %v", c)
	}
	for _, bad := range []string{path("vakresultaten", "no-such-vak", uuidClassA),
		path("vakresultaten", nl, "no-such-lichting")} {
		if resp, _ := e.get(t, bad, tok); resp.StatusCode != 403 {
			t.Errorf("%s: %d, want 403", bad, resp.StatusCode)
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
