package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// gradePath is S1's classic grade list.
var gradePath = fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", s1)

// C09 and C10: Range windows and their edges.
func TestCaseRangeWindows(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	tests := []struct {
		name, rng    string
		count        int
		contentRange string
		first        int // index of the first item in the full order
	}{
		{"C09 first page", "items=0-99", 100, "items 0-99/245", 0},
		{"C09 second page", "items=100-199", 100, "items 100-199/245", 100},
		{"C09 cut to 100", "items=0-249", 100, "items 0-99/245", 0},
		{"C09 no range", "", 100, "items 0-99/245", 0},
		{"C10 last page", "items=200-299", 45, "items 200-244/245", 200},
		{"C10 wide tail", "items=240-1000", 5, "items 240-244/245", 240},
		{"C10 past the end", "items=300-399", 0, "items */245", 0},
		{"C10 inverted", "items=99-0", 100, "items 0-99/245", 0},
		{"C10 letters", "items=abc", 100, "items 0-99/245", 0},
		{"C10 bytes", "bytes=0-99", 100, "items 0-99/245", 0},
		{"C10 negative", "items=-5", 100, "items 0-99/245", 0},
	}
	all := allIDs(t, e, gradePath, tok)
	if len(all) != gradesOfS1 || len(uniq(all)) != gradesOfS1 {
		t.Fatalf("paging through all grades gave %d ids (%d distinct), want %d",
			len(all), len(uniq(all)), gradesOfS1)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, m := e.getJSON(t, gradePath, tok, "Range", tc.rng)
			got := items(t, m)
			if len(got) != tc.count {
				t.Fatalf("%d items, want %d", len(got), tc.count)
			}
			if cr := resp.Header.Get("Content-Range"); cr != tc.contentRange {
				t.Fatalf("Content-Range %q, want %q", cr, tc.contentRange)
			}
			for i, it := range got {
				if id := selfID(t, it); id != all[tc.first+i] {
					t.Fatalf("item %d is %d, want %d", i, id, all[tc.first+i])
				}
			}
		})
	}
}

// allIDs pages through a list with 100-item windows until a short page.
func allIDs(t *testing.T, e *env, path, tok string) []int64 {
	var ids []int64
	for first := 0; ; first += 100 {
		_, m := e.getJSON(t, path, tok, "Range", fmt.Sprintf("items=%d-%d", first, first+99))
		page := items(t, m)
		for _, it := range page {
			ids = append(ids, selfID(t, it))
		}
		if len(page) < 100 {
			return ids
		}
	}
}

func uniq(ids []int64) []int64 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}

// C11: 150 grades in the same millisecond page without overlap, in the
// same order every time, and sort=asc-id is strictly ascending.
func TestCaseTies(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	first := allIDs(t, e, gradePath, tok)
	again := allIDs(t, e, gradePath, tok)
	if !slices.Equal(first, again) {
		t.Fatal("two walks through the same list gave different orders")
	}
	if len(uniq(first[:sameMillisecondS1])) != sameMillisecondS1 {
		t.Fatal("the tied grades repeat across pages")
	}
	byID := allIDs(t, e, gradePath+"?sort=asc-id", tok)
	for i := 1; i < len(byID); i++ {
		if byID[i] <= byID[i-1] {
			t.Fatalf("sort=asc-id: id %d after %d", byID[i], byID[i-1])
		}
	}
	if resp, _ := e.get(t, gradePath+"?sort=asc-bogus", tok); resp.StatusCode != 400 {
		t.Fatalf("unknown sort: %d, want 400", resp.StatusCode)
	}
}

// C13: timestamps in Amsterdam time with the offset of their instant.
func TestCaseTimestamps(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s2", password).AccessToken
	_, m := e.getJSON(t, fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", s2), tok)
	want := map[int64]string{
		s2Grade1: "2018-10-31T17:32:15.218+01:00",
		s2Grade2: "2019-09-10T13:41:11.805+02:00",
	}
	got := items(t, m)
	if len(got) != 2 {
		t.Fatalf("%d grades, want 2", len(got))
	}
	for _, it := range got {
		ts, _ := it["datumInvoer"].(string)
		if ts != want[selfID(t, it)] {
			t.Errorf("grade %d datumInvoer %q, want %q", selfID(t, it), ts, want[selfID(t, it)])
		}
		if _, err := time.Parse(time.RFC3339, ts); err != nil {
			t.Errorf("%q is not RFC 3339: %v", ts, err)
		}
	}
}

// C14: a parent sees exactly their children; everyone else's ids, other
// schools' ids and ids of nothing get the same 403.
func TestCaseParentsAndOthers(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	p1 := e.login(t, uuidA, "p1", password).AccessToken
	tokS1 := e.login(t, uuidA, "s1", password).AccessToken
	tokS3 := e.login(t, uuidB, "s3", password).AccessToken

	_, m := e.getJSON(t, "/rest/v1/leerlingen", p1)
	kids := items(t, m)
	if len(kids) != 2 || selfID(t, kids[0]) != int64(s1) || selfID(t, kids[1]) != int64(s2) {
		t.Fatalf("parent sees %v, want [%d %d] in that order", kids, s1, s2)
	}
	for _, k := range kids {
		href := k["links"].([]any)[0].(map[string]any)["href"].(string)
		if !strings.HasSuffix(href, fmt.Sprint(selfID(t, k))) || !strings.HasPrefix(href, e.url) {
			t.Errorf("self href %q does not end in the id or start at the server", href)
		}
	}
	e.getJSON(t, fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", s2), p1)

	denied := []struct{ name, token, path string }{
		{"parent asks other school", p1, fmt.Sprintf("/rest/v1/leerlingen/%d", s3)},
		{"pupil asks sibling", tokS1, fmt.Sprintf("/rest/v1/leerlingen/%d", s2)},
		{"pupil asks sibling grades", tokS1, fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", s2)},
		{"nothing", tokS1, "/rest/v1/leerlingen/1999999999"},
		{"other school's grade", tokS3, fmt.Sprintf("/rest/v1/resultaten/%d", s2Grade1)},
		{"other school's year", tokS3, fmt.Sprintf("/rest/v1/schooljaren/%d", yearA)},
		{"other school's lesson", tokS3, fmt.Sprintf("/rest/v1/afspraken/%d", firstLesson)},
		{"other school's subject", tokS3, fmt.Sprintf("/rest/v1/vakken/%d", subjNL)},
		{"other school's pupil list", tokS3, fmt.Sprintf("/rest/v1/afspraken?leerling=%d", s1)},
	}
	var firstBody string
	for _, tc := range denied {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.get(t, tc.path, tc.token)
			if resp.StatusCode != 403 {
				t.Fatalf("%d %s, want 403", resp.StatusCode, body)
			}
			if firstBody == "" {
				firstBody = string(body)
			}
			if string(body) != firstBody {
				t.Fatalf("body %s differs from %s", body, firstBody)
			}
		})
	}
	var eb map[string]any
	if err := json.Unmarshal([]byte(firstBody), &eb); err != nil || eb["code"] != 403.0 ||
		eb["reason"] != "Forbidden" {
		t.Fatalf("error body %s is not the REST error shape", firstBody)
	}
}

// C15: schedule dates are local and inclusive; bad dates are a 400.
func TestCaseScheduleDates(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	tests := []struct {
		name, query string
		status      int
		count       int
	}{
		{"week", "begindatum=2024-03-04&einddatum=2024-03-08", 200, 15},
		{"one day", "begindatum=2024-03-06&einddatum=2024-03-06", 200, 3},
		{"saturday", "begindatum=2024-03-09&einddatum=2024-03-09", 200, 1},
		{"unpadded", "begindatum=2024-3-4&einddatum=2024-3-4", 200, 3},
		{"only begin", "begindatum=2024-03-08", 200, 4},
		{"end before begin", "begindatum=2024-03-08&einddatum=2024-03-04", 400, 0},
		{"impossible month", "begindatum=2024-13-01&einddatum=2024-13-02", 400, 0},
		{"not a date", "begindatum=maandag", 400, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := "/rest/v1/afspraken?" + tc.query + "&additional=vak&additional=docentAfkortingen"
			resp, body := e.get(t, path, tok)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tc.status)
			}
			if tc.status != 200 {
				var eb map[string]any
				if json.Unmarshal(body, &eb) != nil || eb["code"] != float64(tc.status) {
					t.Fatalf("error body %s", body)
				}
				return
			}
			var m map[string]any
			_ = json.Unmarshal(body, &m)
			got := items(t, m)
			if len(got) != tc.count {
				t.Fatalf("%d lessons, want %d", len(got), tc.count)
			}
			for _, it := range got {
				add := it["additionalObjects"].(map[string]any)
				if _, ok := add["vak"]; !ok {
					t.Fatalf("no vak in additionalObjects: %v", add)
				}
				if _, ok := add["docentAfkortingen"]; !ok {
					t.Fatalf("no docentAfkortingen in additionalObjects: %v", add)
				}
			}
		})
	}
}

// C05 at the REST side: how the Authorization header is read.
func TestCaseBearerParsing(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	tok := e.login(t, uuidA, "s1", password).AccessToken
	flipped := []byte(tok)
	for i, c := range flipped {
		if c >= 'a' && c <= 'z' {
			flipped[i] = c - 32
		} else if c >= 'A' && c <= 'Z' {
			flipped[i] = c + 32
		}
	}
	tests := []struct {
		name, header string
		status       int
		challenge    string
	}{
		{"bearer", "Bearer " + tok, 200, ""},
		{"lower", "bearer " + tok, 200, ""},
		{"upper", "BEARER " + tok, 200, ""},
		{"no scheme", tok, 401, ""},
		{"none", "", 401, "Bearer"},
		{"flipped case", "Bearer " + string(flipped), 401, `Bearer error="invalid_token"`},
		{"garbage", "Bearer abc.def.ghi", 401, `Bearer error="invalid_token"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", e.url+"/rest/v1/leerlingen", nil)
			req.Header.Set("Accept", "application/json")
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("%d, want %d", resp.StatusCode, tc.status)
			}
			if tc.challenge != "" && resp.Header.Get("WWW-Authenticate") != tc.challenge {
				t.Fatalf("WWW-Authenticate %q, want %q", resp.Header.Get("WWW-Authenticate"), tc.challenge)
			}
		})
	}

	e.clock.Advance(2 * time.Hour)
	resp, _ := e.get(t, "/rest/v1/leerlingen", tok)
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
		t.Fatalf("expired token: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

// C01 at the REST side: reusing a rotated refresh token after the grace
// window revokes the family, and its access tokens stop working.
func TestCaseReplayRevokesFamily(t *testing.T) {
	e := start(t, fixture(t), fixtureNow)
	rt1 := e.login(t, uuidA, "s1", password).RefreshToken
	code, second, body := e.refresh(t, rt1)
	if code != 200 || second.RefreshToken == rt1 {
		t.Fatalf("refresh: %d %s", code, body)
	}
	e.getJSON(t, "/rest/v1/leerlingen", second.AccessToken)

	e.clock.Advance(time.Minute)
	if code, _, body := e.refresh(t, rt1); code != 403 || !strings.Contains(string(body), "invalid_grant") {
		t.Fatalf("replay: %d %s, want 403 invalid_grant", code, body)
	}
	resp, _ := e.get(t, "/rest/v1/leerlingen", second.AccessToken)
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
		t.Fatalf("access token of a revoked family: %d %q", resp.StatusCode,
			resp.Header.Get("WWW-Authenticate"))
	}
	if code, _, _ := e.refresh(t, second.RefreshToken); code == 200 {
		t.Fatal("the newer refresh token of a revoked family still works")
	}
}
