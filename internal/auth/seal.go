package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

// sealer MACs the state the login pages carry between requests (the auth
// value and the session cookie), so that the state lives with the client
// and any node can read it. The key is a server secret kept in the store:
// every node shares it. Sealed values are signed, not encrypted; they hold
// nothing the user did not send (the authorize parameters, the username).
type sealer struct{ key []byte }

const secretLogin = "login-mac"

func newSealer(ctx context.Context, st school.Store) (sealer, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return sealer{}, fmt.Errorf("make login secret: %w", err)
	}
	key, err := st.Secret(ctx, secretLogin, fresh)
	if err != nil {
		return sealer{}, fmt.Errorf("load login secret: %w", err)
	}
	if len(key) < 32 {
		return sealer{}, errors.New("login secret is shorter than 32 bytes")
	}
	return sealer{key: key}, nil
}

var errBadSeal = errors.New("sealed value is not ours")

var b64 = base64.RawURLEncoding

// seal writes v as base64url(JSON) "." base64url(MAC), where the MAC also
// covers purpose, so a value sealed for one use is refused for another.
func (s sealer) seal(purpose string, v any) (string, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("seal %s: %w", purpose, err)
	}
	p := b64.EncodeToString(payload)
	return p + "." + b64.EncodeToString(s.mac(purpose, p)), nil
}

func (s sealer) open(purpose, raw string, v any) error {
	p, m, ok := strings.Cut(raw, ".")
	if !ok {
		return errBadSeal
	}
	got, err := b64.DecodeString(m)
	if err != nil || !hmac.Equal(got, s.mac(purpose, p)) {
		return errBadSeal
	}
	payload, err := b64.DecodeString(p)
	if err != nil {
		return errBadSeal
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return errBadSeal
	}
	return nil
}

func (s sealer) mac(purpose, payload string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(payload))
	return h.Sum(nil)
}
