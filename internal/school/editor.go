package school

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Entity names a kind of row that the Editor creates, changes and deletes
// one at a time.
type Entity string

// The entities of the Editor.
const (
	EntityPupil       Entity = "pupil"
	EntityStaff       Entity = "staff"
	EntitySubject     Entity = "subject"
	EntityGroup       Entity = "group"
	EntityAccount     Entity = "account"
	EntityLesson      Entity = "lesson"
	EntityGrade       Entity = "grade"
	EntityHomework    Entity = "homework"
	EntityAbsence     Entity = "absence"
	EntityObservation Entity = "observation"
	EntitySchool      Entity = "school"
	EntityBranch      Entity = "branch"
	EntityYear        Entity = "year"
	EntityReason      Entity = "reason"
	EntityGuide       Entity = "guide"
)

// ErrInUse: an entity cannot be deleted while others refer to it.
var ErrInUse = errors.New("in use")

// Reference is one kind of row that refers to an entity: which, how many,
// and the ids of the first few.
type Reference struct {
	What  string // a table's name in plain words: "grades", "group memberships"
	Count int
	IDs   []ID // at most MaxReferenceIDs; empty for rows without an id
}

// MaxReferenceIDs bounds the ids an InUseError lists per kind.
const MaxReferenceIDs = 10

// InUseError is ErrInUse with what refers to the entity.
type InUseError struct {
	Entity Entity
	ID     ID
	Refs   []Reference
}

func (e *InUseError) Error() string {
	parts := make([]string, len(e.Refs))
	for i, r := range e.Refs {
		parts[i] = fmt.Sprintf("%d %s", r.Count, r.What)
	}
	return fmt.Sprintf("%s %d is referred to by %s", e.Entity, e.ID, strings.Join(parts, ", "))
}

func (e *InUseError) Unwrap() error { return ErrInUse }

// MissingError is ErrNotFound for an entity that a write refers to and
// that is not in the school, so that the caller can name what it sent.
type MissingError struct {
	Entity Entity
	ID     ID
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("no %s %d in this school", e.Entity, e.ID)
}

func (e *MissingError) Unwrap() error { return ErrNotFound }

// SnapshotInfo describes a stored snapshot of the school data.
type SnapshotInfo struct {
	Name    string
	Created time.Time
	Bytes   int64 // stored size, compressed
	Schools int
	Pupils  int
}

// Editor changes a store's school data one entity at a time, for the
// admin API, and keeps named snapshots of all of it. Every write moves
// the data version; a write that fails changes nothing.
type Editor interface {
	// Export reads every school's data back as a World, with its Source,
	// in one snapshot, each list by id (switches by school and name, lesson
	// hours by school and number), members of a group by id.
	Export(ctx context.Context) (*World, error)
	// SchoolOf is the school an entity belongs to; ErrNotFound when there
	// is no such entity.
	SchoolOf(ctx context.Context, e Entity, id ID) (ID, error)

	// The Put methods create the entity when its ID is zero (the store
	// picks the id, and a column, study guide, item id or pupil or staff
	// number left zero: one above the school's highest) and
	// replace it otherwise, within its school: an id not in the school is
	// ErrNotFound. A reference to an entity not in the school is a
	// *MissingError, a taken unique key ErrConflict. They return what was
	// stored.
	PutPupil(ctx context.Context, p Pupil) (Pupil, error)
	PutStaff(ctx context.Context, s Staff) (Staff, error)
	PutSubject(ctx context.Context, s Subject) (Subject, error)
	// PutGroup replaces the members with PupilIDs.
	PutGroup(ctx context.Context, g Group) (Group, error)
	// PutAccount replaces the parent's children with PupilIDs.
	PutAccount(ctx context.Context, a Account) (Account, error)
	// PutLesson moves the times of the lesson's homework and observations
	// along with it.
	PutLesson(ctx context.Context, l Lesson) (Lesson, error)
	PutGrade(ctx context.Context, g Grade) (Grade, error)
	// PutHomework with GuideID zero uses the study guide of the group,
	// made when it has none.
	PutHomework(ctx context.Context, h Homework) (Homework, error)
	PutAbsenceReport(ctx context.Context, a AbsenceReport) (AbsenceReport, error)
	PutObservation(ctx context.Context, o Observation) (Observation, error)
	// SetMember puts a pupil in a group, or takes it out; either when it
	// already is so is no error.
	SetMember(ctx context.Context, schoolID, groupID, pupilID ID, in bool) error
	// SetSwitches stores a school's switches by name; a switch set to its
	// default keeps no row.
	SetSwitches(ctx context.Context, schoolID ID, s Switches) error
	// Delete removes one entity and what belongs to it alone (a group's
	// memberships, an account's sessions and calendar link, an
	// assignment's ticks). While other rows refer to it, it is an
	// *InUseError and nothing changes.
	Delete(ctx context.Context, e Entity, schoolID, id ID) error

	// Branches lists a school's branches by id.
	Branches(ctx context.Context, schoolID ID) ([]Branch, error)
	Group(ctx context.Context, schoolID, id ID) (Group, error)
	AbsenceReport(ctx context.Context, schoolID, id ID) (AbsenceReport, error)
	Observation(ctx context.Context, schoolID, id ID) (Observation, error)

	// SaveSnapshot stores all school data under name, replacing a
	// snapshot of that name; created reports whether there was none.
	SaveSnapshot(ctx context.Context, name string, at time.Time) (info SnapshotInfo,
		created bool, err error)
	// RestoreSnapshot replaces all school data with the snapshot's, in one
	// transaction. Signing keys, server secrets, login counters and the
	// sessions of accounts that the snapshot holds stay; the sessions of
	// other accounts end (revoked at now).
	RestoreSnapshot(ctx context.Context, name string, now time.Time) (SnapshotInfo, error)
	// Snapshots lists the snapshots by name.
	Snapshots(ctx context.Context) ([]SnapshotInfo, error)
	DeleteSnapshot(ctx context.Context, name string) error
}
