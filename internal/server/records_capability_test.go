package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// plainFetch reads a capability URL with no token at all, as a calendar
// app or an <img> tag does.
func plainFetch(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b.String()
}

// The calendar link leads to a feed readable without a token, with
// cancelled lessons marked; DELETE revokes it and the next GET makes a
// new one.
func TestICalendarFeed(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	if err := e.store.SetLessonStatus(t.Context(), schoolA, firstLesson+1,
		school.StatusCancelled); err != nil {
		t.Fatal(err)
	}

	_, m := e.getJSON(t, "/rest/v1/icalendar", tok)
	link, _ := m["leerlingICalendarLink"].(string)
	if !strings.HasPrefix(link, e.url+"/rest/v1/icalendar/stream/") {
		t.Fatalf("link %q", link)
	}
	if _, again := e.getJSON(t, "/rest/v1/icalendar", tok); again["leerlingICalendarLink"] != link {
		t.Fatal("a second GET made another link")
	}

	code, ct, feed := plainFetch(t, link)
	if code != 200 || !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("feed: %d %s", code, ct)
	}
	unfolded := strings.ReplaceAll(feed, "\r\n ", "")
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "TZID:Europe/Amsterdam",
		fmt.Sprintf("UID:afspraak-%d@opensom", firstLesson),
		"DTSTART;TZID=Europe/Amsterdam:20240304T083000", "STATUS:CANCELLED"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("feed lacks %q", want)
		}
	}
	// The fixture week's 15 lessons and the Saturday activity lie in the
	// feed's window; the next week's lesson too.
	if n := strings.Count(feed, "BEGIN:VEVENT"); n != 18 {
		t.Errorf("feed has %d events, want 18", n)
	}

	if code, _, _ := plainFetch(t, link+"0"); code != 404 {
		t.Errorf("a wrong secret: %d, want 404", code)
	}
	if code, _, _ := plainFetch(t, e.url+"/rest/v1/icalendar/stream/nonsense"); code != 404 {
		t.Errorf("a malformed token: %d, want 404", code)
	}
	resp, _ := e.do(t, "DELETE", "/rest/v1/icalendar", tok, "")
	if resp.StatusCode != 204 {
		t.Fatalf("DELETE: %d", resp.StatusCode)
	}
	if code, _, _ := plainFetch(t, link); code != 404 {
		t.Fatalf("revoked feed: %d, want 404", code)
	}
	if _, m := e.getJSON(t, "/rest/v1/icalendar", tok); m["leerlingICalendarLink"] == link {
		t.Fatal("the revoked link came back")
	}
}

// pasfotoUrl is a capability URL: the photo needs no token, a wrong
// token is a 404, and a school that hides photos shows neither.
func TestPhotoCapability(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprint("photos on ", on), func(t *testing.T) {
			w := recordFixture(t)
			w.Pupils[0].PhotoToken = "0123456789abcdef0123456789abcdef"
			if !on {
				w.Switches = []school.Switch{{SchoolID: schoolA, Name: school.SwitchPhoto}}
			}
			e := start(t, w, fixtureNow)
			tok := e.loginToken(t, uuidA, "s1")
			_, m := e.getJSON(t, fmt.Sprintf("/rest/v1/leerlingen/%d", s1), tok)
			url, _ := m["pasfotoUrl"].(string)
			direct := e.url + "/rest/v1/pasfoto/" + w.Pupils[0].UUID + "/" + w.Pupils[0].PhotoToken
			if on != (url == direct) {
				t.Fatalf("pasfotoUrl %q with photos on %v", url, on)
			}
			code, ct, _ := plainFetch(t, direct)
			if on && (code != 200 || ct != "image/png") || !on && code != 404 {
				t.Fatalf("photo: %d %s", code, ct)
			}
		})
	}
}

func TestPhotoOnDemo(t *testing.T) {
	e, w, star := demoEnv(t)
	tok := e.login(t, w.Schools[0].UUID, star.Username, star.DemoPassword).AccessToken
	_, m := e.getJSON(t, fmt.Sprintf("/rest/v1/leerlingen/%d", star.PersonID), tok)
	url, _ := m["pasfotoUrl"].(string)
	if !strings.HasPrefix(url, e.url+"/rest/v1/pasfoto/") {
		t.Fatalf("pasfotoUrl %q", url)
	}
	code, ct, body := plainFetch(t, url)
	if code != 200 || ct != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
		t.Fatalf("photo: %d %s", code, ct)
	}
	for _, bad := range []string{url[:len(url)-1] + "x", url + "/more",
		strings.Replace(url, "/pasfoto/", "/pasfoto/0", 1)} {
		if code, _, _ := plainFetch(t, bad); code != 404 {
			t.Errorf("%s: %d, want 404", bad, code)
		}
	}
}

// Marking a conversation read is kept and shows in later reads; another
// account's conversation answers 403.
func TestConversationRead(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	read := func(token string) any {
		_, m := e.getJSON(t, "/rest/v1/boodschappen/conversaties?additional=verzenderCorrespondent"+
			"&additional=aantalExtraOntvangers", token)
		c := items(t, m)[0]
		if c["additionalObjects"].(map[string]any)["aantalExtraOntvangers"] != 1.0 {
			t.Fatalf("additionalObjects %v", c["additionalObjects"])
		}
		return c["boodschappen"].([]any)[0].(map[string]any)["gelezen"]
	}
	if read(tok) != false {
		t.Fatal("read before marking")
	}
	path := fmt.Sprintf("/rest/v1/boodschappen/conversatie/%d/markeerGelezen", convS1)
	if resp, b := e.do(t, "POST", path, tok, ""); resp.StatusCode != 204 {
		t.Fatalf("markeerGelezen: %d %s", resp.StatusCode, b)
	}
	parent := e.loginToken(t, uuidA, "p1")
	if read(tok) != true || read(parent) != false {
		t.Fatal("the read mark is not kept per account")
	}
	unread := fmt.Sprintf("/rest/v1/boodschappen/setGelezen/%d?gelezen=false", convS1)
	if resp, _ := e.do(t, "PUT", unread, tok, ""); resp.StatusCode != 204 || read(tok) != false {
		t.Fatal("setGelezen?gelezen=false did not mark it unread")
	}
	if resp, _ := e.do(t, "POST", path, e.loginToken(t, uuidA, "s4"), ""); resp.StatusCode != 403 {
		t.Fatalf("another's conversation: %d, want 403", resp.StatusCode)
	}
}

// The additional objects of leerlingen: lestijden, rVestiging and
// huidigeLichting.
func TestPupilAdditionals(t *testing.T) {
	e := start(t, recordFixture(t), fixtureNow)
	tok := e.loginToken(t, uuidA, "s1")
	_, m := e.getJSON(t, "/rest/v1/leerlingen?additional=lestijden&additional=rVestiging"+
		"&additional=huidigeLichting", tok)
	ao := items(t, m)[0]["additionalObjects"].(map[string]any)
	lt := ao["lestijden"].(map[string]any)
	uren := lt["lesuren"].([]any)
	if len(uren) != 2 || uren[0].(map[string]any)["begintijd"] != "08:30" || lt["actief"] != true {
		t.Fatalf("lestijden %v", lt)
	}
	if ao["rVestiging"].(map[string]any)["naam"] != "Noord Hoofdgebouw" {
		t.Fatalf("rVestiging %v", ao["rVestiging"])
	}
	hl := ao["huidigeLichting"].(map[string]any)
	os := hl["onderwijssoort"].(map[string]any)
	if hl["UUID"] != uuidClassA || os["afkorting"] != "HAVO" || os["isOnderbouw"] != false {
		t.Fatalf("huidigeLichting %v", hl)
	}
}
