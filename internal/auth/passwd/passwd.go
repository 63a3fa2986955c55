// Package passwd hashes and checks passwords with argon2id, in the PHC
// string form ($argon2id$v=19$m=...,t=...,p=...$salt$hash), so that the
// cost travels with each hash and can be raised without a migration.
package passwd

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params is the cost of a hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

var (
	// Default is the cost for real accounts (the RFC 9106 second
	// recommendation: 64 MiB, three passes).
	Default = Params{Memory: 64 * 1024, Time: 3, Threads: 2}
	// Demo is a deliberately cheap cost for the generated demo world, so
	// that seeding thousands of accounts and running tests stays fast. Demo
	// passwords are printed anyway.
	Demo = Params{Memory: 64, Time: 1, Threads: 1}
)

const (
	saltLen = 16
	keyLen  = 32
)

// ErrMalformed is returned for a stored hash that cannot be read.
var ErrMalformed = errors.New("malformed password hash")

// Hash hashes password with a random salt.
func Hash(password string, p Params) (string, error) {
	return HashWithSalt(password, p, rand.Reader)
}

// HashWithSalt hashes password with a salt read from r, so that a seeded
// generator can make the same hash twice.
func HashWithSalt(password string, p Params, r io.Reader) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := io.ReadFull(r, salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether password matches the encoded hash, comparing in
// constant time.
func Verify(encoded, password string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// Burn spends the same work as one Verify at cost p, for a login whose
// username does not exist: the answer must not come faster.
func Burn(password string, p Params) {
	var salt [saltLen]byte
	argon2.IDKey([]byte(password), salt[:], p.Time, p.Memory, p.Threads, keyLen)
}

func decode(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	if p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) {
		return Params{}, nil, nil, ErrMalformed
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	key, err := enc.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return Params{}, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}
