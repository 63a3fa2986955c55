package access

import (
	"testing"

	"github.com/opensom/opensom/internal/school"
)

func TestNarrow(t *testing.T) {
	v := NewViewer(1, school.Account{Role: school.RoleParent}, []school.ID{30, 10, 30})
	tests := []struct {
		name string
		ask  []school.ID
		want []school.ID
		ok   bool
	}{
		{"all", nil, []school.ID{10, 30}, true},
		{"one", []school.ID{30}, []school.ID{30}, true},
		{"other", []school.ID{20}, nil, false},
		{"mixed", []school.ID{10, 20}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := v.Narrow(tc.ask)
			if ok != tc.ok || len(got) != len(tc.want) {
				t.Fatalf("Narrow(%v) = %v, %v; want %v, %v", tc.ask, got, ok, tc.want, tc.ok)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Narrow(%v) = %v; want %v", tc.ask, got, tc.want)
				}
			}
		})
	}
}

func TestPermissions(t *testing.T) {
	v := NewViewer(1, school.Account{Role: school.RolePupil, PersonID: 1234}, []school.ID{1234})
	p := v.Permissions("leerling.RLeerlingPrimer", 1234)
	if len(p) != 1 {
		t.Fatalf("got %d permissions", len(p))
	}
	if p[0].Full != "leerling.RLeerlingPrimer:READ:INSTANCE(1234)" ||
		p[0].Type != "leerling.RLeerlingPrimer" ||
		len(p[0].Operations) != 1 || p[0].Operations[0] != "READ" ||
		len(p[0].Instances) != 1 || p[0].Instances[0] != "INSTANCE(1234)" {
		t.Fatalf("unexpected permission %+v", p[0])
	}
	if !v.CanReadPupil(1234) || v.CanReadPupil(1235) {
		t.Fatal("CanReadPupil disagrees with the pupil list")
	}
}
