package access

import (
	"context"
	"slices"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// fakeStore answers what Resolve asks; everything else panics.
type fakeStore struct {
	school.Store
	accounts map[school.ID]school.Account
	taught   []school.ID
	all      []school.ID
	switches []school.Switch
}

func (f fakeStore) Account(_ context.Context, _, id school.ID) (school.Account, error) {
	a, ok := f.accounts[id]
	if !ok {
		return school.Account{}, school.ErrNotFound
	}
	return a, nil
}

func (f fakeStore) PupilsTaughtBy(context.Context, school.ID, school.ID) ([]school.ID, error) {
	return f.taught, nil
}

func (f fakeStore) SchoolPupilIDs(context.Context, school.ID) ([]school.ID, error) {
	return f.all, nil
}

func (f fakeStore) Switches(context.Context, school.ID) (school.Switches, error) {
	return school.SwitchesOf(f.switches), nil
}

func TestResolveRoles(t *testing.T) {
	st := fakeStore{
		accounts: map[school.ID]school.Account{
			1: {ID: 1, Role: school.RolePupil, PersonID: 10},
			2: {ID: 2, Role: school.RoleParent, PupilIDs: []school.ID{11, 10}},
			3: {ID: 3, Role: school.RoleStaff, PersonID: 50},
			4: {ID: 4, Role: school.RoleAdmin, PersonID: 51},
		},
		taught:   []school.ID{11, 12},
		all:      []school.ID{10, 11, 12, 13},
		switches: []school.Switch{{Name: school.SwitchGrades, On: false}},
	}
	tests := []struct {
		name      string
		account   school.ID
		pupils    []school.ID
		grades    bool // may read grades of its own pupils
		tickOwn10 bool
		swiOps    []string
	}{
		{"pupil", 1, []school.ID{10}, false, true, []string{"READ", "UPDATE"}},
		{"parent", 2, []school.ID{10, 11}, false, false, []string{"READ"}},
		{"teacher", 3, []school.ID{11, 12}, true, false, []string{"READ"}},
		{"administrator", 4, []school.ID{10, 11, 12, 13}, true, false, []string{"READ"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Resolve(context.Background(), st, 1, tc.account)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(v.Pupils(), tc.pupils) {
				t.Fatalf("pupils %v, want %v", v.Pupils(), tc.pupils)
			}
			for _, p := range tc.pupils {
				if got := v.CanRead(p, school.SwitchGrades); got != tc.grades {
					t.Errorf("CanRead(%d, grades) = %v, want %v", p, got, tc.grades)
				}
				if !v.CanRead(p, school.SwitchHomework) {
					t.Errorf("CanRead(%d, homework) = false", p)
				}
			}
			if v.CanRead(99, "") {
				t.Error("reads a pupil outside its list")
			}
			if got := v.CanTickHomework(10); got != tc.tickOwn10 {
				t.Errorf("CanTickHomework(10) = %v, want %v", got, tc.tickOwn10)
			}
			perm := v.Permissions(TypeHomeworkDone, 7)
			if !slices.Equal(perm[0].Operations, tc.swiOps) {
				t.Errorf("operations %v, want %v", perm[0].Operations, tc.swiOps)
			}
		})
	}
	if _, err := Resolve(context.Background(), st, 1, 404); err == nil {
		t.Error("Resolve of an unknown account: no error")
	}
}
