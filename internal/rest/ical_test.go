package rest

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/opensom/opensom/internal/school"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenWeek is one pupil's week around the switch to summer time: a
// Friday before it and a Monday after, a cancelled lesson, and a
// description long enough to fold.
func goldenWeek() []icalEvent {
	at := func(d, h, m int) time.Time { return time.Date(2024, 3, d, h, m, 0, 0, school.Amsterdam) }
	return []icalEvent{
		{UID: "afspraak-5000001@opensom", Start: at(29, 8, 30), End: at(29, 9, 20),
			Summary: "B12 - 4h-netl1 - abc", Location: "B12",
			Description: "Nederlandse taal en literatuur, Mevr. A. de Vries, lesuur 1"},
		{UID: "afspraak-5000002@opensom", Start: at(29, 9, 20), End: at(29, 10, 10),
			Summary: "Vervallen: C01 - 4h-wisA1 - xyz", Location: "C01", Cancelled: true,
			Description: "wiskunde A, Dhr. B. Jansen, lesuur 2"},
		{UID: "afspraak-5000003@opensom", Start: at(31+1, 10, 25), End: at(31+1, 11, 15),
			Summary: "Excursie; museum, Amsterdam", Location: "Aula",
			Description: strings.Repeat("Een beschrijving die lang genoeg is om te vouwen — ", 3)},
	}
}

func TestICalGolden(t *testing.T) {
	now := time.Date(2024, 3, 27, 12, 0, 0, 0, school.Amsterdam)
	got := renderICal("Rooster", now, goldenWeek())
	const path = "testdata/week.ics"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("feed differs from %s:\n%s", path, got)
	}
}

// The RFC 5545 rules that matter to calendar apps, checked on the golden
// feed rather than trusted to it.
func TestICalRules(t *testing.T) {
	now := time.Date(2024, 3, 27, 12, 0, 0, 0, school.Amsterdam)
	feed := string(renderICal("Rooster", now, goldenWeek()))
	if !strings.HasSuffix(feed, "END:VCALENDAR\r\n") {
		t.Fatal("the feed does not end in END:VCALENDAR and CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(feed, "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if strings.Contains(l, "\n") {
			t.Fatalf("line %d holds a bare LF", i)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, over 75: %q", i, len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded == 0 {
		t.Error("the long description was not folded")
	}
	unfolded := strings.ReplaceAll(feed, "\r\n ", "")
	for _, want := range []string{
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n",
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
		// Friday before the switch and Monday after, both in local time.
		"DTSTART;TZID=Europe/Amsterdam:20240329T083000",
		"DTSTART;TZID=Europe/Amsterdam:20240401T102500",
		"DTSTAMP:20240327T110000Z",
		"STATUS:CANCELLED",
		`SUMMARY:Excursie\; museum\, Amsterdam`,
		strings.Repeat("Een beschrijving die lang genoeg is om te vouwen — ", 3),
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("feed lacks %q", want)
		}
	}
	if strings.Count(feed, "BEGIN:VEVENT") != 3 || strings.Count(feed, "STATUS:CONFIRMED") != 2 {
		t.Error("want three events, two confirmed")
	}
}

func TestFoldLineKeepsRunes(t *testing.T) {
	var b bytes.Buffer
	foldLine(&b, "DESCRIPTION:"+strings.Repeat("é", 100))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
	if len(lines) < 3 {
		t.Fatalf("%d lines, want the value folded at least twice", len(lines))
	}
	for i, l := range lines {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Fatalf("line %d: %d octets, valid UTF-8 %v: %q", i, len(l), utf8.ValidString(l), l)
		}
	}
	if strings.ReplaceAll(b.String(), "\r\n ", "") != "DESCRIPTION:"+strings.Repeat("é", 100)+"\r\n" {
		t.Fatal("unfolding does not give the line back")
	}
}
