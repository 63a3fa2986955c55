package rest

import (
	"net/http"
	"strconv"
	"sync"
)

// answerCache keeps finished 200 answers, keyed by everything that shapes
// them: the account, the request and the store's data version, so that a
// change to the data makes every older entry unreachable. Clients poll
// the same pages again and again (home automation integrations every few
// minutes), and a grades page costs far more to build than to copy.
//
// It holds two generations of at most half the byte budget each: when the
// young one is full it becomes the old one and the old one is dropped; a
// hit in the old one moves back. That is least-recently-used closely
// enough without a list to maintain.
type answerCache struct {
	mu       sync.Mutex
	half     int
	size     int
	young    map[string]*cachedAnswer
	previous map[string]*cachedAnswer
}

type cachedAnswer struct {
	body         []byte
	contentType  string
	contentRange string
}

func newAnswerCache(maxBytes int) *answerCache {
	return &answerCache{half: maxBytes / 2, young: map[string]*cachedAnswer{}}
}

func (c *answerCache) get(key string) (*cachedAnswer, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.young[key]; ok {
		return a, true
	}
	a, ok := c.previous[key]
	if ok {
		delete(c.previous, key)
		c.putLocked(key, a)
	}
	return a, ok
}

func (c *answerCache) put(key string, a *cachedAnswer) {
	if c == nil || len(a.body) > c.half/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, a)
}

func (c *answerCache) putLocked(key string, a *cachedAnswer) {
	if c.size+len(a.body) > c.half {
		c.previous, c.young, c.size = c.young, map[string]*cachedAnswer{}, 0
	}
	c.young[key] = a
	c.size += len(a.body) + len(key)
}

func (a *cachedAnswer) writeTo(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	if a.contentRange != "" {
		h.Set("Content-Range", a.contentRange)
	}
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(a.body)
}

// capture is a ResponseWriter that keeps a copy of a 200 answer for the
// cache while passing everything through.
type capture struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.status == http.StatusOK {
		c.body = append(c.body, b...)
	}
	return c.ResponseWriter.Write(b)
}
