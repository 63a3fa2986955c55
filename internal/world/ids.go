package world

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"

	"github.com/opensom/opensom/internal/school"
)

// kind is a kind of id. Derived ids of kind k lie in [k*idSpan, (k+1)*idSpan),
// thirteen digits or more and far below 2^53, so JavaScript clients read
// them exactly.
type kind int

const (
	kindSchool kind = iota + 1
	kindBranch
	kindYear
	kindSubject
	kindStaff
	kindGroup
	kindPupil
	kindAccount
	kindLesson
	kindGrade
	kindColumn
	kindHoliday
	kindReason
	kindAbsence
	kindObservation
	kindMeasure
	kindGuide
	kindHomework
	kindHomeworkItem
	kindConversation
)

const idSpan = 1_000_000_000_000

// namespace is the name space of the version-5 UUIDs derived from keys.
var namespace = uuid.MustParse("6f70656e-736f-4d00-8077-6f726c640000")

// derivedID is the id of the entity of kind k with the given key: a hash,
// so that adding or moving another entity in the file changes no id.
func derivedID(k kind, key ...string) school.ID {
	sum := sha256.Sum256([]byte(keyOf(k, key)))
	return school.ID(int64(k)*idSpan + int64(binary.BigEndian.Uint64(sum[:8])%idSpan))
}

// derivedUUID is the version-5 UUID of the same key.
func derivedUUID(k kind, key ...string) string {
	return uuid.NewSHA1(namespace, []byte(keyOf(k, key))).String()
}

// derivedSecret is 16 hex-encoded bytes from a key and a purpose, for
// photo tokens and password salts.
func derivedSecret(purpose string, key ...string) []byte {
	sum := sha256.Sum256([]byte(purpose + "\x00" + strings.Join(key, "\x00")))
	return sum[:16]
}

func keyOf(k kind, key []string) string {
	return string(rune('A'+k)) + "\x00" + strings.Join(key, "\x00")
}

// ids hands out ids and finds two entities with one id, whether given in
// the file or derived.
type ids struct {
	taken map[kind]map[school.ID]string // id -> path of its owner
	uuids map[string]string             // uuid -> path of its owner
}

func newIDs() *ids {
	return &ids{taken: map[kind]map[school.ID]string{}, uuids: map[string]string{}}
}

// claim takes id for the entity at path; it returns the owner's path when
// the id is taken.
func (s *ids) claim(k kind, id school.ID, path string) (string, bool) {
	m := s.taken[k]
	if m == nil {
		m = map[school.ID]string{}
		s.taken[k] = m
	}
	if other, ok := m[id]; ok {
		return other, false
	}
	m[id] = path
	return "", true
}

// claimUUID does the same for UUIDs, across all kinds.
func (s *ids) claimUUID(u, path string) (string, bool) {
	if other, ok := s.uuids[u]; ok {
		return other, false
	}
	s.uuids[u] = path
	return "", true
}

// saltReader hands out a derived salt, so that the same file hashes a
// password the same way every time.
type saltReader struct{ b []byte }

func (r *saltReader) Read(p []byte) (int, error) {
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

func hexSecret(purpose string, key ...string) string {
	return hex.EncodeToString(derivedSecret(purpose, key...))
}
