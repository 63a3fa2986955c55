package rest

import (
	"encoding/json"
	"strconv"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// The wire types below are the API's own shapes, with its exact JSON names.
// Domain types are never serialised directly.

// API type names.
const (
	typeLeerling       = "leerling.RLeerling"
	typeLeerlingPrimer = "leerling.RLeerlingPrimer"
	typePasfoto        = "leerling.RLeerlingpasfoto"
	typeAccount        = "auth.RAccount"
	typeSchooljaar     = "onderwijsinrichting.RSchooljaar"
	typeVak            = "onderwijsinrichting.RVak"
	typeResultaat      = "resultaten.RResultaat"
	typeAfspraak       = "participatie.RAfspraak"
	typeAfspraakType   = "participatie.RAfspraakType"
	typeVestiging      = "instelling.RVestiging"
	typeRestricties    = "restricties.REloRestricties"
	typeRapportCijfer  = "resultaten.RBerekendRapportCijfer"
	typeMedewerker     = "medewerker.RMedewerkerPrimer"
	typeVerzorger      = "verzorger.RVerzorgerPrimer"
	linkableWrapper    = "LinkableWrapper"
)

type link struct {
	ID   int64  `json:"id"`
	Rel  string `json:"rel"`
	Type string `json:"type"`
	Href string `json:"href,omitempty"`
}

// envelope is what every entity carries before its own fields.
type envelope struct {
	Type        string              `json:"$type,omitempty"`
	Links       []link              `json:"links"`
	Permissions []access.Permission `json:"permissions"`
	Additional  additional          `json:"additionalObjects"`
}

// additional is additionalObjects: the requested names in the order asked.
type additional []kv

type kv struct {
	key   string
	value any
}

// MarshalJSON writes the pairs as an object, keeping their order.
func (a additional) MarshalJSON() ([]byte, error) {
	if len(a) == 0 {
		return []byte("{}"), nil
	}
	b := []byte{'{'}
	for i, p := range a {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, p.key)
		b = append(b, ':')
		v, err := json.Marshal(p.value)
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

type list[T any] struct {
	Items []T `json:"items"`
}

type wrapper[T any] struct {
	Type  string `json:"$type"`
	Items []T    `json:"items"`
}

func wrap[T any](items []T) wrapper[T] {
	if items == nil {
		items = []T{}
	}
	return wrapper[T]{Type: linkableWrapper, Items: items}
}

type leerling struct {
	envelope
	UUID          string  `json:"UUID"`
	Leerlingnr    int64   `json:"leerlingnummer"`
	Roepnaam      string  `json:"roepnaam"`
	Voorvoegsel   string  `json:"voorvoegsel,omitempty"`
	Achternaam    string  `json:"achternaam"`
	Email         string  `json:"email"`
	MobielNummer  *string `json:"mobielNummer"`
	Geboortedatum string  `json:"geboortedatum"`
	Geslacht      string  `json:"geslacht"`
	PasfotoURL    string  `json:"pasfotoUrl,omitempty"`
}

type leerlingPrimer struct {
	envelope
	UUID        string `json:"UUID"`
	Leerlingnr  int64  `json:"leerlingnummer"`
	Roepnaam    string `json:"roepnaam"`
	Voorvoegsel string `json:"voorvoegsel,omitempty"`
	Achternaam  string `json:"achternaam"`
}

type pasfoto struct {
	envelope
	DataURI string `json:"datauri"`
}

type account struct {
	envelope
	Gebruikersnaam     string `json:"gebruikersnaam"`
	AccountPermissions []any  `json:"accountPermissions"`
	Persoon            any    `json:"persoon"`
}

type schooljaar struct {
	envelope
	Naam       string `json:"naam"`
	VanafDatum string `json:"vanafDatum"`
	TotDatum   string `json:"totDatum"`
	IsHuidig   bool   `json:"isHuidig"`
}

type vak struct {
	envelope
	Afkorting string `json:"afkorting"`
	Naam      string `json:"naam"`
	UUID      string `json:"UUID"`
}

type vestiging struct {
	envelope
	Naam string `json:"naam"`
}

type resultaat struct {
	envelope
	Herkansingstype     string          `json:"herkansingstype"`
	Resultaat           string          `json:"resultaat,omitempty"`
	GeldendResultaat    string          `json:"geldendResultaat,omitempty"`
	ResultaatLabel      string          `json:"resultaatLabel,omitempty"`
	LabelAfkorting      string          `json:"resultaatLabelAfkorting,omitempty"`
	DatumInvoer         string          `json:"datumInvoer"`
	TeltNietmee         bool            `json:"teltNietmee"`
	ToetsNietGemaakt    bool            `json:"toetsNietGemaakt"`
	Leerjaar            int             `json:"leerjaar"`
	Periode             int             `json:"periode"`
	Weging              *int            `json:"weging,omitempty"`
	ExamenWeging        int             `json:"examenWeging"`
	IsExamendossier     bool            `json:"isExamendossierResultaat"`
	IsVoortgangsdossier bool            `json:"isVoortgangsdossierResultaat"`
	Type                string          `json:"type"`
	Omschrijving        string          `json:"omschrijving,omitempty"`
	Volgnummer          int             `json:"volgnummer,omitempty"`
	Vrijstelling        bool            `json:"vrijstelling"`
	HerkansingsNummer   int             `json:"herkansingsNummer,omitempty"`
	Vak                 *vak            `json:"vak"`
	Leerling            *leerlingPrimer `json:"leerling"`
}

type afspraakType struct {
	envelope
	Naam                        string    `json:"naam"`
	Omschrijving                string    `json:"omschrijving"`
	StandaardKleur              int32     `json:"standaardKleur"`
	Categorie                   string    `json:"categorie"`
	Activiteit                  string    `json:"activiteit"`
	PercentageIIVO              int       `json:"percentageIIVO"`
	PresentieRegistratieDefault bool      `json:"presentieRegistratieDefault"`
	Actief                      bool      `json:"actief"`
	Vestiging                   vestiging `json:"vestiging"`
}

type afspraak struct {
	envelope
	AfspraakType       afspraakType `json:"afspraakType"`
	Locatie            string       `json:"locatie,omitempty"`
	BeginDatumTijd     string       `json:"beginDatumTijd"`
	EindDatumTijd      string       `json:"eindDatumTijd"`
	BeginLesuur        int          `json:"beginLesuur,omitempty"`
	EindLesuur         int          `json:"eindLesuur,omitempty"`
	Titel              string       `json:"titel"`
	Omschrijving       string       `json:"omschrijving"`
	PresentieVerplicht bool         `json:"presentieRegistratieVerplicht"`
	PresentieVerwerkt  bool         `json:"presentieRegistratieVerwerkt"`
	AfspraakStatus     string       `json:"afspraakStatus"`
	Vestiging          vestiging    `json:"vestiging"`
	Bijlagen           []any        `json:"bijlagen"`
}

type rapportCijfer struct {
	Type          string `json:"$type"`
	RapportCijfer string `json:"rapportCijfer"`
}

// restricties is restricties.REloRestricties: the school's switches as
// they apply to one pupil.
type restricties struct {
	envelope
	VestigingsID int64 `json:"vestigingsId"`
	LeerlingID   int64 `json:"leerlingId"`
	// flags are the school's stored switches, in school.SwitchNames order.
	flags []switchFlag
}

type switchFlag struct {
	name string
	on   bool
}

// MarshalJSON writes the envelope and ids, then every switch by name.
func (r restricties) MarshalJSON() ([]byte, error) {
	head, err := json.Marshal(struct {
		envelope
		VestigingsID int64 `json:"vestigingsId"`
		LeerlingID   int64 `json:"leerlingId"`
	}{r.envelope, r.VestigingsID, r.LeerlingID})
	if err != nil {
		return nil, err
	}
	b := head[:len(head)-1]
	for _, f := range r.flags {
		b = append(b, ',')
		b = strconv.AppendQuote(b, f.name)
		b = append(b, ':')
		b = strconv.AppendBool(b, f.on)
	}
	return append(b, '}'), nil
}

type organisatie struct {
	Instellingen []instelling `json:"instellingen"`
}

type instelling struct {
	UUID     string    `json:"uuid"`
	Naam     string    `json:"naam"`
	Plaats   string    `json:"plaats"`
	OIDCURLs []oidcURL `json:"oidcurls"`
}

type oidcURL struct {
	Omschrijving string `json:"omschrijving"`
	URL          string `json:"url"`
	DomainHint   string `json:"domain_hint"`
}

func selfLink(base, collection, apiType string, id school.ID) []link {
	return []link{{ID: int64(id), Rel: "self", Type: apiType,
		Href: base + "/rest/v1/" + collection + "/" + strconv.FormatInt(int64(id), 10)}}
}

type medewerkerPrimer struct {
	envelope
	UUID        string `json:"UUID"`
	Nummer      int64  `json:"nummer"`
	Afkorting   string `json:"afkorting"`
	Achternaam  string `json:"achternaam"`
	Geslacht    string `json:"geslacht"`
	Voorletters string `json:"voorletters"`
	Voorvoegsel string `json:"voorvoegsel,omitempty"`
	Roepnaam    string `json:"roepnaam"`
}

type verzorgerPrimer struct {
	envelope
	UUID        string `json:"UUID"`
	Roepnaam    string `json:"roepnaam"`
	Voorvoegsel string `json:"voorvoegsel,omitempty"`
	Achternaam  string `json:"achternaam"`
}
