package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// RunAuth is the part of the suite for the authorization server's codes
// and secrets (school.AuthStore). It is its own entry point so that a
// backend's test calls it beside Run; open is as for Run.
func RunAuth(t *testing.T, open func(t *testing.T) school.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s school.Store)
	}{
		{"AuthCodeRoundTrip", testAuthCodeRoundTrip},
		{"AuthCodeOnce", testAuthCodeOnce},
		{"AuthCodeConcurrent", testAuthCodeConcurrent},
		{"AuthCodeSweep", testAuthCodeSweep},
		{"Secret", testSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

func authCode(hash string) school.AuthCode {
	return school.AuthCode{
		Hash: hash, SchoolID: schoolA, AccountID: accPupil,
		ClientID:    "somtoday-leerling-native",
		RedirectURI: "somtoday://nl.topicus.somtoday.leerling/oauth/callback",
		Scope:       "openid", Challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		ChallengeMethod: "S256", Nonce: "n-0S6_WzA2Mj", Claims: "given_name orgname",
		FamilyID: "fam-" + hash, AuthTime: t0, ExpiresAt: t0.Add(time.Minute),
	}
}

func testAuthCodeRoundTrip(t *testing.T, s school.Store) {
	ctx := context.Background()
	want := authCode("c1")
	mustNil(t, "add", s.AddAuthCode(ctx, want))
	got, err := s.AuthCode(ctx, "c1")
	mustNil(t, "load", err)
	sameTime(t, "AuthTime", got.AuthTime, want.AuthTime)
	sameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	got.AuthTime, got.ExpiresAt = want.AuthTime, want.ExpiresAt
	same(t, "code", got, want)

	if err := s.AddAuthCode(ctx, want); !errors.Is(err, school.ErrConflict) {
		t.Errorf("second add of one hash: %v, want ErrConflict", err)
	}
	if _, err := s.AuthCode(ctx, "nope"); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("unknown code: %v, want ErrNotFound", err)
	}
}

func testAuthCodeOnce(t *testing.T, s school.Store) {
	ctx := context.Background()
	mustNil(t, "add", s.AddAuthCode(ctx, authCode("c1")))
	steps := []struct {
		name string
		hash string
		want error
	}{
		{"first use", "c1", nil},
		{"second use", "c1", school.ErrCodeUsed},
		{"unknown", "c2", school.ErrNotFound},
	}
	for i, st := range steps {
		err := s.UseAuthCode(ctx, st.hash, t0.Add(time.Duration(i+1)*time.Second))
		if !errors.Is(err, st.want) && !(st.want == nil && err == nil) {
			t.Errorf("%s: %v, want %v", st.name, err, st.want)
		}
	}
	got, err := s.AuthCode(ctx, "c1")
	mustNil(t, "load", err)
	// The first use's time stays.
	sameTime(t, "UsedAt", got.UsedAt, t0.Add(time.Second))
}

// Of many exchanges of one code that race, exactly one wins.
func testAuthCodeConcurrent(t *testing.T, s school.Store) {
	ctx := context.Background()
	mustNil(t, "add", s.AddAuthCode(ctx, authCode("c1")))
	const n = 8
	var (
		wg           sync.WaitGroup
		start        = make(chan struct{})
		errs         = make([]error, n)
		wins, losses int
	)
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = s.UseAuthCode(ctx, "c1", t0)
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, school.ErrCodeUsed):
			losses++
		default:
			t.Errorf("use: %v", err)
		}
	}
	if wins != 1 || losses != n-1 {
		t.Errorf("%d wins and %d losses, want 1 and %d", wins, losses, n-1)
	}
}

func testAuthCodeSweep(t *testing.T, s school.Store) {
	ctx := context.Background()
	old, young := authCode("old"), authCode("young")
	young.ExpiresAt = t0.Add(time.Hour)
	mustNil(t, "add old", s.AddAuthCode(ctx, old))
	mustNil(t, "add young", s.AddAuthCode(ctx, young))
	mustNil(t, "sweep", s.DeleteAuthCodes(ctx, t0.Add(2*time.Minute)))
	if _, err := s.AuthCode(ctx, "old"); !errors.Is(err, school.ErrNotFound) {
		t.Errorf("expired code after the sweep: %v, want ErrNotFound", err)
	}
	if _, err := s.AuthCode(ctx, "young"); err != nil {
		t.Errorf("live code after the sweep: %v", err)
	}
}

// The first secret stored wins; later calls, with other fresh values, get
// it back.
func testSecret(t *testing.T, s school.Store) {
	ctx := context.Background()
	first, err := s.Secret(ctx, "login", []byte{1, 2, 3})
	mustNil(t, "first", err)
	second, err := s.Secret(ctx, "login", []byte{9, 9, 9})
	mustNil(t, "second", err)
	other, err := s.Secret(ctx, "other", []byte{7})
	mustNil(t, "other", err)
	same(t, "first", first, []byte{1, 2, 3})
	same(t, "second", second, []byte{1, 2, 3})
	same(t, "other", other, []byte{7})
}
