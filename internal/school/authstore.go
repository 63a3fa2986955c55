package school

import (
	"context"
	"errors"
	"time"
)

// ErrCodeUsed: an authorization code was presented a second time.
var ErrCodeUsed = errors.New("authorization code already used")

// AuthCode is the stored side of an authorization code (RFC 6749 4.1). Only
// a hash of the code is kept. FamilyID is chosen when the code is made, so
// that a second use can revoke what the first one issued.
type AuthCode struct {
	Hash      string
	SchoolID  ID
	AccountID ID
	ClientID  string
	// RedirectURI is the one of the authorize call; empty when it gave
	// none.
	RedirectURI string
	Scope       string
	// Challenge and ChallengeMethod are the PKCE code_challenge and its
	// method ("S256" or "plain"); both empty without PKCE.
	Challenge       string
	ChallengeMethod string
	Nonce           string
	// Claims is the id token claims the authorize call asked for, as the
	// names the server keeps; empty means its default set.
	Claims    string
	FamilyID  string
	AuthTime  time.Time
	ExpiresAt time.Time
	// UsedAt is when the code was exchanged; zero while it is unused.
	UsedAt time.Time
}

// AuthStore is what the authorization server keeps beyond refresh tokens,
// keys and login counters: codes and shared secrets.
type AuthStore interface {
	// AddAuthCode stores a new code; a hash already taken is ErrConflict.
	AddAuthCode(ctx context.Context, c AuthCode) error
	// AuthCode loads a code by its hash, used or not.
	AuthCode(ctx context.Context, hash string) (AuthCode, error)
	// UseAuthCode marks a code used at now. Only one caller ever succeeds:
	// a code used before answers ErrCodeUsed, an unknown one ErrNotFound.
	UseAuthCode(ctx context.Context, hash string, now time.Time) error
	// DeleteAuthCodes removes the codes that expired before t.
	DeleteAuthCodes(ctx context.Context, before time.Time) error
	// Secret returns the server secret called name. When there is none
	// yet, fresh is stored and returned, so that every node that starts
	// at once ends up with the same secret.
	Secret(ctx context.Context, name string, fresh []byte) ([]byte, error)
}
