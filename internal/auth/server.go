// Package auth is opensom's OAuth2 authorization server: the token endpoint
// (as a pipeline of parse, client authentication and one grant per
// grant_type), the signing keys, and the bearer check the REST layer runs
// on every call. It talks to storage only through school.Store.
package auth

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
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
	RedirectURIs []string // for the authorize endpoint
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

	keys, err := loadKeys(ctx, o.Store, o.Key, s.now)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	s.keys = keys

	// The seam for later grants: authorization_code registers here.
	s.grants = map[string]grantFunc{
		"password":      s.passwordGrant,
		"refresh_token": s.refreshGrant,
	}
	return s, nil
}

// Register mounts the endpoints on mux. The token endpoint takes every
// method so that a GET gets the JSON 405 of the OAuth2 error shape rather
// than the mux's plain-text one.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc(tokenRoute, s.handleToken)
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
