package rest

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/opensom/opensom/internal/access"
)

// The grade list is the largest answer clients fetch (pages of 100, often
// all of them in a row), so its items are written by hand instead of by
// reflection: several times faster and with a fraction of the garbage. A
// test holds the output byte for byte equal to encoding/json's for the
// same structs, so the wire types stay the one definition of the shape.

// jsonAppender is a wire value that can write its own JSON.
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

// gradeList is list[resultaat] with a hand-written encoder.
type gradeList struct {
	Items []resultaat `json:"items"`
}

func (l *gradeList) appendJSON(b []byte) []byte {
	b = append(b, `{"items":[`...)
	for i := range l.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = l.Items[i].appendJSON(b)
	}
	return append(b, "]}"...)
}

func (r *resultaat) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = r.envelope.appendFields(b)
	b = appendStr(b, `,"herkansingstype":`, r.Herkansingstype)
	b = appendOptStr(b, `,"resultaat":`, r.Resultaat)
	b = appendOptStr(b, `,"geldendResultaat":`, r.GeldendResultaat)
	b = appendOptStr(b, `,"resultaatLabel":`, r.ResultaatLabel)
	b = appendOptStr(b, `,"resultaatLabelAfkorting":`, r.LabelAfkorting)
	b = appendStr(b, `,"datumInvoer":`, r.DatumInvoer)
	b = appendBool(b, `,"teltNietmee":`, r.TeltNietmee)
	b = appendBool(b, `,"toetsNietGemaakt":`, r.ToetsNietGemaakt)
	b = appendNum(b, `,"leerjaar":`, int64(r.Leerjaar))
	b = appendNum(b, `,"periode":`, int64(r.Periode))
	if r.Weging != nil {
		b = appendNum(b, `,"weging":`, int64(*r.Weging))
	}
	b = appendNum(b, `,"examenWeging":`, int64(r.ExamenWeging))
	b = appendBool(b, `,"isExamendossierResultaat":`, r.IsExamendossier)
	b = appendBool(b, `,"isVoortgangsdossierResultaat":`, r.IsVoortgangsdossier)
	b = appendStr(b, `,"type":`, r.Type)
	b = appendOptStr(b, `,"omschrijving":`, r.Omschrijving)
	if r.Volgnummer != 0 {
		b = appendNum(b, `,"volgnummer":`, int64(r.Volgnummer))
	}
	b = appendBool(b, `,"vrijstelling":`, r.Vrijstelling)
	if r.HerkansingsNummer != 0 {
		b = appendNum(b, `,"herkansingsNummer":`, int64(r.HerkansingsNummer))
	}
	b = append(b, `,"vak":`...)
	if r.Vak == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		b = r.Vak.envelope.appendFields(b)
		b = appendStr(b, `,"afkorting":`, r.Vak.Afkorting)
		b = appendStr(b, `,"naam":`, r.Vak.Naam)
		b = appendStr(b, `,"UUID":`, r.Vak.UUID)
		b = append(b, '}')
	}
	b = append(b, `,"leerling":`...)
	if r.Leerling == nil {
		b = append(b, "null"...)
	} else {
		p := r.Leerling
		b = append(b, '{')
		b = p.envelope.appendFields(b)
		b = appendStr(b, `,"UUID":`, p.UUID)
		b = appendNum(b, `,"leerlingnummer":`, p.Leerlingnr)
		b = appendStr(b, `,"roepnaam":`, p.Roepnaam)
		b = appendOptStr(b, `,"voorvoegsel":`, p.Voorvoegsel)
		b = appendStr(b, `,"achternaam":`, p.Achternaam)
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendFields writes the envelope's members without braces; the first
// member has no leading comma.
func (e *envelope) appendFields(b []byte) []byte {
	if e.Type != "" {
		b = appendStr(b, `"$type":`, e.Type)
		b = append(b, ',')
	}
	b = append(b, `"links":`...)
	if e.Links == nil {
		b = append(b, "null"...)
	} else {
		b = appendLinks(b, e.Links)
	}
	b = append(b, `,"permissions":`...)
	b = appendPermissions(b, e.Permissions)
	b = append(b, `,"additionalObjects":`...)
	return e.Additional.appendJSON(b)
}

func appendLinks(b []byte, links []link) []byte {
	b = append(b, '[')
	for i, l := range links {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNum(b, `{"id":`, l.ID)
		b = appendStr(b, `,"rel":`, l.Rel)
		b = appendStr(b, `,"type":`, l.Type)
		b = appendOptStr(b, `,"href":`, l.Href)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendPermissions(b []byte, ps []access.Permission) []byte {
	if ps == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStr(b, `{"full":`, p.Full)
		b = appendStr(b, `,"type":`, p.Type)
		b = appendStrings(b, `,"operations":`, p.Operations)
		b = appendStrings(b, `,"instances":`, p.Instances)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendJSON writes additionalObjects; values of the kinds grades carry
// are written directly, anything else through encoding/json.
func (a additional) appendJSON(b []byte) []byte {
	if len(a) == 0 {
		return append(b, "{}"...)
	}
	b = append(b, '{')
	for i, p := range a {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p.key)
		b = append(b, ':')
		b = appendValue(b, p.value)
	}
	return append(b, '}')
}

func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case rapportCijfer:
		b = appendStr(b, `{"$type":`, x.Type)
		b = appendStr(b, `,"rapportCijfer":`, x.RapportCijfer)
		return append(b, '}')
	case wrapper[struct{}]:
		if len(x.Items) == 0 {
			return append(appendStr(b, `{"$type":`, x.Type), `,"items":[]}`...)
		}
	}
	out, err := jsonMarshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, out...)
}

func appendStr(b []byte, key, s string) []byte {
	b = append(b, key...)
	return appendJSONString(b, s)
}

func appendOptStr(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendStr(b, key, s)
}

func appendNum(b []byte, key string, n int64) []byte {
	return strconv.AppendInt(append(b, key...), n, 10)
}

func appendBool(b []byte, key string, v bool) []byte {
	return strconv.AppendBool(append(b, key...), v)
}

func appendStrings(b []byte, key string, ss []string) []byte {
	b = append(b, key...)
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string the way encoding/json does
// with HTML escaping off: control characters escaped, invalid UTF-8 as
// U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonMarshal is json.Marshal without HTML escaping, as write encodes.
func jsonMarshal(v any) ([]byte, error) {
	b, err := encodeJSON(nil, v)
	return bytes.TrimSuffix(b, []byte("\n")), err
}
