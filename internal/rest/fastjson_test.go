package rest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/opensom/opensom/internal/access"
)

// TestHandWrittenJSONMatchesEncodingJSON holds the hand-written grade
// encoder to encoding/json's output for the same structs, byte for byte.
func TestHandWrittenJSONMatchesEncodingJSON(t *testing.T) {
	w := 3
	full := resultaat{
		envelope: envelope{Type: typeResultaat,
			Links:       []link{{ID: 1234567890, Rel: "self", Type: typeResultaat, Href: "http://x/r/1"}},
			Permissions: []access.Permission{{Full: "a:READ:INSTANCE(1)", Type: "a", Operations: []string{"READ"}, Instances: []string{"INSTANCE(1)"}}},
			Additional: additional{{"berekendRapportCijfer", rapportCijfer{Type: typeRapportCijfer, RapportCijfer: "7.4"}},
				{"samengesteldeToetskolomId", nil}, {"resultaatkolomId", int64(99)},
				{"toetssoortnaam", "SO"}, {"huidigeAnderVakKolommen", wrap([]struct{}{})},
				{"other", map[string]int{"b": 2, "a": 1}}},
		},
		Herkansingstype: "EenKeerHoogste", Resultaat: "6.8", GeldendResultaat: "7.1",
		ResultaatLabel: "Voldoende", LabelAfkorting: "V", DatumInvoer: "2024-10-02T14:05:31.120+02:00",
		TeltNietmee: true, ToetsNietGemaakt: true, Leerjaar: 4, Periode: 2, Weging: &w, ExamenWeging: 1,
		IsExamendossier: true, IsVoortgangsdossier: true, Type: "Toetskolom",
		Omschrijving: "Toets \"H2\" \\ <b>&</b>\n\t\x01\u2028 ü \xff", Volgnummer: 7, Vrijstelling: true,
		HerkansingsNummer: 1,
		Vak: &vak{envelope: envelope{Links: []link{{ID: 5, Rel: "self", Type: typeVak}},
			Permissions: []access.Permission{}}, Afkorting: "netl", Naam: "Nederlands", UUID: "u"},
		Leerling: &leerlingPrimer{envelope: envelope{Links: []link{}, Permissions: nil},
			UUID: "p", Leerlingnr: 42, Roepnaam: "Sam", Voorvoegsel: "van", Achternaam: "Dijk"},
	}
	tests := []struct {
		name string
		v    resultaat
	}{
		{"full", full},
		{"empty", resultaat{}},
		{"average", resultaat{envelope: envelope{Type: typeResultaat, Links: []link{}},
			Type: "PeriodeGemiddeldeKolom", Resultaat: "7.0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := jsonMarshal(&list[resultaat]{Items: []resultaat{tc.v, tc.v}})
			if err != nil {
				t.Fatal(err)
			}
			l := gradeList{Items: []resultaat{tc.v, tc.v}}
			got := l.appendJSON(nil)
			if !bytes.Equal(got, want) {
				t.Fatalf("hand-written JSON differs:\n got %s\nwant %s", got, want)
			}
			if !json.Valid(got) {
				t.Fatal("not valid JSON")
			}
		})
	}
}
