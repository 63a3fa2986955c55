package server_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestOrganisaties(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	resp, body := e.get(t, "/organisaties.json", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var orgs []struct {
		Instellingen []struct {
			UUID, Naam, Plaats string
			OIDCURLs           []map[string]string `json:"oidcurls"`
		}
	}
	if err := json.Unmarshal(body, &orgs); err != nil || len(orgs) != 1 {
		t.Fatalf("want an array of one object: %v %s", err, body)
	}
	inst := orgs[0].Instellingen
	if len(inst) != 2 || inst[0].UUID != uuidA || inst[1].Plaats != "VENLO" {
		t.Fatalf("instellingen %+v", inst)
	}
	if inst[0].OIDCURLs == nil || len(inst[1].OIDCURLs) != 1 ||
		inst[1].OIDCURLs[0]["url"] == "" {
		t.Fatalf("oidcurls %+v", inst)
	}
	if !strings.Contains(string(body), `"oidcurls":[]`) {
		t.Fatalf("a school without external IdP must have an empty oidcurls array: %s", body)
	}
}

// TestRepresentations: JSON when asked, XML when Accept is missing or
// */*, 406 for anything else; the same items either way.
func TestRepresentations(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "p1", password).AccessToken
	tests := []struct {
		name, accept, contentType string
		status                    int
	}{
		{"json", "application/json", "application/json", 200},
		{"vendor json", "application/vnd.topicus.platinum+json; charset=utf-8", "application/json", 200},
		{"axios", "application/json, text/plain, */*", "application/json", 200},
		{"missing", "", "application/xml", 200},
		{"any", "*/*", "application/xml", 200},
		{"xml", "application/xml", "application/xml", 200},
		{"csv", "text/csv", "application/json", 406},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.get(t, "/rest/v1/leerlingen", tok, "Accept", tc.accept)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Fatalf("Content-Type %q, want %s", ct, tc.contentType)
			}
			if tc.contentType != "application/xml" {
				return
			}
			var doc struct {
				Items struct {
					Item []struct {
						Type  string `xml:"type,attr"`
						Links struct {
							Item []struct {
								ID int64 `xml:"id"`
							} `xml:"item"`
						} `xml:"links"`
					} `xml:"item"`
				} `xml:"items"`
			}
			if err := xml.Unmarshal(body, &doc); err != nil {
				t.Fatalf("not XML: %v\n%s", err, body)
			}
			got := doc.Items.Item
			if len(got) != 2 || got[0].Type != "leerling.RLeerling" ||
				got[0].Links.Item[0].ID != int64(s1) || got[1].Links.Item[0].ID != int64(s2) {
				t.Fatalf("XML does not hold the same items: %+v", got)
			}
		})
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	tests := []struct {
		name, method, path string
		status             int
	}{
		{"unknown", "GET", "/rest/v1/bestaatniet", 404},
		{"unknown deep", "GET", "/rest/v1/resultaten/huidig", 404},
		{"id not a number", "GET", "/rest/v1/leerlingen/abc", 404},
		{"post on a list", "POST", "/rest/v1/leerlingen", 405},
		{"trailing slash", "GET", "/rest/v1/account/", 200},
		{"backslash", "GET", `/rest/v1/leerlingen%5C` + fmt.Sprint(s1), 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, e.url+tc.path, nil)
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var eb map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&eb)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("%d, want %d (%v)", resp.StatusCode, tc.status, eb)
			}
			if tc.status >= 400 && eb["code"] != float64(tc.status) {
				t.Fatalf("error body %v", eb)
			}
		})
	}
}

// Outside /rest/v1 an unknown one-segment path is a 404 whatever the
// method, next to the login page's POST on such paths, and the known ones
// still answer.
func TestUnknownRootPaths(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/nope", 404},
		{"GET", "/favicon.ico", 404},
		{"HEAD", "/robots.txt", 404},
		{"DELETE", "/metricsx", 404},
		{"POST", "/nope", 404},
		{"GET", "/healthz", 200},
		{"GET", "/organisaties.json", 200},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(tc.method, e.url+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
	}
}

// TestTenantIsolation: a token of school B sees school B only.
func TestTenantIsolation(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidB, "s3", password).AccessToken
	_, m := e.getJSON(t, "/rest/v1/leerlingen", tok)
	if got := items(t, m); len(got) != 1 || selfID(t, got[0]) != int64(s3) {
		t.Fatalf("school B pupil sees %v", got)
	}
	_, m = e.getJSON(t, "/rest/v1/vakken", tok)
	if got := items(t, m); len(got) != 1 || selfID(t, got[0]) != int64(subjB) {
		t.Fatalf("school B subjects %v", got)
	}
	_, m = e.getJSON(t, "/rest/v1/afspraken?begindatum=2024-03-04&einddatum=2024-03-04", tok)
	if got := items(t, m); len(got) != 1 || selfID(t, got[0]) != int64(firstLesson+16) {
		t.Fatalf("school B lessons %v", got)
	}
	// A pupil of school A cannot log in at school B with the same name.
	code, _ := e.post(t, map[string][]string{"grant_type": {"password"},
		"username": {uuidB + `\s1`}, "password": {password}, "client_id": {legacyClient}})
	if code != 400 {
		t.Fatalf("cross-school login: %d, want 400", code)
	}
}
