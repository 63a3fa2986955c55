// Package auth is opensom's OAuth2 and OpenID Connect authorization
// server: the authorize endpoint and the login pages behind it (shaped
// like the real service's Wicket pages, so scraping clients work), the
// token endpoint (as a pipeline of parse, client authentication and one
// grant per grant_type), discovery, JWKS, userinfo, revocation,
// introspection and logout, the signing keys, and the bearer check the
// REST layer runs on every call. It talks to storage only through
// school.Store.
package auth

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// Client is an OAuth2 client that may ask for tokens.
type Client struct {
	ID string
	// SecretHash is a passwd hash of the client secret. Empty means the
	// client is public: no secret is checked and any given is ignored.
	SecretHash   string
	RedirectURIs []string // for the authorize endpoint, matched exactly
	// PostLogoutRedirectURIs are where /oauth2/logout may send the user.
	PostLogoutRedirectURIs []string
}

// The client id the old app and every password-grant client send.
const legacyClientID = "D50E0C06-32D1-4B41-A137-A9A850C892C2"

// KnownClients are the three clients real SOMtoday clients send (spec 2.2).
// None of them has a secret: the legacy one used to, but since 2021 it is
// optional, and opensom accepts and ignores it.
func KnownClients() []Client {
	return []Client{
		{ID: legacyClientID, RedirectURIs: []string{"somtodayleerling://oauth/callback"}},
		{
			ID:           "somtoday-leerling-native",
			RedirectURIs: []string{"somtoday://nl.topicus.somtoday.leerling/oauth/callback"},
			PostLogoutRedirectURIs: []string{
				"somtoday://nl.topicus.somtoday.leerling/oauth/logout"},
		},
		{
			ID:           "somtoday-leerling-web",
			RedirectURIs: []string{"https://leerling.somtoday.nl/oauth/callback"},
		},
	}
}

// Options configure a Server. Zero durations and counts take the defaults
// of internal/config; Store and PublicURL are required.
type Options struct {
	Store     school.Store
	Now       func() time.Time
	Log       *slog.Logger
	PublicURL string // somtoday_api_url and the issuer; no trailing slash
	OOPURL    string // somtoday_oop_url; default PublicURL

	AccessTTL    time.Duration
	RefreshTTL   time.Duration
	RefreshGrace time.Duration // zero is a valid grace: no reuse at all
	MaxAttempts  int           // failed logins before a lockout
	LockFor      time.Duration

	Clients []Client // default KnownClients()
	// BurnCost is the hash cost spent for an unknown username. It should
	// match the cost of the stored hashes, or timing tells names apart.
	BurnCost passwd.Params
	// Key signs tokens. Nil: the newest stored key, or a new one that is
	// then stored.
	Key *rsa.PrivateKey
	// Metrics counts grants and failed logins; nil counts nothing.
	Metrics Metrics
	// KeyRotation is the age after which a new signing key is made and
	// signs from then on; zero never rotates. Old keys verify until the
	// tokens they signed have expired.
	KeyRotation time.Duration
	// CombinedLogin lists the school UUIDs whose login page asks for
	// username and password on one page; the others ask on two.
	// TODO: this belongs to the school's data; until it is there, no flag
	// sets it and every school of `opensom serve` uses two pages.
	CombinedLogin []string
	// Limiter limits the token endpoint and the login pages per client
	// address; nil is an in-memory limiter at RateLimit.
	Limiter   Limiter
	RateLimit RateLimit // zero: DefaultRateLimit
	// TrustForwardedFor takes the client address from X-Forwarded-For;
	// only behind a proxy that sets it, or anyone picks their address.
	TrustForwardedFor bool
}

// Server is the authorization server. It is safe for concurrent use.
type Server struct {
	store      school.Store
	now        func() time.Time
	log        *slog.Logger
	publicURL  string
	oopURL     string
	accessTTL  time.Duration
	refreshTTL time.Duration
	grace      time.Duration
	maxTries   int
	lockFor    time.Duration
	burnCost   passwd.Params
	clients    map[string]Client
	keys       *keySet
	grants     map[string]grantFunc
	cache      *verifyCache
	metrics    Metrics
	seal       sealer
	combined   map[string]bool
	limiter    Limiter
	limitFail  *failOpen
	trustXFF   bool

	// Password work goes through these so tests can count it.
	burn   func(password string, p passwd.Params)
	verify func(hash, password string) (bool, error)
}

// New checks o, loads or creates the signing key and returns a Server.
func New(ctx context.Context, o Options) (*Server, error) {
	if o.Store == nil {
		return nil, errors.New("auth: no store")
	}
	if o.PublicURL == "" {
		return nil, errors.New("auth: no public url")
	}
	s := &Server{
		store:      o.Store,
		now:        o.Now,
		log:        o.Log,
		publicURL:  strings.TrimRight(o.PublicURL, "/"),
		oopURL:     strings.TrimRight(o.OOPURL, "/"),
		accessTTL:  or(o.AccessTTL, time.Hour),
		refreshTTL: or(o.RefreshTTL, 60*24*time.Hour),
		grace:      o.RefreshGrace,
		maxTries:   or(o.MaxAttempts, 5),
		lockFor:    or(o.LockFor, 15*time.Minute),
		burnCost:   o.BurnCost,
		clients:    make(map[string]Client),
		cache:      newVerifyCache(4096),
		burn:       passwd.Burn,
		verify:     passwd.Verify,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		s.metrics = noMetrics{}
	} else {
		s.metrics = o.Metrics
	}
	if s.oopURL == "" {
		s.oopURL = s.publicURL
	}
	if s.burnCost == (passwd.Params{}) {
		s.burnCost = passwd.Default
	}
	clients := o.Clients
	if clients == nil {
		clients = KnownClients()
	}
	for _, c := range clients {
		s.clients[c.ID] = c
	}

	s.combined = make(map[string]bool, len(o.CombinedLogin))
	for _, u := range o.CombinedLogin {
		s.combined[u] = true
	}
	s.limiter, s.trustXFF = o.Limiter, o.TrustForwardedFor
	if s.limiter == nil {
		s.limiter = NewMemoryLimiter(o.RateLimit)
	}
	s.limitFail = &failOpen{log: s.log}

	keys, err := loadKeys(ctx, o.Store, s.now, s.log, keyOptions{
		injected:    o.Key,
		rotateAfter: o.KeyRotation,
		// A retired key verifies as long as the longest-lived token it
		// signed can be valid, and a minute for clocks that differ.
		keepFor: max(s.refreshTTL, s.accessTTL) + time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	s.keys = keys

	if s.seal, err = newSealer(ctx, o.Store); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}

	s.grants = map[string]grantFunc{
		"password":           s.passwordGrant,
		"refresh_token":      s.refreshGrant,
		"authorization_code": s.codeGrant,
	}
	return s, nil
}

// Register mounts the endpoints on mux. The OAuth2 endpoints take every
// method so that a wrong one gets the JSON 405 of the OAuth2 error shape
// rather than the mux's plain-text one. The login pages sit at the root,
// where the real service has them: GET / with ?auth= is the login page,
// without it the school list; the form posts go to Wicket-style paths
// such as /?0-1.-panel-signInForm&auth=... and /login?2-1.-passwordForm.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc(tokenRoute, s.limited(s.handleToken, true))
	mux.HandleFunc(authorizeRoute, s.handleAuthorize)
	mux.HandleFunc("GET "+discoveryRoute, s.handleDiscovery)
	mux.HandleFunc("GET "+jwksRoute, s.handleJWKS)
	mux.HandleFunc(userinfoRoute, s.handleUserinfo)
	mux.HandleFunc(revokeRoute, s.handleRevoke)
	mux.HandleFunc(introspectRoute, s.handleIntrospect)
	mux.HandleFunc(logoutRoute, s.handleLogout)

	mux.HandleFunc("GET /{$}", s.limited(s.handleLoginPage, false))
	mux.HandleFunc("POST /{$}", s.limited(s.handleLoginPost, false))
	mux.HandleFunc("POST /{wicket}", s.limited(s.handleLoginPost, false))
	// Without it, any other method on any one-segment path (GET /favicon.ico)
	// would answer 405 for the POST above; an unknown path is a 404.
	mux.HandleFunc("/{wicket}", http.NotFound)
	mux.HandleFunc("GET /login", s.limited(s.handlePasswordPage, false))
	mux.HandleFunc("POST /login", s.limited(s.handleLoginPost, false))
}

// limited runs h unless the client's address is over its rate; then it
// answers 429 with Retry-After, in the token endpoint's JSON shape or as
// a page.
func (s *Server) limited(h http.HandlerFunc, token bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), limitTimeout)
		ok, wait, err := s.limiter.Allow(ctx, clientAddr(r, s.trustXFF), s.now())
		cancel()
		// A limiter that fails lets the request through: availability
		// over strictness, since the lockout still guards each password
		// and a flood is what the limit is for, not one guess.
		if err != nil {
			s.limitFail.failed(err, r.Pattern)
			h(w, r)
			return
		}
		s.limitFail.answered()
		if ok {
			h(w, r)
			return
		}
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(wait)))
		if token {
			outcome := s.writeToken(w, nil, errTooMany)
			s.metrics.Grant("unknown", outcome)
			return
		}
		s.page(w, http.StatusTooManyRequests, pageData{Title: "Even geduld",
			Message: "Te veel verzoeken vanaf dit adres. Probeer het zo opnieuw."})
	}
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
