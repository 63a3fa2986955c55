package rest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonToXML renders a JSON answer as XML, so that both representations
// come from one source and hold the same items in the same order. The
// shape, which no source documents: a root element <response>; every
// object key becomes a child element of that name; "$type" becomes the
// attribute type="..."; array elements become <item> children of the
// key's element; null becomes an empty element with nil="true".
func jsonToXML(js []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var out bytes.Buffer
	out.WriteString(xml.Header)
	if err := convertValue(dec, &out, "response"); err != nil {
		return []byte(xml.Header + "<response/>"), fmt.Errorf("json to xml: %w", err)
	}
	return out.Bytes(), nil
}

func convertValue(dec *json.Decoder, out *bytes.Buffer, name string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return convertArray(dec, out, name)
		}
		return convertObject(dec, out, name)
	case nil:
		fmt.Fprintf(out, `<%s nil="true"/>`, name)
		return nil
	default:
		fmt.Fprintf(out, "<%s>", name)
		xmlEscape(out, fmt.Sprint(t))
		fmt.Fprintf(out, "</%s>", name)
		return nil
	}
}

func convertArray(dec *json.Decoder, out *bytes.Buffer, name string) error {
	fmt.Fprintf(out, "<%s>", name)
	for dec.More() {
		if err := convertValue(dec, out, "item"); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return err
	}
	fmt.Fprintf(out, "</%s>", name)
	return nil
}

// convertObject reads one object's members. "$type" comes first in every
// opensom answer, so it can be written as an attribute of the open tag.
func convertObject(dec *json.Decoder, out *bytes.Buffer, name string) error {
	fmt.Fprintf(out, "<%s", name)
	open := true
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return errors.New("object key is not a string")
		}
		if key == "$type" && open {
			var v string
			if err := dec.Decode(&v); err != nil {
				return err
			}
			out.WriteString(` type="`)
			xmlEscape(out, v)
			out.WriteString(`"`)
			continue
		}
		if open {
			out.WriteString(">")
			open = false
		}
		if err := convertValue(dec, out, elementName(key)); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return err
	}
	if open {
		out.WriteString("/>")
		return nil
	}
	fmt.Fprintf(out, "</%s>", name)
	return nil
}

// elementName makes a JSON key a valid XML name.
func elementName(key string) string {
	var b strings.Builder
	for i, r := range key {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.')
		if ok {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "value"
	}
	return b.String()
}

func xmlEscape(out *bytes.Buffer, s string) {
	_ = xml.EscapeText(io.Writer(out), []byte(s))
}
