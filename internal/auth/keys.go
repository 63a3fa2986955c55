package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/opensom/opensom/internal/school"
)

// keySet holds the key that signs and every key that may have signed a
// token still in use. It is read-only after loadKeys.
type keySet struct {
	signKID string
	sign    *rsa.PrivateKey
	verify  map[string]*rsa.PublicKey
}

// loadKeys picks the signing key: the injected one, else the newest
// stored, else a new RSA-2048 key that is stored. Every stored key is kept
// for verification, so tokens signed before a rotation stay valid.
//
// TODO: keys are read once at start; a key that another node adds later is
// unknown here until a restart, so on several nodes that each created a
// key at the same first start, tokens of one fail on the other.
func loadKeys(ctx context.Context, st school.Store, injected *rsa.PrivateKey,
	now func() time.Time) (*keySet, error) {
	stored, err := st.SigningKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("load signing keys: %w", err)
	}
	ks := &keySet{verify: make(map[string]*rsa.PublicKey, len(stored)+1)}
	for _, k := range stored {
		priv, err := parseKey(k.PrivatePEM)
		if err != nil {
			return nil, fmt.Errorf("signing key %s: %w", k.KID, err)
		}
		ks.verify[k.KID] = &priv.PublicKey
		if ks.sign == nil { // newest first
			ks.sign, ks.signKID = priv, k.KID
		}
	}

	if injected != nil {
		kid, err := kidOf(&injected.PublicKey)
		if err != nil {
			return nil, err
		}
		ks.sign, ks.signKID = injected, kid
		ks.verify[kid] = &injected.PublicKey
	}
	if ks.sign != nil {
		return ks, nil
	}

	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	kid, err := kidOf(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("encode signing key: %w", err)
	}
	k := school.SigningKey{
		KID:        kid,
		PrivatePEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		CreatedAt:  now(),
	}
	if err := st.AddSigningKey(ctx, k); err != nil {
		return nil, fmt.Errorf("store signing key: %w", err)
	}
	ks.sign, ks.signKID = priv, kid
	ks.verify[kid] = &priv.PublicKey
	return ks, nil
}

func parseKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS#8: %w", err)
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key is %T, want RSA", key)
	}
	return rsaKey, nil
}

// kidOf names a key as the real IdP does ("iridiumidp-<decimal>"), with
// the decimal taken from a hash of the public key so the name is stable.
func kidOf(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", err)
	}
	sum := sha256.Sum256(der)
	return "iridiumidp-" + strconv.FormatUint(binary.BigEndian.Uint64(sum[:8]), 10), nil
}

// keyFunc finds the verification key a token names in its kid header.
func (ks *keySet) keyFunc(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	key, ok := ks.verify[kid]
	if !ok {
		return nil, fmt.Errorf("unknown kid %q", kid)
	}
	return key, nil
}

// signToken signs claims with the current key.
func (ks *keySet) signToken(c jwt.Claims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = ks.signKID
	s, err := t.SignedString(ks.sign)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}
