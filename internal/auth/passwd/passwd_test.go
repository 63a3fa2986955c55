package passwd

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse", Demo)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected form %q", h)
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"right", "correct horse", true},
		{"wrong", "correct horsE", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := Verify(h, tc.pw)
			if err != nil || ok != tc.want {
				t.Fatalf("Verify = %v, %v; want %v", ok, err, tc.want)
			}
		})
	}
}

func TestSeededSaltIsDeterministic(t *testing.T) {
	a, _ := HashWithSalt("pw", Demo, bytes.NewReader(make([]byte, 16)))
	b, _ := HashWithSalt("pw", Demo, bytes.NewReader(make([]byte, 16)))
	if a != b {
		t.Fatalf("same salt, different hashes: %q %q", a, b)
	}
}

func TestMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2id$v=19$m=1,t=0,p=1$AA$AA",
		"$argon2id$v=18$m=64,t=1,p=1$AA$AA", "$bcrypt$v=19$m=64,t=1,p=1$AA$AA"} {
		if _, err := Verify(h, "x"); !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) err = %v, want ErrMalformed", h, err)
		}
	}
}
