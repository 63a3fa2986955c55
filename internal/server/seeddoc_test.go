package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
)

// The tests in this file replay each request of the community document the
// project started from, as it is written there with only the host changed,
// against the demo world, and check every field the document shows with
// its JSON type.

// demoNow is a fixed clock inside a school year.
var demoNow = time.Date(2026, 11, 18, 10, 0, 0, 0, school.Amsterdam)

// demoEnv starts opensom on the default demo world and finds its star
// pupil: the pupil account of the first school with the most grades.
func demoEnv(t *testing.T) (*env, *school.World, school.Account) {
	t.Helper()
	w, err := demo.Generate(demo.Options{Seed: config.DefaultSeed, Now: demoNow})
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, w, demoNow)
	count := map[school.ID]int{}
	for _, g := range w.Grades {
		count[g.PupilID]++
	}
	var star school.Account
	for _, a := range w.Accounts {
		if a.Role == school.RolePupil && a.SchoolID == w.Schools[0].ID &&
			count[a.PersonID] > count[star.PersonID] {
			star = a
		}
	}
	if count[star.PersonID] < 245 {
		t.Fatalf("the demo world's star pupil has %d grades, want at least 245", count[star.PersonID])
	}
	return e, w, star
}

// kind names a JSON type: string, number, bool, array, object, or
// "string?" for a string or null.
func checkFields(t *testing.T, where string, obj map[string]any, want map[string]string) {
	t.Helper()
	for field, kind := range want {
		v, ok := obj[field]
		if !ok {
			t.Errorf("%s: field %q missing", where, field)
			continue
		}
		if got := jsonKind(v); got != kind && !(kind == "string?" && (got == "string" || got == "null")) {
			t.Errorf("%s: field %q is %s, want %s", where, field, got, kind)
		}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

var envelopeFields = map[string]string{"$type": "string", "links": "array",
	"permissions": "array", "additionalObjects": "object"}

// primerFields: nested references carry the envelope without $type.
var primerFields = map[string]string{"links": "array", "permissions": "array",
	"additionalObjects": "object"}

func with(base map[string]string, more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

func checkSelfLink(t *testing.T, where, base string, obj map[string]any, collection string) {
	t.Helper()
	links := obj["links"].([]any)
	if len(links) == 0 {
		t.Fatalf("%s: no links", where)
	}
	l := links[0].(map[string]any)
	checkFields(t, where+".links[0]", l, map[string]string{"id": "number", "rel": "string",
		"type": "string", "href": "string"})
	want := fmt.Sprintf("%s/rest/v1/%s/%d", base, collection, int64(l["id"].(float64)))
	if l["rel"] != "self" || l["href"] != want {
		t.Errorf("%s: self link %v, want rel self and href %s", where, l, want)
	}
	for i, p := range obj["permissions"].([]any) {
		checkFields(t, fmt.Sprintf("%s.permissions[%d]", where, i), p.(map[string]any),
			map[string]string{"full": "string", "type": "string", "operations": "array",
				"instances": "array"})
	}
}

// rawPost sends a body exactly as curl -d does.
func rawPost(t *testing.T, u, body string) (int, http.Header, map[string]any) {
	t.Helper()
	resp, err := http.Post(u, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("token answer is not JSON: %s", b)
	}
	return resp.StatusCode, resp.Header, m
}

var tokenFields = map[string]string{"access_token": "string", "refresh_token": "string",
	"somtoday_api_url": "string", "somtoday_oop_url": "string", "scope": "string",
	"somtoday_tenant": "string", "somtoday_organisatie_afkorting": "string",
	"id_token": "string", "token_type": "string", "expires_in": "number"}

func TestSeedDocument(t *testing.T) {
	e, w, star := demoEnv(t)
	tenant := w.Schools[0].UUID

	// School list.
	resp, body := e.get(t, "/organisaties.json", "")
	var orgs []map[string]any
	if err := json.Unmarshal(body, &orgs); err != nil || resp.StatusCode != 200 || len(orgs) != 1 {
		t.Fatalf("organisaties.json: %d %v", resp.StatusCode, err)
	}
	for i, s := range orgs[0]["instellingen"].([]any) {
		checkFields(t, fmt.Sprintf("instellingen[%d]", i), s.(map[string]any),
			map[string]string{"uuid": "string", "naam": "string", "plaats": "string", "oidcurls": "array"})
	}

	// Password grant, as the document's curl line sends it: a literal
	// backslash in the body.
	code, hdr, tok := rawPost(t, e.url+"/oauth2/token", "grant_type=password&username="+tenant+`\`+
		star.Username+"&password="+star.DemoPassword+"&scope=openid&client_id="+legacyClient)
	if code != 200 {
		t.Fatalf("password grant: %d %v", code, tok)
	}
	checkFields(t, "token answer", tok, tokenFields)
	if tok["token_type"] != "Bearer" || tok["expires_in"] != 3600.0 || tok["scope"] != "openid" ||
		tok["somtoday_api_url"] != e.url || hdr.Get("Cache-Control") != "no-store" {
		t.Fatalf("token answer %v, headers %v", tok, hdr)
	}

	// Refresh grant with a client secret in the body, which is ignored.
	code, _, ref := rawPost(t, e.url+"/oauth2/token", "grant_type=refresh_token&refresh_token="+
		tok["refresh_token"].(string)+"&client_id="+legacyClient+"&client_secret=any-secret-is-ignored")
	if code != 200 {
		t.Fatalf("refresh grant: %d %v", code, ref)
	}
	checkFields(t, "refresh answer", ref, tokenFields)
	access := ref["access_token"].(string)
	api := ref["somtoday_api_url"].(string)
	if api != e.url {
		t.Fatalf("somtoday_api_url %q, want %q", api, e.url)
	}

	pupilFields := map[string]string{"leerlingnummer": "number", "roepnaam": "string",
		"achternaam": "string", "email": "string", "mobielNummer": "string?",
		"geboortedatum": "string", "geslacht": "string"}

	// Current pupil, with the photo.
	_, m := e.getJSON(t, "/rest/v1/leerlingen?additional=pasfoto", access)
	list := items(t, m)
	if len(list) != 1 || selfID(t, list[0]) != int64(star.PersonID) {
		t.Fatalf("leerlingen: %v", list)
	}
	checkFields(t, "leerling", list[0], with(envelopeFields, pupilFields))
	checkSelfLink(t, "leerling", e.url, list[0], "leerlingen")
	foto := list[0]["additionalObjects"].(map[string]any)["pasfoto"].(map[string]any)
	checkFields(t, "pasfoto", foto, with(envelopeFields, map[string]string{"datauri": "string"}))
	if !strings.HasPrefix(foto["datauri"].(string), "data:image/") {
		t.Errorf("datauri %q is not a data URI of an image", foto["datauri"])
	}

	// Pupil by id, bare.
	id := selfID(t, list[0])
	_, m = e.getJSON(t, fmt.Sprintf("/rest/v1/leerlingen/%d", id), access)
	checkFields(t, "leerling by id", m, with(primerFields, pupilFields))
	if _, wrapped := m["items"]; wrapped {
		t.Fatal("leerlingen/{id} must be bare")
	}

	t.Run("grades", func(t *testing.T) { seedGrades(t, e, access, id) })
	t.Run("schedule", func(t *testing.T) { seedSchedule(t, e, access, id) })
	t.Run("subjects account years", func(t *testing.T) { seedRest(t, e, access) })
}

func seedGrades(t *testing.T, e *env, access string, id int64) {
	path := fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d?additional=berekendRapportCijfer"+
		"&additional=samengesteldeToetskolomId&additional=resultaatkolomId&additional=cijferkolomId"+
		"&additional=toetssoortnaam&additional=huidigeAnderVakKolommen", id)
	var all []map[string]any
	for first := 0; ; first += 100 {
		_, m := e.getJSON(t, path, access, "Range", fmt.Sprintf("items=%d-%d", first, first+99))
		page := items(t, m)
		all = append(all, page...)
		if len(page) < 100 {
			break
		}
	}
	if len(all) < 245 {
		t.Fatalf("%d grades, want at least 245", len(all))
	}
	types := map[string]bool{}
	for i, g := range all {
		where := fmt.Sprintf("grade %d", i)
		checkFields(t, where, g, with(envelopeFields, map[string]string{"herkansingstype": "string",
			"datumInvoer": "string", "teltNietmee": "bool", "toetsNietGemaakt": "bool",
			"leerjaar": "number", "periode": "number", "examenWeging": "number",
			"isExamendossierResultaat": "bool", "isVoortgangsdossierResultaat": "bool",
			"type": "string", "vak": "object", "leerling": "object"}))
		checkSelfLink(t, where, e.url, g, "resultaten")
		if _, ok := g["resultaat"]; ok {
			checkFields(t, where, g, map[string]string{"resultaat": "string", "geldendResultaat": "string"})
		}
		add := g["additionalObjects"].(map[string]any)
		for _, name := range []string{"berekendRapportCijfer", "samengesteldeToetskolomId",
			"resultaatkolomId", "cijferkolomId", "toetssoortnaam", "huidigeAnderVakKolommen"} {
			if _, ok := add[name]; !ok {
				t.Fatalf("%s: additionalObjects lacks %s", where, name)
			}
		}
		checkFields(t, where+".vak", g["vak"].(map[string]any),
			with(primerFields, map[string]string{"afkorting": "string", "naam": "string"}))
		checkFields(t, where+".leerling", g["leerling"].(map[string]any),
			with(primerFields, map[string]string{"UUID": "string", "leerlingnummer": "number",
				"roepnaam": "string", "achternaam": "string"}))
		if _, err := time.Parse(time.RFC3339, g["datumInvoer"].(string)); err != nil {
			t.Errorf("%s: datumInvoer %v", where, err)
		}
		types[g["type"].(string)] = true
	}
	for _, want := range []string{"Toetskolom", "PeriodeGemiddeldeKolom", "RapportGemiddeldeKolom"} {
		if !types[want] {
			t.Errorf("no grade of column type %s among %v", want, types)
		}
	}
}

func seedSchedule(t *testing.T, e *env, access string, id int64) {
	// The document asks for a span of weeks; take the two weeks around the clock.
	from := school.FormatDate(demoNow.AddDate(0, 0, -7))
	to := school.FormatDate(demoNow.AddDate(0, 0, 7))
	_, m := e.getJSON(t, "/rest/v1/afspraken?sort=asc-id&additional=vak&additional=docentAfkortingen"+
		"&additional=leerlingen&begindatum="+from+"&einddatum="+to, access)
	list := items(t, m)
	if len(list) < 20 {
		t.Fatalf("%d lessons in two weeks, want a timetable", len(list))
	}
	var prev int64
	for i, a := range list {
		where := fmt.Sprintf("afspraak %d", i)
		checkFields(t, where, a, with(envelopeFields, map[string]string{"afspraakType": "object",
			"beginDatumTijd": "string", "eindDatumTijd": "string", "titel": "string",
			"omschrijving": "string", "presentieRegistratieVerplicht": "bool",
			"presentieRegistratieVerwerkt": "bool", "afspraakStatus": "string", "vestiging": "object"}))
		checkSelfLink(t, where, e.url, a, "afspraken")
		if id := selfID(t, a); id <= prev {
			t.Fatalf("sort=asc-id: %d after %d", id, prev)
		}
		prev = selfID(t, a)
		add := a["additionalObjects"].(map[string]any)
		checkFields(t, where+".additionalObjects", add, map[string]string{
			"docentAfkortingen": "string", "leerlingen": "object"})
		if v, ok := add["vak"]; !ok || (v != nil && jsonKind(v) != "object") {
			t.Fatalf("%s: vak additional %v", where, v)
		}
		lw := add["leerlingen"].(map[string]any)
		if lw["$type"] != "LinkableWrapper" || len(lw["items"].([]any)) != 1 {
			t.Fatalf("%s: leerlingen %v, want a wrapper with the pupil", where, lw)
		}
		at := a["afspraakType"].(map[string]any)
		checkFields(t, where+".afspraakType", at, with(primerFields, map[string]string{
			"naam": "string", "omschrijving": "string", "standaardKleur": "number",
			"categorie": "string", "activiteit": "string", "percentageIIVO": "number",
			"presentieRegistratieDefault": "bool", "actief": "bool", "vestiging": "object"}))
		checkFields(t, where+".vestiging", a["vestiging"].(map[string]any),
			with(primerFields, map[string]string{"naam": "string"}))
	}
}

func seedRest(t *testing.T, e *env, access string) {
	_, m := e.getJSON(t, "/rest/v1/vakken", access)
	vakken := items(t, m)
	if len(vakken) < 12 {
		t.Fatalf("%d subjects, want at least 12", len(vakken))
	}
	for i, v := range vakken {
		checkFields(t, fmt.Sprintf("vak %d", i), v, with(envelopeFields,
			map[string]string{"afkorting": "string", "naam": "string"}))
		checkSelfLink(t, fmt.Sprintf("vak %d", i), e.url, v, "vakken")
	}

	_, m = e.getJSON(t, "/rest/v1/account", access)
	accs := items(t, m)
	if len(accs) != 1 {
		t.Fatalf("account list has %d items", len(accs))
	}
	checkFields(t, "account", accs[0], with(envelopeFields, map[string]string{
		"gebruikersnaam": "string", "accountPermissions": "array", "persoon": "object"}))
	persoon := accs[0]["persoon"].(map[string]any)
	checkFields(t, "account.persoon", persoon, with(envelopeFields, map[string]string{
		"UUID": "string", "leerlingnummer": "number", "roepnaam": "string", "achternaam": "string"}))
	if persoon["$type"] != "leerling.RLeerlingPrimer" {
		t.Errorf("persoon $type %v", persoon["$type"])
	}
	_, me := e.getJSON(t, "/rest/v1/account/me?additional=restricties", access)
	r := me["additionalObjects"].(map[string]any)["restricties"].(map[string]any)
	if r["$type"] != "LinkableWrapper" || len(r["items"].([]any)) != 1 {
		t.Fatalf("restricties %v", r)
	}
	checkFields(t, "restricties", r["items"].([]any)[0].(map[string]any), map[string]string{
		"vestigingsId": "number", "leerlingId": "number", "cijfersBekijkenAan": "bool",
		"roosterBekijkenAan": "bool", "mobieleAppAan": "bool"})

	_, m = e.getJSON(t, "/rest/v1/schooljaren", access)
	years := items(t, m)
	current := 0
	for i, y := range years {
		checkFields(t, fmt.Sprintf("schooljaar %d", i), y, with(envelopeFields, map[string]string{
			"naam": "string", "vanafDatum": "string", "totDatum": "string", "isHuidig": "bool"}))
		if y["isHuidig"] == true {
			current++
		}
	}
	if current != 1 {
		t.Fatalf("%d current school years, want 1", current)
	}
	_, h := e.getJSON(t, "/rest/v1/schooljaren/huidig", access)
	if h["isHuidig"] != true {
		t.Fatalf("schooljaren/huidig %v", h)
	}
	_, byID := e.getJSON(t, fmt.Sprintf("/rest/v1/schooljaren/%d", selfID(t, h)), access)
	if byID["naam"] != h["naam"] {
		t.Fatalf("schooljaren/{id} %v, want %v", byID["naam"], h["naam"])
	}
}
