package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// The access matrix: every role against every endpoint that names a
// pupil, for its own pupil, another pupil of its school it may not read,
// a pupil of another school and an id of nothing. Each cell is the status
// expected; every 403 must carry the very same body, so that ids cannot
// be probed. "-" marks a cell the role has no pupil for (an
// administrator may read every pupil of its school).

// The columns of a row: own, other pupil, other school, nothing.
const (
	std   = "200 403 403 403"
	admin = "200 - 403 403"
	never = "403 403 403 403"
)

type role struct {
	name, user string
	own, other school.ID
}

var roles = []role{
	{"pupil", "s1", s1, s2},
	{"parent", "p1", s2, s4},
	{"teacher", "t1", s1, s4},
	{"administrator", "beheer", s4, 0},
}

// matrix rows: a path with %d for the pupil id and the expected cells per
// role, in the order of roles.
var matrix = []struct {
	path  string
	cells [4]string
}{
	{"/rest/v1/leerlingen/%d", [4]string{std, std, std, admin}},
	{"/rest/v1/leerlingen/%d/schoolgegevens", [4]string{std, std, std, admin}},
	{"/rest/v1/leerlingen/%d/registratieOverzicht?periode=SCHOOLJAAR", [4]string{std, std, std, admin}},
	{"/rest/v1/resultaten/huidigVoorLeerling/%d", [4]string{std, std, std, admin}},
	{"/rest/v1/geldendvoortgangsdossierresultaten/leerling/%d", [4]string{std, std, std, admin}},
	{"/rest/v1/geldendexamendossierresultaten/leerling/%d", [4]string{std, std, std, admin}},
	{"/rest/v1/geldendvoortgangsdossierresultaten/leerling/cijferoverzicht/%d",
		[4]string{std, std, std, admin}},
	{"/rest/v1/geldendexamendossierresultaten/leerling/cijferoverzicht/%d",
		[4]string{std, std, std, admin}},
	{"/rest/v1/afspraakitems/%d/jaar/2024/week/10", [4]string{std, std, std, admin}},
	{`/rest/v1/afspraakitems\%d\jaar\2024\week\10`, [4]string{std, std, std, admin}},
	{"/rest/v1/vakanties/leerling/%d", [4]string{std, std, std, admin}},
	{"/rest/v1/maatregeltoekenningen/actief/%d", [4]string{std, std, std, admin}},
	{"/rest/v1/absentiemeldingen?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/waarnemingen?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/absentieredenen?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/vakkeuzes?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/plaatsingen?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/studiewijzers?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/studiewijzeritemafspraaktoekenningen?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/studiewijzeritemdagtoekenningen?geenDifferentiatieOfGedifferentieerdVoorLeerling=%d",
		[4]string{std, std, std, admin}},
	{"/rest/v1/studiewijzeritemweektoekenningen?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/afspraken?leerling=%d", [4]string{std, std, std, admin}},
	{"/rest/v1/medewerkers/ontvangers?leerling=%d", [4]string{std, std, std, admin}},
	// Pupils may not list parents at all, as the real service is said to.
	{"/rest/v1/verzorgers?leerling=%d", [4]string{never, std, std, admin}},
}

// selfRows are the endpoints that name no pupil, with the status per role.
var selfRows = []struct {
	path  string
	codes [4]int
}{
	{"/rest/v1/leerlingen", [4]int{200, 200, 200, 200}},
	{"/rest/v1/account/me?additional=restricties", [4]int{200, 200, 200, 200}},
	{"/rest/v1/absentiemeldingen", [4]int{200, 200, 200, 200}},
	{"/rest/v1/boodschappen/conversaties", [4]int{200, 200, 200, 200}},
	{"/rest/v1/icalendar", [4]int{200, 200, 200, 200}},
	{"/rest/v1/onderwijsopafstandperiodes", [4]int{200, 200, 200, 200}},
	{"/rest/v1/verzorgers", [4]int{403, 200, 200, 200}},
	{"/rest/v1/studiewijzeritemafspraaktoekenningen", [4]int{200, 200, 200, 200}},
}

func TestAccessMatrix(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tokens := make([]string, len(roles))
	for i, r := range roles {
		tokens[i] = e.loginToken(t, uuidA, r.user)
	}
	_, ref := e.get(t, fmt.Sprintf("/rest/v1/leerlingen/%d", nonexistent), tokens[0])

	for _, row := range matrix {
		for ri, r := range roles {
			cells := strings.Fields(row.cells[ri])
			targets := []struct {
				what string
				id   school.ID
			}{{"own", r.own}, {"other pupil", r.other}, {"other school", s3},
				{"nothing", nonexistent}}
			for k, tg := range targets {
				want := cells[k]
				name := fmt.Sprintf("%s/%s/%s", strings.SplitN(row.path, "?", 2)[0], r.name, tg.what)
				t.Run(name, func(t *testing.T) {
					if want == "-" {
						return
					}
					resp, body := e.get(t, fmt.Sprintf(row.path, tg.id), tokens[ri])
					if got := fmt.Sprint(resp.StatusCode); got != want {
						t.Fatalf("%s: %s, want %s: %s", fmt.Sprintf(row.path, tg.id), got, want, body)
					}
					if want == "403" && string(body) != string(ref) {
						t.Fatalf("403 body %s differs from %s", body, ref)
					}
				})
			}
		}
	}
	for _, row := range selfRows {
		for ri, r := range roles {
			t.Run(row.path+"/"+r.name, func(t *testing.T) {
				resp, body := e.get(t, row.path, tokens[ri])
				if resp.StatusCode != row.codes[ri] {
					t.Fatalf("%d, want %d: %s", resp.StatusCode, row.codes[ri], body)
				}
			})
		}
	}
}

// The lists are filtered by the same rules: without a leerling parameter
// every role sees the records of exactly its own pupils.
func TestListsFollowAccess(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tests := []struct {
		user, path string
		want       int
	}{
		{"s1", "/rest/v1/leerlingen", 1},
		{"p1", "/rest/v1/leerlingen", 2},
		{"t1", "/rest/v1/leerlingen", 2},
		{"beheer", "/rest/v1/leerlingen", 3},
		{"s1", "/rest/v1/absentiemeldingen", 1},
		{"s4", "/rest/v1/absentiemeldingen", 0},
		{"beheer", "/rest/v1/absentiemeldingen", 1},
		{"s1", "/rest/v1/studiewijzeritemafspraaktoekenningen", 3},
		{"s4", "/rest/v1/studiewijzeritemafspraaktoekenningen", 0},
		{"s1", "/rest/v1/vakkeuzes", 1},
		{"p1", "/rest/v1/vakkeuzes", 2},
		{"s1", "/rest/v1/boodschappen/conversaties", 1},
		{"s4", "/rest/v1/boodschappen/conversaties", 0},
		{"p1", "/rest/v1/verzorgers", 1},
	}
	for _, tc := range tests {
		t.Run(tc.user+tc.path, func(t *testing.T) {
			_, m := e.getJSON(t, tc.path, e.loginToken(t, uuidA, tc.user))
			if got := len(items(t, m)); got != tc.want {
				t.Fatalf("%d items, want %d: %v", got, tc.want, m)
			}
		})
	}
}
