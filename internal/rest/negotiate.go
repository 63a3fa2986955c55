package rest

import (
	"strconv"
	"strings"
)

// format is a representation of an answer.
type format int

const (
	formatJSON format = iota
	formatXML
)

// negotiate picks the representation from the Accept header, as
// decisions.md says: JSON when any JSON type is named, XML when the header
// is missing, */* or an XML type (the real service's default), and ok is
// false for anything else, which is a 406.
func negotiate(accept string) (f format, ok bool) {
	accept = strings.TrimSpace(accept)
	if accept == "" {
		return formatXML, true
	}
	xml, any := false, false
	for part := range strings.SplitSeq(accept, ",") {
		mt, q := mediaType(part)
		if q == 0 {
			continue
		}
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			return formatJSON, true
		case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
			xml = true
		case mt == "*/*" || mt == "application/*" || mt == "text/*":
			any = true
		}
	}
	if xml || any {
		return formatXML, true
	}
	return formatJSON, false
}

// mediaType splits "type/sub; q=0.5; charset=x" into the lower-case type
// and its quality (1 when absent, 0 when it cannot be read as allowed).
func mediaType(part string) (string, float64) {
	mt, params, _ := strings.Cut(part, ";")
	q := 1.0
	for p := range strings.SplitSeq(params, ";") {
		k, v, found := strings.Cut(strings.TrimSpace(p), "=")
		if found && strings.EqualFold(strings.TrimSpace(k), "q") {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				f = 0
			}
			q = f
		}
	}
	return strings.ToLower(strings.TrimSpace(mt)), q
}
