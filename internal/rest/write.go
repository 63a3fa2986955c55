package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// buffers is a free list of answer buffers. A grades page is ~180 KB;
// reusing its buffer keeps that from becoming garbage on every request.
// A channel rather than a sync.Pool, because a pool is emptied at every
// garbage collection and each refill grows a buffer from scratch.
var buffers = make(chan *[]byte, 32)

func getBuffer() *[]byte {
	select {
	case b := <-buffers:
		return b
	default:
		b := make([]byte, 0, 64<<10)
		return &b
	}
}

func putBuffer(b *[]byte) {
	if cap(*b) > 1<<20 {
		return // an outsized answer; let it go
	}
	select {
	case buffers <- b:
	default:
	}
}

const internalErrorJSON = `{"code":500,"reason":"Internal Server Error",` +
	`"message":"Internal server error","applicationErrorParameters":{}}`

// write encodes v as the negotiated format and writes it with status and,
// when not empty, a Content-Range header.
func (h *Handler) write(w http.ResponseWriter, f format, status int, contentRange string, v any) {
	bp := getBuffer()
	body, err := encodeJSON((*bp)[:0], v)
	defer func() {
		*bp = body[:0]
		putBuffer(bp)
	}()
	if err != nil {
		h.log.Error("encode answer", "err", err)
		status = http.StatusInternalServerError
		body = append(body[:0], internalErrorJSON...)
	}
	hdr := w.Header()
	out := body
	if f == formatXML {
		if out, err = jsonToXML(body); err != nil {
			h.log.Error("convert answer to xml", "err", err)
		}
		hdr.Set("Content-Type", "application/xml;charset=UTF-8")
	} else {
		hdr.Set("Content-Type", "application/json;charset=UTF-8")
	}
	if contentRange != "" {
		hdr.Set("Content-Range", contentRange)
	}
	hdr.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// encodeJSON appends v's JSON and a newline to b: by v's own encoder when
// it has one, else by encoding/json (without HTML escaping).
func encodeJSON(b []byte, v any) ([]byte, error) {
	if a, ok := v.(jsonAppender); ok {
		return append(a.appendJSON(b), '\n'), nil
	}
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}
