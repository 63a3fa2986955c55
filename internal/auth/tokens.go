package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/opensom/opensom/internal/school"
)

// What a token is for, in its token_use claim, so that a refresh token or
// an id token never passes as an access token, nor the other way round.
const (
	useAccess  = "access"
	useRefresh = "refresh"
)

// registered are the JWT claims opensom's tokens share. It writes aud as a
// plain string (the library's own type writes an array), which is what
// OIDC clients reading an id token expect.
type registered struct {
	Issuer    string           `json:"iss"`
	Subject   string           `json:"sub,omitempty"`
	Audience  string           `json:"aud,omitempty"`
	ExpiresAt *jwt.NumericDate `json:"exp"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	ID        string           `json:"jti,omitempty"`
}

func (c registered) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c registered) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c registered) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (c registered) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c registered) GetSubject() (string, error)                  { return c.Subject, nil }

func (c registered) GetAudience() (jwt.ClaimStrings, error) {
	if c.Audience == "" {
		return nil, nil
	}
	return jwt.ClaimStrings{c.Audience}, nil
}

// accessClaims carry everything Authenticate needs, so that a REST call
// costs no store read beyond the revocation check.
type accessClaims struct {
	registered
	Use       string    `json:"token_use"`
	ClientID  string    `json:"client_id"`
	Scope     string    `json:"scope"`
	SchoolID  school.ID `json:"school_id"`
	AccountID school.ID `json:"account_id"`
	FamilyID  string    `json:"family_id"`
}

// refreshClaims are few on purpose: the stored row is the truth, the JWT
// only has to be unique, expire and name its client (SJS reads client_id).
// Claims carries the id token claims asked for at login through every
// rotation, so that the row needs no column for them.
type refreshClaims struct {
	registered
	Use      string `json:"token_use"`
	ClientID string `json:"client_id"`
	FamilyID string `json:"family_id"`
	Claims   string `json:"claims,omitempty"`
}

// idClaims are the OIDC id token of spec 2.7. The four person claims are
// left out when a claims parameter asked for others only.
type idClaims struct {
	registered
	Nonce    string `json:"nonce,omitempty"`
	AuthTime int64  `json:"auth_time,omitempty"`
	// SID is the refresh family: logout with this id token ends it.
	SID         string `json:"sid,omitempty"`
	GivenName   string `json:"given_name,omitempty"`
	OrgName     string `json:"orgname,omitempty"`
	Affiliation string `json:"affiliation,omitempty"`
	// Leerlingen is a JSON document inside a string, as the real IdP sends.
	Leerlingen string `json:"leerlingen,omitempty"`
}

// session is who a grant issues tokens to.
type session struct {
	school   school.School
	account  school.Account
	clientID string
	familyID string
	scope    string
	// claims are the id token claims asked for ("" is all of them), nonce
	// and authTime come from the authorize call of a code grant.
	claims   string
	nonce    string
	authTime time.Time
}

func subjectOf(sc school.School, acc school.Account) string {
	return sc.UUID + `\` + acc.UUID
}

func (s *Server) accessToken(sess session, now time.Time) (string, error) {
	return s.keys.signToken(accessClaims{
		registered: registered{
			Issuer:    s.publicURL,
			Subject:   subjectOf(sess.school, sess.account),
			Audience:  s.publicURL,
			ExpiresAt: jwt.NewNumericDate(now.Add(s.accessTTL)),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.NewString(),
		},
		Use:       useAccess,
		ClientID:  sess.clientID,
		Scope:     sess.scope,
		SchoolID:  sess.school.ID,
		AccountID: sess.account.ID,
		FamilyID:  sess.familyID,
	})
}

// refreshToken mints a refresh token and the row the store keeps of it.
// The scope kept is the family's, which a refresh never widens.
func (s *Server) refreshToken(sess session, scope string, now time.Time) (
	string, school.RefreshToken, error) {
	exp := now.Add(s.refreshTTL)
	tok, err := s.keys.signToken(refreshClaims{
		registered: registered{
			Issuer:    s.publicURL,
			ExpiresAt: jwt.NewNumericDate(exp),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.NewString(),
		},
		Use:      useRefresh,
		ClientID: sess.clientID,
		FamilyID: sess.familyID,
		Claims:   sess.claims,
	})
	if err != nil {
		return "", school.RefreshToken{}, err
	}
	row := school.RefreshToken{
		Hash:      hashToken(tok),
		FamilyID:  sess.familyID,
		SchoolID:  sess.school.ID,
		AccountID: sess.account.ID,
		ClientID:  sess.clientID,
		Scope:     scope,
		IssuedAt:  now,
		ExpiresAt: exp,
	}
	return tok, row, nil
}

func (s *Server) idToken(sess session, id identity, now time.Time) (string, error) {
	c := idClaims{
		registered: registered{
			Issuer:    s.publicURL,
			Subject:   subjectOf(sess.school, sess.account),
			Audience:  sess.clientID,
			ExpiresAt: jwt.NewNumericDate(now.Add(s.accessTTL)),
			IssuedAt:  jwt.NewNumericDate(now),
		},
		Nonce: sess.nonce,
		SID:   sess.familyID,
	}
	if !sess.authTime.IsZero() {
		c.AuthTime = sess.authTime.Unix()
	}
	person := personClaims(sess.school, id)
	for _, name := range claimNames(sess.claims) {
		switch name {
		case claimGivenName:
			c.GivenName = person[name]
		case claimOrgName:
			c.OrgName = person[name]
		case claimAffiliation:
			c.Affiliation = person[name]
		case claimLeerlingen:
			c.Leerlingen = person[name]
		}
	}
	return s.keys.signToken(c)
}

var errWrongUse = errors.New("token is not of the expected kind")

// parseAccess verifies an access token's signature, issuer, audience and
// lifetime.
func (s *Server) parseAccess(ctx context.Context, raw string) (accessClaims, error) {
	var c accessClaims
	_, err := s.parser(jwt.WithAudience(s.publicURL)).ParseWithClaims(raw, &c,
		s.keys.keyFunc(ctx))
	if err != nil {
		return accessClaims{}, fmt.Errorf("parse access token: %w", err)
	}
	if c.Use != useAccess {
		return accessClaims{}, errWrongUse
	}
	return c, nil
}

func (s *Server) parseRefresh(ctx context.Context, raw string) (refreshClaims, error) {
	var c refreshClaims
	if _, err := s.parser().ParseWithClaims(raw, &c, s.keys.keyFunc(ctx)); err != nil {
		return refreshClaims{}, fmt.Errorf("parse refresh token: %w", err)
	}
	if c.Use != useRefresh {
		return refreshClaims{}, errWrongUse
	}
	return c, nil
}

func (s *Server) parser(extra ...jwt.ParserOption) *jwt.Parser {
	opts := append([]jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(s.publicURL),
		jwt.WithTimeFunc(s.now),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	}, extra...)
	return jwt.NewParser(opts...)
}

// hashToken is how the store names a token: it never sees the token.
func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}
