package school

import (
	"context"
	"time"
)

// Page is a window of a list: Offset items skipped, at most Limit returned.
type Page struct {
	Offset, Limit int
}

// Sort names an order of a list. Every order ends in the id, so pages of
// the same query never overlap or skip.
type Sort int

// The orders lists can be asked for.
const (
	SortDefault Sort = iota // the list's own documented order
	SortIDAsc
	SortIDDesc
	SortTimeAsc // beginDatumTijd for lessons, datumInvoer for grades
	SortTimeDesc
)

// GradeQuery selects the grades of some pupils.
type GradeQuery struct {
	SchoolID ID
	PupilIDs []ID
	Sort     Sort // default: datumInvoer ascending, then id
	Page     Page
}

// LessonQuery selects the lessons of the groups some pupils are in, whose
// start lies in [From, To).
type LessonQuery struct {
	SchoolID ID
	PupilIDs []ID
	From, To time.Time
	Sort     Sort // default: beginDatumTijd ascending, then id
	Page     Page
}

// RefreshToken is the stored side of a refresh token. Only a hash of the
// token itself is kept. Tokens that replace each other share a FamilyID.
type RefreshToken struct {
	Hash      string
	FamilyID  string
	SchoolID  ID
	AccountID ID
	ClientID  string
	Scope     string
	IssuedAt  time.Time
	ExpiresAt time.Time
	// RotatedAt is when this token was exchanged for the next one; zero
	// while it is the family's newest.
	RotatedAt time.Time
}

// SigningKey is a private key that signs tokens, PEM-encoded (PKCS#8).
type SigningKey struct {
	KID        string
	PrivatePEM []byte
	CreatedAt  time.Time
}

// LoginAttempts is the failed-login counter of one (school, username).
type LoginAttempts struct {
	Failures    int
	LockedUntil time.Time
}

// World is everything a school system holds, as written in one go by the
// demo generator.
type World struct {
	Schools  []School
	Branches []Branch
	Years    []SchoolYear
	Subjects []Subject
	Staff    []Staff
	Groups   []Group
	Pupils   []Pupil
	Accounts []Account
	Lessons  []Lesson
	Grades   []Grade

	Switches       []Switch
	Holidays       []Holiday
	LessonHours    []LessonHour
	AbsenceReasons []AbsenceReason
	AbsenceReports []AbsenceReport
	Observations   []Observation
	Measures       []Measure
	StudyGuides    []StudyGuide
	Homework       []Homework
	Conversations  []Conversation

	// Source says where the world came from, for a world file a hash of
	// what it says; the store keeps it (WorldSource), so that a server
	// started again on the same file knows the data is already there.
	// Empty for the demo world.
	Source string
}

// Store is what opensom keeps. Every method that reads a school's data
// takes the school id and never returns another school's rows; a missing
// row is ErrNotFound. Lists come back in their documented total order with
// the total count before paging.
type Store interface {
	// Empty reports whether the store holds no school yet.
	Empty(ctx context.Context) (bool, error)
	// Import writes a whole world in one transaction.
	Import(ctx context.Context, w *World) error
	// Reset wipes every school's data, the refresh-token families, the
	// authorization codes and the login counters, and imports w, in one
	// transaction: on an error nothing has changed. Signing keys and
	// server secrets stay, so the server keeps working.
	Reset(ctx context.Context, w *World) error
	// WorldSource is the Source of the world last imported or reset to;
	// "" when that world had none (the demo world) or the store is empty.
	WorldSource(ctx context.Context) (string, error)
	// DataVersion is a number that changes whenever school data changes
	// (not tokens, counters or keys), on whichever node wrote it, so that
	// answers built from the data can be cached and known to be stale.
	DataVersion(ctx context.Context) (int64, error)

	Schools(ctx context.Context) ([]School, error)
	School(ctx context.Context, id ID) (School, error)
	SchoolByUUID(ctx context.Context, uuid string) (School, error)
	Branch(ctx context.Context, schoolID, id ID) (Branch, error)

	// Accounts lists every account of every school, by school then id.
	Accounts(ctx context.Context) ([]Account, error)
	Account(ctx context.Context, schoolID, id ID) (Account, error)
	AccountByUsername(ctx context.Context, schoolID ID, username string) (Account, error)

	// Pupils returns the pupils with the given ids, by id; unknown ids are
	// left out.
	Pupils(ctx context.Context, schoolID ID, ids []ID) ([]Pupil, error)
	Pupil(ctx context.Context, schoolID, id ID) (Pupil, error)
	// PupilsTaughtBy lists the ids of the pupils in the groups that the
	// staff member teaches or mentors, by id.
	PupilsTaughtBy(ctx context.Context, schoolID, staffID ID) ([]ID, error)
	// StaffMembers returns the staff with the given ids, by id.
	StaffMembers(ctx context.Context, schoolID ID, ids []ID) ([]Staff, error)
	// GroupPupils lists the ids of the pupils in a group, by id.
	GroupPupils(ctx context.Context, schoolID, groupID ID) ([]ID, error)
	// GroupsOfPupils lists, for each of the pupils, the ids of the groups
	// it is in, ascending; pupils in no group (or of another school) are
	// left out.
	GroupsOfPupils(ctx context.Context, schoolID ID, pupilIDs []ID) (map[ID][]ID, error)

	// SchoolYears lists a school's years by start date, then id.
	SchoolYears(ctx context.Context, schoolID ID) ([]SchoolYear, error)
	SchoolYear(ctx context.Context, schoolID, id ID) (SchoolYear, error)

	// Subjects lists a school's subjects by abbreviation, then id.
	Subjects(ctx context.Context, schoolID ID, p Page) ([]Subject, int, error)
	// SubjectsByID returns the subjects with the given ids, by id.
	SubjectsByID(ctx context.Context, schoolID ID, ids []ID) ([]Subject, error)
	Subject(ctx context.Context, schoolID, id ID) (Subject, error)

	Grades(ctx context.Context, q GradeQuery) ([]Grade, int, error)
	Grade(ctx context.Context, schoolID, id ID) (Grade, error)

	Lessons(ctx context.Context, q LessonQuery) ([]Lesson, int, error)
	Lesson(ctx context.Context, schoolID, id ID) (Lesson, error)

	// AddRefreshToken starts a new family with its first token.
	AddRefreshToken(ctx context.Context, t RefreshToken) error
	// RefreshToken loads a token by its hash.
	RefreshToken(ctx context.Context, hash string) (RefreshToken, error)
	// RotateRefreshToken exchanges the token with hash old for next, in one
	// transaction. A token that was already rotated longer than grace ago
	// revokes its whole family and answers ErrTokenReused; within grace the
	// exchange succeeds again, so two refreshes that race both get working
	// tokens. A revoked family answers ErrTokenRevoked.
	RotateRefreshToken(ctx context.Context, old string, next RefreshToken,
		now time.Time, grace time.Duration) error
	// RevokeFamily revokes every token of a family.
	RevokeFamily(ctx context.Context, familyID string, now time.Time) error
	// FamilyRevoked reports whether a family is revoked; unknown families
	// count as revoked.
	FamilyRevoked(ctx context.Context, familyID string) (bool, error)

	// SigningKeys lists the keys, newest first.
	SigningKeys(ctx context.Context) ([]SigningKey, error)
	AddSigningKey(ctx context.Context, k SigningKey) error

	LoginAttempts(ctx context.Context, schoolID ID, username string) (LoginAttempts, error)
	// FailLogin counts one failure and, when max failures are reached,
	// locks the name until now+lockFor and resets the count. It returns
	// the state after the failure.
	FailLogin(ctx context.Context, schoolID ID, username string, now time.Time,
		max int, lockFor time.Duration) (LoginAttempts, error)
	ResetLogin(ctx context.Context, schoolID ID, username string) error

	AuthStore
	Records
	RateLimits
	Editor

	Close() error
}
