package auth

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// fakeStore keeps what the auth package reads and writes, in maps, with
// the rotation and login-counter semantics that store.go documents. Any
// other method panics through the nil embedded interface, which shows at
// once when auth starts to depend on more.
type fakeStore struct {
	school.Store

	mu        sync.Mutex
	schools   []school.School
	accounts  []school.Account
	pupils    []school.Pupil
	staff     []school.Staff
	tokens    map[string]*school.RefreshToken
	families  map[string]bool // known family -> revoked
	keys      []school.SigningKey
	attempts  map[attemptKey]school.LoginAttempts
	fail      error // when set, SchoolByUUID answers it, to test a store fault
	revokeHit int   // FamilyRevoked calls
	codes     map[string]*school.AuthCode
	secrets   map[string][]byte
}

type attemptKey struct {
	school school.ID
	name   string
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		tokens:   make(map[string]*school.RefreshToken),
		families: make(map[string]bool),
		attempts: make(map[attemptKey]school.LoginAttempts),
		codes:    make(map[string]*school.AuthCode),
		secrets:  make(map[string][]byte),
	}
}

func (f *fakeStore) Schools(context.Context) ([]school.School, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.schools), nil
}

func (f *fakeStore) AddAuthCode(_ context.Context, c school.AuthCode) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.codes[c.Hash]; ok {
		return school.ErrConflict
	}
	f.codes[c.Hash] = &c
	return nil
}

func (f *fakeStore) AuthCode(_ context.Context, hash string) (school.AuthCode, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.codes[hash]
	if !ok {
		return school.AuthCode{}, school.ErrNotFound
	}
	return *c, nil
}

func (f *fakeStore) UseAuthCode(_ context.Context, hash string, now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.codes[hash]
	switch {
	case !ok:
		return school.ErrNotFound
	case !c.UsedAt.IsZero():
		return school.ErrCodeUsed
	}
	c.UsedAt = now
	return nil
}

func (f *fakeStore) DeleteAuthCodes(_ context.Context, before time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for h, c := range f.codes {
		if c.ExpiresAt.Before(before) {
			delete(f.codes, h)
		}
	}
	return nil
}

func (f *fakeStore) Secret(_ context.Context, name string, fresh []byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.secrets[name]; ok {
		return v, nil
	}
	f.secrets[name] = slices.Clone(fresh)
	return fresh, nil
}

func (f *fakeStore) School(_ context.Context, id school.ID) (school.School, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.schools {
		if s.ID == id {
			return s, nil
		}
	}
	return school.School{}, fmt.Errorf("school %d: %w", id, school.ErrNotFound)
}

func (f *fakeStore) SchoolByUUID(_ context.Context, uuid string) (school.School, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return school.School{}, f.fail
	}
	for _, s := range f.schools {
		if s.UUID == uuid {
			return s, nil
		}
	}
	return school.School{}, fmt.Errorf("school %s: %w", uuid, school.ErrNotFound)
}

func (f *fakeStore) Account(_ context.Context, schoolID, id school.ID) (school.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.accounts {
		if a.SchoolID == schoolID && a.ID == id {
			return a, nil
		}
	}
	return school.Account{}, fmt.Errorf("account %d: %w", id, school.ErrNotFound)
}

func (f *fakeStore) AccountByUsername(_ context.Context, schoolID school.ID, name string) (
	school.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.accounts {
		if a.SchoolID == schoolID && a.Username == name {
			return a, nil
		}
	}
	return school.Account{}, fmt.Errorf("account %s: %w", name, school.ErrNotFound)
}

func (f *fakeStore) Pupil(_ context.Context, schoolID, id school.ID) (school.Pupil, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.pupils {
		if p.SchoolID == schoolID && p.ID == id {
			return p, nil
		}
	}
	return school.Pupil{}, fmt.Errorf("pupil %d: %w", id, school.ErrNotFound)
}

func (f *fakeStore) Pupils(_ context.Context, schoolID school.ID, ids []school.ID) (
	[]school.Pupil, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []school.Pupil
	for _, p := range f.pupils {
		if p.SchoolID == schoolID && slices.Contains(ids, p.ID) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *fakeStore) StaffMembers(_ context.Context, schoolID school.ID, ids []school.ID) (
	[]school.Staff, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []school.Staff
	for _, s := range f.staff {
		if s.SchoolID == schoolID && slices.Contains(ids, s.ID) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (f *fakeStore) AddRefreshToken(_ context.Context, t school.RefreshToken) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.tokens[t.Hash]; ok {
		return school.ErrConflict
	}
	if _, ok := f.families[t.FamilyID]; ok {
		return school.ErrConflict
	}
	f.tokens[t.Hash] = &t
	f.families[t.FamilyID] = false
	return nil
}

func (f *fakeStore) RefreshToken(_ context.Context, hash string) (school.RefreshToken, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tokens[hash]
	if !ok {
		return school.RefreshToken{}, school.ErrNotFound
	}
	return *t, nil
}

func (f *fakeStore) RotateRefreshToken(_ context.Context, old string, next school.RefreshToken,
	now time.Time, grace time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tokens[old]
	if !ok {
		return school.ErrNotFound
	}
	if f.families[t.FamilyID] || !now.Before(t.ExpiresAt) {
		return school.ErrTokenRevoked
	}
	if !t.RotatedAt.IsZero() && now.Sub(t.RotatedAt) > grace {
		f.families[t.FamilyID] = true
		return school.ErrTokenReused
	}
	if t.RotatedAt.IsZero() {
		t.RotatedAt = now
	}
	f.tokens[next.Hash] = &next
	return nil
}

func (f *fakeStore) RevokeFamily(_ context.Context, family string, _ time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.families[family] = true
	return nil
}

func (f *fakeStore) FamilyRevoked(_ context.Context, family string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revokeHit++
	revoked, known := f.families[family]
	return revoked || !known, nil
}

func (f *fakeStore) SigningKeys(context.Context) ([]school.SigningKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.keys), nil
}

func (f *fakeStore) AddSigningKey(_ context.Context, k school.SigningKey) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = slices.Insert(f.keys, 0, k) // newest first
	return nil
}

func (f *fakeStore) LoginAttempts(_ context.Context, schoolID school.ID, name string) (
	school.LoginAttempts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts[attemptKey{schoolID, name}], nil
}

func (f *fakeStore) FailLogin(_ context.Context, schoolID school.ID, name string, now time.Time,
	max int, lockFor time.Duration) (school.LoginAttempts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := attemptKey{schoolID, name}
	a := f.attempts[k]
	a.Failures++
	if a.Failures >= max {
		a = school.LoginAttempts{LockedUntil: now.Add(lockFor)}
	}
	f.attempts[k] = a
	return a, nil
}

func (f *fakeStore) ResetLogin(_ context.Context, schoolID school.ID, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.attempts, attemptKey{schoolID, name})
	return nil
}

// token returns the stored row of a raw refresh token.
func (f *fakeStore) token(raw string) (school.RefreshToken, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tokens[hashToken(raw)]
	if !ok {
		return school.RefreshToken{}, false
	}
	return *t, true
}
