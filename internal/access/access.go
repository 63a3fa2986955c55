// Package access decides who may see what: it turns an authenticated
// account into a Viewer that knows the pupils it may read, and builds the
// permissions arrays of the API from the same rules, so that what the
// server lets through and what it says it lets through never differ.
package access

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/opensom/opensom/internal/school"
)

// Viewer is an account together with what it may read.
type Viewer struct {
	SchoolID school.ID
	Account  school.Account
	// pupils are the ids of the pupils this viewer may read, ascending.
	pupils []school.ID
}

// Resolve loads the account and works out which pupils it may read: a
// pupil itself, a parent their children, a staff member the pupils of the
// groups they teach.
func Resolve(ctx context.Context, st school.Store, schoolID, accountID school.ID) (Viewer, error) {
	acc, err := st.Account(ctx, schoolID, accountID)
	if err != nil {
		return Viewer{}, fmt.Errorf("load account: %w", err)
	}
	v := Viewer{SchoolID: schoolID, Account: acc}
	switch acc.Role {
	case school.RolePupil:
		v.pupils = []school.ID{acc.PersonID}
	case school.RoleParent:
		v.pupils = slices.Clone(acc.PupilIDs)
	case school.RoleStaff:
		ids, err := st.PupilsTaughtBy(ctx, schoolID, acc.PersonID)
		if err != nil {
			return Viewer{}, fmt.Errorf("load pupils of staff: %w", err)
		}
		v.pupils = ids
	}
	slices.Sort(v.pupils)
	v.pupils = slices.Compact(v.pupils)
	return v, nil
}

// NewViewer builds a Viewer from known parts, for tests and callers that
// resolved the pupils themselves.
func NewViewer(schoolID school.ID, acc school.Account, pupils []school.ID) Viewer {
	p := slices.Clone(pupils)
	slices.Sort(p)
	return Viewer{SchoolID: schoolID, Account: acc, pupils: slices.Compact(p)}
}

// Pupils are the ids of the pupils the viewer may read, ascending. The
// slice must not be changed.
func (v Viewer) Pupils() []school.ID { return v.pupils }

// CanReadPupil reports whether the viewer may read the pupil with this id.
func (v Viewer) CanReadPupil(id school.ID) bool {
	_, ok := slices.BinarySearch(v.pupils, id)
	return ok
}

// Narrow returns the readable pupils among ids; with no ids, all of them.
// ok is false when an id was asked that the viewer may not read.
func (v Viewer) Narrow(ids []school.ID) (out []school.ID, ok bool) {
	if len(ids) == 0 {
		return v.pupils, true
	}
	for _, id := range ids {
		if !v.CanReadPupil(id) {
			return nil, false
		}
	}
	out = slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out), true
}

// Operations are the operations the viewer has on an entity of the given
// API type. Everything a viewer can reach today is read-only for it.
func (v Viewer) Operations(apiType string) []string {
	return readOnly
}

var readOnly = []string{"READ"}

// Permission is one entry of an entity's permissions array.
type Permission struct {
	Full       string   `json:"full"`
	Type       string   `json:"type"`
	Operations []string `json:"operations"`
	Instances  []string `json:"instances"`
}

// Permissions builds the permissions array of one entity as the viewer
// holds it: "TYPE:OPS:INSTANCE(id)".
func (v Viewer) Permissions(apiType string, id school.ID) []Permission {
	ops := v.Operations(apiType)
	prefix := apiType + ":" + joinOps(ops) + ":"
	full := prefix + "INSTANCE(" + strconv.FormatInt(int64(id), 10) + ")"
	// The instance is the tail of the full text: one string, not two.
	inst := full[len(prefix):]
	return []Permission{{Full: full, Type: apiType, Operations: ops, Instances: []string{inst}}}
}

func joinOps(ops []string) string {
	n := 0
	for _, o := range ops {
		n += len(o) + 1
	}
	b := make([]byte, 0, n)
	for i, o := range ops {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, o...)
	}
	return string(b)
}
