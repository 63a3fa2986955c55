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
	// switches are the school's restricties; nil means all defaults.
	switches school.Switches
}

// Resolve loads the account and works out which pupils it may read: a
// pupil itself, a parent their children, a staff member the pupils of the
// groups they teach, a school administrator every pupil of the school. It
// loads the school's switches too, which close whole kinds of records.
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
	case school.RoleAdmin:
		ids, err := st.SchoolPupilIDs(ctx, schoolID)
		if err != nil {
			return Viewer{}, fmt.Errorf("load pupils of school: %w", err)
		}
		v.pupils = ids
	}
	sw, err := st.Switches(ctx, schoolID)
	if err != nil {
		return Viewer{}, fmt.Errorf("load switches: %w", err)
	}
	v.switches = sw
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

// WithSwitches returns the viewer under other school switches, for tests.
func (v Viewer) WithSwitches(sw school.Switches) Viewer {
	v.switches = sw
	return v
}

// Switches are the school's switches as they apply to this viewer.
func (v Viewer) Switches() school.Switches {
	if v.switches == nil {
		return school.SwitchesOf(nil)
	}
	return v.switches
}

// Allows reports whether the school's switch of that name is on. Staff
// and administrators are not bound by the switches of the pupil
// environment: those hide records from pupils and parents only.
func (v Viewer) Allows(switchName string) bool {
	if v.Account.Role == school.RoleStaff || v.Account.Role == school.RoleAdmin {
		return true
	}
	return v.Switches().On(switchName)
}

// CanRead reports whether the viewer may read the pupil's records of the
// kind a switch guards ("" for none).
func (v Viewer) CanRead(pupil school.ID, switchName string) bool {
	return v.CanReadPupil(pupil) && (switchName == "" || v.Allows(switchName))
}

// CanTickHomework reports whether the viewer may mark the pupil's
// homework done: only the pupil, as in the official pupil app.
func (v Viewer) CanTickHomework(pupil school.ID) bool {
	return v.Account.Role == school.RolePupil && v.Account.PersonID == pupil &&
		v.Allows(school.SwitchHomework)
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

// TypeHomeworkDone is the API type of a homework tick, the one entity a
// viewer may change.
const TypeHomeworkDone = "studiewijzer.RSWIGemaakt"

// Operations are the operations the viewer has on an entity of the given
// API type: a pupil may update their own homework ticks (the server lets
// only the pupil's own through, see CanTickHomework); everything else is
// read-only.
func (v Viewer) Operations(apiType string) []string {
	if apiType == TypeHomeworkDone && v.Account.Role == school.RolePupil &&
		v.Allows(school.SwitchHomework) {
		return readUpdate
	}
	return readOnly
}

var (
	readOnly   = []string{"READ"}
	readUpdate = []string{"READ", "UPDATE"}
)

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
