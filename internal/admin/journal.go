package admin

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Entry is one request in the journal.
type Entry struct {
	Seq    int64     `json:"seq"`
	Time   time.Time `json:"time"` // the sandbox clock's time at arrival
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// Query has every key the request sent, with the values of keys that
	// may hold secrets left out ("code=&state=x").
	Query      string  `json:"query,omitempty"`
	Status     int     `json:"status"` // 0: the connection was dropped
	DurationMS float64 `json:"duration_ms"`
	ClientID   string  `json:"client_id,omitempty"`
	// Faults are the kinds of the faults that acted on the request.
	Faults []string `json:"faults,omitempty"`
}

// journal is a ring of the newest entries.
type journal struct {
	mu   sync.Mutex
	ring []Entry
	next int // where the next entry goes
	full bool
	seq  int64
}

func newJournal(size int) *journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &journal{ring: make([]Entry, size)}
}

func (j *journal) add(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	j.ring[j.next] = e
	j.next = (j.next + 1) % len(j.ring)
	if j.next == 0 {
		j.full = true
	}
}

// list is the entries, oldest first, that arrived at or after since (zero:
// any) and whose path starts with prefix.
func (j *journal) list(since time.Time, prefix string) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	var all []Entry
	if j.full {
		all = append(all, j.ring[j.next:]...)
	}
	all = append(all, j.ring[:j.next]...)
	out := make([]Entry, 0, len(all))
	for _, e := range all {
		if (since.IsZero() || !e.Time.Before(since)) && strings.HasPrefix(e.Path, prefix) {
			out = append(out, e)
		}
	}
	return out
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.ring)
	j.next, j.full = 0, false
}

// secretKeys are query keys whose values the journal leaves out; any key
// that contains "token", "secret" or "password" is left out as well.
var secretKeys = map[string]bool{
	"code": true, "code_verifier": true, "nonce": true, "key": true, "sig": true,
}

// redactQuery keeps the keys of a raw query in their order and drops the
// values of secret ones. It works on the raw text, so nothing is decoded
// or re-encoded on the way.
func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if secretKey(k) {
			parts[i] = k + "="
		}
	}
	return strings.Join(parts, "&")
}

// secretKey judges a raw key by what the server reads it as: "pass%77ord"
// is a password. A key that does not decode is judged secret.
func secretKey(raw string) bool {
	k, err := url.QueryUnescape(raw)
	if err != nil {
		return true
	}
	k = strings.ToLower(k)
	return secretKeys[k] || strings.Contains(k, "token") || strings.Contains(k, "secret") ||
		strings.Contains(k, "password")
}

func (a *Admin) getJournal(w http.ResponseWriter, r *http.Request) {
	if err := badParam(r, "since", "path"); err != nil {
		badField(w, err)
		return
	}

	q := r.URL.Query()
	var since time.Time
	if s := q.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			badField(w, &fieldError{field: "since", msg: "want an RFC 3339 time"})
			return
		}
		since = t
	}
	prefix := q.Get("path")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		badField(w, &fieldError{field: "path", msg: `want a path prefix starting with "/"`})
		return
	}
	writeJSON(w, http.StatusOK, map[string][]Entry{"entries": a.journal.list(since, prefix)})
}

func (a *Admin) clearJournal(w http.ResponseWriter, r *http.Request) {
	if err := badParam(r); err != nil {
		badField(w, err)
		return
	}
	a.journal.clear()
	w.WriteHeader(http.StatusNoContent)
}
