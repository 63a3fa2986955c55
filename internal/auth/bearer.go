package auth

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Principal is who an access token speaks for.
type Principal struct {
	SchoolID, AccountID       school.ID
	ClientID, FamilyID, Scope string
}

var (
	// ErrNoToken: the request has no Authorization header or no Bearer
	// scheme in it. The answer is 401 with a bare WWW-Authenticate: Bearer.
	ErrNoToken = errors.New("no bearer token")
	// ErrBadToken: the token is malformed, badly signed, expired or of a
	// revoked family. The answer is 401 with error="invalid_token".
	ErrBadToken = errors.New("invalid bearer token")
)

// Authenticate reads "Authorization: Bearer <jwt>" from r (the scheme in
// any case, the token exactly), verifies the token and checks that its
// refresh family is not revoked. Errors other than ErrNoToken and
// ErrBadToken are faults of the store.
func (s *Server) Authenticate(r *http.Request) (Principal, error) {
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return Principal{}, ErrNoToken
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Principal{}, fmt.Errorf("empty token: %w", ErrBadToken)
	}

	key := sha256.Sum256([]byte(raw))
	now := s.now()
	p, ok := s.cache.get(key, now)
	if !ok {
		s.keys.refresh(r.Context(), false)
		c, err := s.parseAccess(r.Context(), raw)
		if err != nil {
			return Principal{}, fmt.Errorf("%w: %w", ErrBadToken, err)
		}
		p = Principal{SchoolID: c.SchoolID, AccountID: c.AccountID, ClientID: c.ClientID,
			FamilyID: c.FamilyID, Scope: c.Scope}
		s.cache.put(key, p, c.ExpiresAt.Time)
	}

	// Not cached: a revoked family must stop working at once.
	revoked, err := s.store.FamilyRevoked(r.Context(), p.FamilyID)
	if err != nil {
		return Principal{}, fmt.Errorf("check token family: %w", err)
	}
	if revoked {
		return Principal{}, fmt.Errorf("family revoked: %w", ErrBadToken)
	}
	return p, nil
}

// verifyCache remembers tokens whose signature checked out, keyed by the
// token's hash, so that a REST call costs a hash and a map read instead of
// an RSA verification. It holds two generations of at most max/2 entries:
// when the young one is full it becomes the old one and the old one is
// dropped, and a hit in the old one moves back to the young one. That is
// least-recently-used closely enough, without a list to maintain.
type verifyCache struct {
	mu       sync.Mutex
	half     int
	young    map[[32]byte]cachedToken
	previous map[[32]byte]cachedToken
}

type cachedToken struct {
	p   Principal
	exp time.Time
}

func newVerifyCache(max int) *verifyCache {
	return &verifyCache{half: max / 2, young: make(map[[32]byte]cachedToken)}
}

// get answers a cached principal whose token has not expired at now. An
// expired entry is dropped, so the caller verifies again and fails.
func (c *verifyCache) get(key [32]byte, now time.Time) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.young[key]
	if !ok {
		e, ok = c.previous[key]
		if !ok {
			return Principal{}, false
		}
		delete(c.previous, key)
		c.putLocked(key, e)
	}
	if !now.Before(e.exp) {
		delete(c.young, key)
		return Principal{}, false
	}
	return e.p, true
}

func (c *verifyCache) put(key [32]byte, p Principal, exp time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, cachedToken{p: p, exp: exp})
}

func (c *verifyCache) putLocked(key [32]byte, e cachedToken) {
	if len(c.young) >= c.half {
		c.previous, c.young = c.young, make(map[[32]byte]cachedToken, c.half)
	}
	c.young[key] = e
}

func (c *verifyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.young) + len(c.previous)
}
