package auth

import (
	"crypto/sha256"
	"crypto/subtle"
)

// PKCE methods (RFC 7636).
const (
	pkceS256  = "S256"
	pkcePlain = "plain"
)

// validVerifier reports whether v has the form of RFC 7636 4.1: 43 to 128
// characters of [A-Za-z0-9-._~]. A challenge has the same form.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// pkceMatches checks verifier against the challenge of the authorize call,
// in constant time.
func pkceMatches(challenge, method, verifier string) bool {
	if !validVerifier(verifier) {
		return false
	}
	want := verifier
	if method == pkceS256 {
		sum := sha256.Sum256([]byte(verifier))
		want = b64.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}
