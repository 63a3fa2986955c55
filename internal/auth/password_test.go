package auth

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// C03: with the school's switch off, right and wrong passwords get the same
// answer, no counter moves and no hash is spent.
func TestPasswordGrantSwitchedOff(t *testing.T) {
	tests := []struct{ name, pw string }{
		{name: "right password", pw: pwPupil},
		{name: "wrong password", pw: "wrong"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			rec := r.do(call{form: passwordForm(uuidB, "noor", tc.pw)})
			e := r.refused(rec, 400, "invalid_grant")
			want := "Invalid grant: Password grant is disabled for insecure clients."
			if e.Description != want {
				t.Errorf("description %q, want %q", e.Description, want)
			}
			a, _ := r.store.LoginAttempts(t.Context(), 1000000002, "noor")
			if a != (school.LoginAttempts{}) {
				t.Errorf("attempts moved: %+v", a)
			}
			if r.burns+r.checks != 0 {
				t.Errorf("%d burns and %d checks, want none", r.burns, r.checks)
			}
		})
	}
}

// Failures count down to a lockout, the same for a known name with a
// wrong password and for a name that does not exist; the unknown name
// costs one burned hash per try.
func TestPasswordAttempts(t *testing.T) {
	tests := []struct {
		name          string
		user          string
		burns, checks int // per try
	}{
		{name: "known name", user: "tess", checks: 1},
		{name: "unknown name", user: "nobody", burns: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			for left := 4; left >= 1; left-- {
				e := r.refused(r.do(call{form: passwordForm(uuidA, tc.user, "wrong")}),
					400, "invalid_grant")
				want := fmt.Sprintf("Invalid grant: Account has %d attempts remaining", left)
				if e.Description != want {
					t.Fatalf("description %q, want %q", e.Description, want)
				}
			}
			if r.burns != 4*tc.burns || r.checks != 4*tc.checks {
				t.Errorf("%d burns, %d checks after 4 tries", r.burns, r.checks)
			}

			// The fifth failure locks; then even the right password is refused
			// without a check of it.
			e := r.refused(r.do(call{form: passwordForm(uuidA, tc.user, "wrong")}),
				400, "invalid_grant")
			if e.Description != "Invalid grant: "+msgLocked {
				t.Fatalf("fifth failure: %q, want the lock message", e.Description)
			}
			checks := r.checks
			e = r.refused(r.do(call{form: passwordForm(uuidA, tc.user, pwPupil)}),
				400, "invalid_grant")
			if e.Description != "Invalid grant: "+msgLocked {
				t.Fatalf("locked: %q, want the lock message", e.Description)
			}
			if r.checks != checks {
				t.Error("a locked name had its password checked")
			}
			r.noSecretsLogged(pwPupil)
		})
	}
}

func TestLockoutEnds(t *testing.T) {
	r := newRig(t)
	for range 5 {
		r.do(call{form: passwordForm(uuidA, "tess", "wrong")})
	}
	r.clock.advance(15*time.Minute - time.Second)
	r.refused(r.do(call{form: passwordForm(uuidA, "tess", pwPupil)}), 400, "invalid_grant")

	r.clock.advance(time.Second)
	r.login("tess", pwPupil)

	// A success resets the count.
	e := r.refused(r.do(call{form: passwordForm(uuidA, "tess", "wrong")}), 400, "invalid_grant")
	if e.Description != "Invalid grant: Account has 4 attempts remaining" {
		t.Errorf("after success: %q", e.Description)
	}
}

func TestSuccessResetsCount(t *testing.T) {
	r := newRig(t)
	r.do(call{form: passwordForm(uuidA, "tess", "wrong")})
	r.do(call{form: passwordForm(uuidA, "tess", "wrong")})
	r.login("tess", pwPupil)
	if a, _ := r.store.LoginAttempts(t.Context(), 1000000001, "tess"); a.Failures != 0 {
		t.Errorf("failures %d after a success, want 0", a.Failures)
	}
}

func TestPasswordGrantRequest(t *testing.T) {
	tests := []struct {
		name     string
		username string
		password string
		code     string
		describe string
	}{
		{name: "no backslash", username: uuidA + "/tess", password: pwPupil,
			code: "invalid_request"},
		{name: "no name", username: uuidA + `\`, password: pwPupil, code: "invalid_request"},
		{name: "no school", username: `\tess`, password: pwPupil, code: "invalid_request"},
		{name: "no password", username: uuidA + `\tess`, code: "invalid_request"},
		{name: "unknown school", username: "00000000-0000-4000-8000-00000000dead\\tess",
			password: pwPupil, code: "invalid_grant", describe: "Invalid grant: Unknown school"},
		{name: "name of another school", username: uuidA + `\noor`, password: pwPupil,
			code: "invalid_grant", describe: "Invalid grant: Account has 4 attempts remaining"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			f := url.Values{"grant_type": {"password"}, "client_id": {legacyClientID},
				"username": {tc.username}, "password": {tc.password}}
			e := r.refused(r.do(call{form: f}), 400, tc.code)
			if tc.describe != "" && e.Description != tc.describe {
				t.Errorf("description %q, want %q", e.Description, tc.describe)
			}
		})
	}
}

// A stored hash that cannot be read fails like a wrong password: a 500
// would tell that the name exists.
func TestUnreadableHash(t *testing.T) {
	r := newRig(t)
	r.store.accounts[0].PasswordHash = "$argon2id$garbage"
	e := r.refused(r.do(call{form: passwordForm(uuidA, "tess", pwPupil)}), 400, "invalid_grant")
	if e.Description != "Invalid grant: Account has 4 attempts remaining" {
		t.Errorf("description %q", e.Description)
	}
	if !strings.Contains(r.logs.String(), "unreadable password hash") {
		t.Error("the broken hash was not logged")
	}
}
