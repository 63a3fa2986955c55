package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// write encodes v as the negotiated format and writes it with status and,
// when not empty, a Content-Range header.
func (h *Handler) write(w http.ResponseWriter, f format, status int, contentRange string, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		h.log.Error("encode answer", "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"code":500,"reason":"Internal Server Error",` +
			`"message":"Internal server error","applicationErrorParameters":{}}`)
	}
	body := buf.Bytes()
	hdr := w.Header()
	if f == formatXML {
		x, err := jsonToXML(body)
		if err != nil {
			h.log.Error("convert answer to xml", "err", err)
		}
		body = x
		hdr.Set("Content-Type", "application/xml;charset=UTF-8")
	} else {
		hdr.Set("Content-Type", "application/json;charset=UTF-8")
	}
	if contentRange != "" {
		hdr.Set("Content-Range", contentRange)
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
