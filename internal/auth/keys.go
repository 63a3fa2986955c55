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
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/opensom/opensom/internal/school"
)

// keySet holds the key that signs and every key that may have signed a
// token still in use. Several nodes share one store: each re-reads the
// stored keys every reloadEvery, and at once (at most every missEvery)
// when a token names a kid it does not know, so a key another node added
// verifies here within moments and every node signs with the newest.
type keySet struct {
	store       school.Store
	now         func() time.Time
	log         *slog.Logger
	injected    *rsa.PrivateKey // signs when set; stored keys still verify
	rotateAfter time.Duration   // age at which a new key is made; 0: never
	keepFor     time.Duration   // how long a retired key still verifies
	reloadEvery time.Duration
	missEvery   time.Duration

	loadMu sync.Mutex // one reload at a time

	mu       sync.RWMutex
	signKID  string
	sign     *rsa.PrivateKey
	verify   map[string]*rsa.PublicKey
	loadedAt time.Time
	missAt   time.Time
}

type keyOptions struct {
	injected    *rsa.PrivateKey
	rotateAfter time.Duration
	keepFor     time.Duration
}

// loadKeys reads the stored keys and makes (and stores) the first one
// when there is none.
func loadKeys(ctx context.Context, st school.Store, now func() time.Time, log *slog.Logger,
	o keyOptions) (*keySet, error) {
	ks := &keySet{store: st, now: now, log: log, injected: o.injected,
		rotateAfter: o.rotateAfter, keepFor: o.keepFor,
		reloadEvery: time.Minute, missEvery: 5 * time.Second}
	ks.loadMu.Lock()
	defer ks.loadMu.Unlock()
	if err := ks.load(ctx); err != nil {
		return nil, err
	}
	return ks, nil
}

// load re-reads the stored keys; loadMu must be held. It makes a new key
// when there is none or the newest is older than rotateAfter. Two nodes
// may both do that at once: both keys are kept, both verify, and after
// the next reload both nodes sign with the same newest one.
func (ks *keySet) load(ctx context.Context) error {
	now := ks.now()
	stored, err := ks.store.SigningKeys(ctx)
	if err != nil {
		return fmt.Errorf("load signing keys: %w", err)
	}
	if ks.injected == nil && ks.due(stored, now) {
		if err := ks.addKey(ctx, now); err != nil {
			return err
		}
		if stored, err = ks.store.SigningKeys(ctx); err != nil {
			return fmt.Errorf("load signing keys: %w", err)
		}
	}

	verify := make(map[string]*rsa.PublicKey, len(stored)+1)
	var sign *rsa.PrivateKey
	var signKID string
	for i, k := range stored { // newest first
		// A key signs until the next one is made; its tokens live at most
		// keepFor after that.
		if i > 0 && !now.Before(stored[i-1].CreatedAt.Add(ks.keepFor)) {
			continue
		}
		priv, err := parseKey(k.PrivatePEM)
		if err != nil {
			return fmt.Errorf("signing key %s: %w", k.KID, err)
		}
		verify[k.KID] = &priv.PublicKey
		if sign == nil {
			sign, signKID = priv, k.KID
		}
	}
	if ks.injected != nil {
		kid, err := kidOf(&ks.injected.PublicKey)
		if err != nil {
			return err
		}
		sign, signKID = ks.injected, kid
		verify[kid] = &ks.injected.PublicKey
	}
	if sign == nil {
		return errors.New("no signing key")
	}

	ks.mu.Lock()
	ks.sign, ks.signKID, ks.verify, ks.loadedAt = sign, signKID, verify, now
	ks.mu.Unlock()
	return nil
}

func (ks *keySet) due(stored []school.SigningKey, now time.Time) bool {
	if len(stored) == 0 {
		return true
	}
	return ks.rotateAfter > 0 && !now.Before(stored[0].CreatedAt.Add(ks.rotateAfter))
}

func (ks *keySet) addKey(ctx context.Context, now time.Time) error {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("generate signing key: %w", err)
	}
	kid, err := kidOf(&priv.PublicKey)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("encode signing key: %w", err)
	}
	k := school.SigningKey{
		KID:        kid,
		PrivatePEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		CreatedAt:  now,
	}
	if err := ks.store.AddSigningKey(ctx, k); err != nil {
		return fmt.Errorf("store signing key: %w", err)
	}
	ks.log.Info("new signing key", "kid", kid)
	return nil
}

// refresh reloads when the last load is older than reloadEvery, or when
// force is set and the last forced reload is older than missEvery. A
// reload already running elsewhere is not waited for. A failed reload
// keeps the keys there are and is logged.
func (ks *keySet) refresh(ctx context.Context, force bool) {
	now := ks.now()
	ks.mu.RLock()
	stale := now.Sub(ks.loadedAt) >= ks.reloadEvery
	missOK := force && now.Sub(ks.missAt) >= ks.missEvery
	ks.mu.RUnlock()
	if !stale && !missOK {
		return
	}
	if !ks.loadMu.TryLock() {
		return
	}
	defer ks.loadMu.Unlock()
	if missOK {
		ks.mu.Lock()
		ks.missAt = now
		ks.mu.Unlock()
	}
	if err := ks.load(ctx); err != nil {
		ks.log.Error("reload signing keys", "err", err)
	}
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

// keyFunc finds the verification key a token names in its kid header,
// reloading the stored keys once when the kid is unknown: another node
// may have made it.
func (ks *keySet) keyFunc(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if key, ok := ks.lookup(kid); ok {
			return key, nil
		}
		ks.refresh(ctx, true)
		if key, ok := ks.lookup(kid); ok {
			return key, nil
		}
		return nil, fmt.Errorf("unknown kid %q", kid)
	}
}

func (ks *keySet) lookup(kid string) (*rsa.PublicKey, bool) {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	key, ok := ks.verify[kid]
	return key, ok
}

// publicKeys are the keys that verify, for the JWKS document.
func (ks *keySet) publicKeys() map[string]*rsa.PublicKey {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	out := make(map[string]*rsa.PublicKey, len(ks.verify))
	for k, v := range ks.verify {
		out[k] = v
	}
	return out
}

func (ks *keySet) currentKID() string {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	return ks.signKID
}

// signToken signs claims with the current key.
func (ks *keySet) signToken(c jwt.Claims) (string, error) {
	ks.mu.RLock()
	key, kid := ks.sign, ks.signKID
	ks.mu.RUnlock()
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = kid
	s, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}
