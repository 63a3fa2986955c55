package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

const (
	msgPasswordOff = "Password grant is disabled for insecure clients."
	msgLocked      = "Account is locked, try again later"
)

// passwordGrant is the legacy grant_type=password (spec 2.4.1), username
// "<school uuid>\<username>". The attempt counter is per (school, name)
// string whether or not the account exists, and an unknown name costs one
// hash, so neither the answer nor its time tells which names are real.
func (s *Server) passwordGrant(ctx context.Context, c Client, req tokenRequest) (
	*tokenAnswer, error) {
	schoolUUID, name, ok := strings.Cut(req.form.Get("username"), `\`)
	password := req.form.Get("password")
	if !ok || schoolUUID == "" || name == "" {
		return nil, invalidRequest(`username must be <school uuid>\<username>`)
	}
	if password == "" {
		return nil, invalidRequest("Missing parameter: password")
	}

	sc, err := s.store.SchoolByUUID(ctx, schoolUUID)
	if errors.Is(err, school.ErrNotFound) {
		// The school list is public, so saying so gives nothing away.
		return nil, invalidGrant("Unknown school", err)
	}
	if err != nil {
		return nil, fmt.Errorf("load school: %w", err)
	}

	// Before the credentials, so that the answer is the same for right and
	// wrong ones and no counter moves.
	if sc.PasswordGrantOff {
		return nil, invalidGrant(msgPasswordOff, nil)
	}

	acc, refusal, err := s.checkLogin(ctx, sc, name, password, failPasswordGrant)
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal.grantError()
	}

	now := s.now()
	sess := session{school: sc, account: acc, clientID: c.ID,
		familyID: uuid.NewString(), scope: grantedScope(req.form.Get("scope"))}
	id, err := s.identityFor(ctx, sess)
	if err != nil {
		return nil, err
	}
	refresh, row, err := s.refreshToken(sess, sess.scope, now)
	if err != nil {
		return nil, err
	}
	if err := s.store.AddRefreshToken(ctx, row); err != nil {
		return nil, fmt.Errorf("store refresh token: %w", err)
	}
	return s.issue(sess, id, refresh, now)
}

// checkPassword spends exactly one hash, known name or not.
func (s *Server) checkPassword(ctx context.Context, schoolID school.ID, name, password string) (
	school.Account, bool, error) {
	acc, err := s.store.AccountByUsername(ctx, schoolID, name)
	if errors.Is(err, school.ErrNotFound) {
		s.burn(password, s.burnCost)
		return school.Account{}, false, nil
	}
	if err != nil {
		return school.Account{}, false, fmt.Errorf("load account: %w", err)
	}
	good, err := s.verify(acc.PasswordHash, password)
	if errors.Is(err, passwd.ErrMalformed) {
		// A broken hash is our fault, but a 500 would tell that the name
		// exists; it fails like a wrong password and is logged.
		s.log.Error("unreadable password hash", "route", tokenRoute, "err",
			fmt.Errorf("account %d: %w", acc.ID, err))
		return acc, false, nil
	}
	if err != nil {
		return school.Account{}, false, fmt.Errorf("check password of account %d: %w", acc.ID, err)
	}
	return acc, good, nil
}

// loginRefusal is a failed credential check: how many tries the name has
// left, or that it is locked.
type loginRefusal struct {
	left   int
	locked bool
}

func (f *loginRefusal) grantError() error {
	if f.locked {
		return invalidGrant(msgLocked, nil)
	}
	return invalidGrant(fmt.Sprintf("Account has %d attempts remaining", f.left), nil)
}

// checkLogin is the credential check the password grant and the login
// page share: the same counter per (school, name) string, the same
// lockout, one hash per try whether or not the name exists. where names
// the caller for the metrics.
func (s *Server) checkLogin(ctx context.Context, sc school.School, name, password,
	where string) (school.Account, *loginRefusal, error) {
	now := s.now()
	tries, err := s.store.LoginAttempts(ctx, sc.ID, name)
	if err != nil && !errors.Is(err, school.ErrNotFound) {
		return school.Account{}, nil, fmt.Errorf("load login attempts: %w", err)
	}
	if tries.LockedUntil.After(now) {
		s.burn(password, s.burnCost) // a locked name answers no faster
		s.metrics.LoginFailed(where)
		return school.Account{}, &loginRefusal{locked: true}, nil
	}

	acc, good, err := s.checkPassword(ctx, sc.ID, name, password)
	if err != nil {
		return school.Account{}, nil, err
	}
	if !good {
		s.metrics.LoginFailed(where)
		refusal, err := s.failLogin(ctx, sc.ID, name)
		return school.Account{}, refusal, err
	}
	if err := s.store.ResetLogin(ctx, sc.ID, name); err != nil {
		return school.Account{}, nil, fmt.Errorf("reset login attempts: %w", err)
	}
	return acc, nil, nil
}

// failLogin counts a failure and says how many tries are left, or that the
// name is now locked.
func (s *Server) failLogin(ctx context.Context, schoolID school.ID, name string) (
	*loginRefusal, error) {
	now := s.now()
	tries, err := s.store.FailLogin(ctx, schoolID, name, now, s.maxTries, s.lockFor)
	if err != nil {
		return nil, fmt.Errorf("count failed login: %w", err)
	}
	if tries.LockedUntil.After(now) {
		return &loginRefusal{locked: true}, nil
	}
	return &loginRefusal{left: max(s.maxTries-tries.Failures, 0)}, nil
}
