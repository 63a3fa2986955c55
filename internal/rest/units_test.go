package rest

import (
	"strings"
	"testing"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		name        string
		header      string
		first, last int
	}{
		{"absent", "", 0, 99},
		{"first page", "items=0-99", 0, 99},
		{"second page", "items=100-199", 100, 199},
		{"too wide", "items=0-249", 0, 99},
		{"101 wide", "items=100-200", 100, 199},
		{"short", "items=0-30", 0, 30},
		{"past end", "items=200-299", 200, 299},
		{"inverted", "items=99-0", 0, 99},
		{"letters", "items=abc", 0, 99},
		{"bytes", "bytes=0-99", 0, 99},
		{"negative", "items=-5", 0, 99},
		{"open end", "items=5-", 0, 99},
		{"spaces", " items = 10 - 19 ", 10, 19},
		{"upper unit", "ITEMS=10-19", 10, 19},
		{"huge", "items=0-99999999999999", 0, 99},
		{"single", "items=7-7", 7, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parseRange(tc.header)
			if got.first != tc.first || got.last != tc.last {
				t.Fatalf("parseRange(%q) = %d-%d, want %d-%d", tc.header, got.first, got.last,
					tc.first, tc.last)
			}
		})
	}
}

func TestContentRange(t *testing.T) {
	tests := []struct {
		first, count, total int
		want                string
	}{
		{0, 100, 245, "items 0-99/245"},
		{200, 45, 245, "items 200-244/245"},
		{300, 0, 245, "items */245"},
		{0, 0, 0, "items */0"},
	}
	for _, tc := range tests {
		if got := contentRange(tc.first, tc.count, tc.total); got != tc.want {
			t.Errorf("contentRange(%d,%d,%d) = %q, want %q", tc.first, tc.count, tc.total, got, tc.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name   string
		accept string
		want   format
		ok     bool
	}{
		{"json", "application/json", formatJSON, true},
		{"vendor", "application/vnd.topicus.platinum+json; charset=utf-8", formatJSON, true},
		{"axios", "application/json, text/plain, */*", formatJSON, true},
		{"missing", "", formatXML, true},
		{"any", "*/*", formatXML, true},
		{"xml", "application/xml", formatXML, true},
		{"text xml", "text/xml", formatXML, true},
		{"csv", "text/csv", formatJSON, false},
		{"json refused", "application/json;q=0, text/csv", formatJSON, false},
		{"upper", "APPLICATION/JSON", formatJSON, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := negotiate(tc.accept)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Fatalf("negotiate(%q) = %v, %v; want %v, %v", tc.accept, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestJSONToXML(t *testing.T) {
	in := `{"items":[{"$type":"leerling.RLeerling","links":[{"id":12,"rel":"self"}],` +
		`"additionalObjects":{},"roepnaam":"A<B","geboortedatum":null,"actief":true}]}`
	got, err := jsonToXML([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `<response><items><item type="leerling.RLeerling"><links><item><id>12</id>` +
		`<rel>self</rel></item></links><additionalObjects/><roepnaam>A&lt;B</roepnaam>` +
		`<geboortedatum nil="true"/><actief>true</actief></item></items></response>`
	if !strings.HasSuffix(string(got), want) {
		t.Fatalf("jsonToXML =\n%s\nwant suffix\n%s", got, want)
	}
}

func TestAdditionalKeepsOrder(t *testing.T) {
	a := additional{{"vak", nil}, {"docentAfkortingen", "abc"}, {"leerlingen", wrap([]int{})}}
	b, err := a.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"vak":null,"docentAfkortingen":"abc","leerlingen":{"$type":"LinkableWrapper","items":[]}}`
	if string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
}
