package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/opensom/opensom/internal/school"
)

// identity is what the id token says about the person behind an account.
type identity struct {
	givenName   string
	affiliation string
	pupilsJSON  string // the leerlingen claim
}

// OIDC affiliation values; LSRC asks for the first two.
const (
	affStudent = "student"
	affParent  = "parent/guardian"
	affStaff   = "staff"
)

type pupilEntry struct {
	ID         school.ID `json:"id"`
	GivenName  string    `json:"gn"`
	CalledName string    `json:"nn"`
	Number     string    `json:"nr"`
}

// identityOf loads the person behind acc and the pupils it may read: a
// pupil itself, a parent's children, and none for staff (whose pupils are
// many and change with the timetable).
func (s *Server) identityOf(ctx context.Context, acc school.Account) (identity, error) {
	var id identity
	var pupils []school.Pupil
	switch acc.Role {
	case school.RolePupil:
		p, err := s.store.Pupil(ctx, acc.SchoolID, acc.PersonID)
		if err != nil {
			return identity{}, fmt.Errorf("load pupil of account: %w", err)
		}
		id.givenName, id.affiliation, pupils = p.Name.First, affStudent, []school.Pupil{p}
	case school.RoleParent:
		ps, err := s.store.Pupils(ctx, acc.SchoolID, acc.PupilIDs)
		if err != nil {
			return identity{}, fmt.Errorf("load children of account: %w", err)
		}
		id.givenName, id.affiliation, pupils = acc.Name.First, affParent, ps
	case school.RoleStaff, school.RoleAdmin:
		// An administrator is a member of staff too; like a teacher, its
		// id token lists no pupils of its own.
		st, err := s.store.StaffMembers(ctx, acc.SchoolID, []school.ID{acc.PersonID})
		if err != nil {
			return identity{}, fmt.Errorf("load staff of account: %w", err)
		}
		if len(st) == 0 {
			return identity{}, fmt.Errorf("load staff of account: %w", school.ErrNotFound)
		}
		id.givenName, id.affiliation = st[0].Name.First, affStaff
	default:
		return identity{}, fmt.Errorf("account role %q: unknown", acc.Role)
	}

	entries := make([]pupilEntry, 0, len(pupils)) // never null: "ll":[]
	for _, p := range pupils {
		entries = append(entries, pupilEntry{
			ID:         p.ID,
			GivenName:  p.Name.First,
			CalledName: p.Name.First,
			Number:     strconv.FormatInt(p.Number, 10),
		})
	}
	b, err := json.Marshal(struct {
		LL []pupilEntry `json:"ll"`
	}{entries})
	if err != nil {
		return identity{}, fmt.Errorf("encode leerlingen: %w", err)
	}
	id.pupilsJSON = string(b)
	return id, nil
}
