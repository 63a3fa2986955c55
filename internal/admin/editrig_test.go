package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
	"github.com/opensom/opensom/internal/store/storetest"
)

// The world of the editing tests: school A with class 3a (P1, P2), the
// Dutch lesson group of P1, teacher T, pupil P3 in no group, P1's grades,
// account and lessons; school B with a pupil, subject, group and lesson.
// The rig's clock stands at base, Monday 2025-03-10 10:00 in Amsterdam.
const (
	schA, schB         school.ID = 1001, 1002
	brA, brB           school.ID = 2001, 2002
	yrA, yrA0, yrB     school.ID = 3001, 3002, 3003
	subNL, subWI, subB school.ID = 4001, 4002, 4003
	teachT, teachB     school.ID = 5001, 5002
	grpClass, grpNL    school.ID = 6001, 6002
	grpB               school.ID = 6003
	pup1, pup2, pup3   school.ID = 7001, 7002, 7003
	pupB               school.ID = 7004
	accP1, accT        school.ID = 8001, 8002
	lesMon, lesTue     school.ID = 9001, 9002
	lesB               school.ID = 9003
	grade1, grade2     school.ID = 10001, 10002
	reasonZK, reasonTL school.ID = 13001, 13002
	reasonB            school.ID = 13003
	uuidSchA                     = "00000000-0000-4000-8000-00000000000a"
	editNowRFC                   = "2025-03-10T10:00:00+01:00"
	monday0830                   = "2025-03-10T08:30:00+01:00"
	unknownID          school.ID = 424242
)

func at(d, h, m int) time.Time { return time.Date(2025, 3, d, h, m, 0, 0, school.Amsterdam) }

func editWorld() *school.World {
	pupil := func(id, sid, br school.ID, nr int64, first string) school.Pupil {
		return school.Pupil{ID: id, SchoolID: sid, BranchID: br, UUID: "pu-" + first, Number: nr,
			Name: school.Name{First: first, Last: "Test"}, BirthDate: school.Date(2010, 1, 2),
			Gender: "Man", PhotoToken: "foto-" + first}
	}
	lesson := func(id, sid, br, grp, sub school.ID, start time.Time,
		staff ...school.ID) school.Lesson {
		return school.Lesson{ID: id, SchoolID: sid, BranchID: br, GroupID: grp, SubjectID: sub,
			StaffIDs: staff, Start: start, End: start.Add(50 * time.Minute), BeginHour: 1,
			EndHour: 1, Location: "A1", Kind: "Les", Title: "A1 - 3a - tes",
			Status: school.StatusActive}
	}
	grade := func(id school.ID, tenths int, entered time.Time) school.Grade {
		return school.Grade{ID: id, SchoolID: schA, PupilID: pup1, SubjectID: subNL,
			ColumnID: id + 100, Type: school.ColumnTest, Tenths: tenths, HasValue: true,
			Current: tenths, Entered: entered, Weight: 1, Period: 3, StudyYear: 3,
			Seq: int(id - grade1 + 1), ResitType: "Geen", InProgress: true}
	}
	return &school.World{
		Schools: []school.School{
			{ID: schA, UUID: uuidSchA, Name: "School A", City: "A", Tenant: "a", Abbrev: "A"},
			{ID: schB, UUID: "00000000-0000-4000-8000-00000000000b", Name: "School B", City: "B",
				Tenant: "b", Abbrev: "B"},
		},
		Branches: []school.Branch{{ID: brA, SchoolID: schA, UUID: "br-a", Name: "A"},
			{ID: brB, SchoolID: schB, UUID: "br-b", Name: "B"}},
		Years: []school.SchoolYear{
			{ID: yrA0, SchoolID: schA, Name: "2023/2024", From: school.Date(2023, 8, 1),
				To: school.Date(2024, 7, 31)},
			{ID: yrA, SchoolID: schA, Name: "2024/2025", From: school.Date(2024, 8, 1),
				To: school.Date(2025, 7, 31)},
			{ID: yrB, SchoolID: schB, Name: "2024/2025", From: school.Date(2024, 8, 1),
				To: school.Date(2025, 7, 31)},
		},
		Subjects: []school.Subject{
			{ID: subNL, SchoolID: schA, UUID: "vak-nl", Abbrev: "ne", Name: "Nederlands"},
			{ID: subWI, SchoolID: schA, UUID: "vak-wi", Abbrev: "wi", Name: "wiskunde"},
			{ID: subB, SchoolID: schB, UUID: "vak-b", Abbrev: "ak", Name: "aardrijkskunde"},
		},
		Staff: []school.Staff{
			{ID: teachT, SchoolID: schA, UUID: "st-t", Number: 1, Abbrev: "tes",
				Name: school.Name{First: "Teun", Last: "Test"}, Initials: "T.", Gender: "MAN"},
			{ID: teachB, SchoolID: schB, UUID: "st-b", Number: 2, Abbrev: "bbb",
				Name: school.Name{Last: "B"}, Gender: "VROUW"},
		},
		Pupils: []school.Pupil{pupil(pup1, schA, brA, 101, "Een"), pupil(pup2, schA, brA, 102, "Twee"),
			pupil(pup3, schA, brA, 103, "Drie"), pupil(pupB, schB, brB, 201, "Bee")},
		Groups: []school.Group{
			{ID: grpClass, SchoolID: schA, YearID: yrA, UUID: "gr-3a", Name: "3a",
				PupilIDs: []school.ID{pup1, pup2}},
			{ID: grpNL, SchoolID: schA, YearID: yrA, UUID: "gr-nl", Name: "3a-ne", SubjectID: subNL,
				PupilIDs: []school.ID{pup1}},
			{ID: grpB, SchoolID: schB, YearID: yrB, UUID: "gr-b", Name: "4b",
				PupilIDs: []school.ID{pupB}},
		},
		Accounts: []school.Account{
			{ID: accP1, SchoolID: schA, UUID: "ac-1", Username: "101", PasswordHash: "x",
				Role: school.RolePupil, PersonID: pup1},
			{ID: accT, SchoolID: schA, UUID: "ac-2", Username: "tes", PasswordHash: "x",
				Role: school.RoleStaff, PersonID: teachT},
		},
		Lessons: []school.Lesson{
			lesson(lesMon, schA, brA, grpNL, subNL, at(10, 8, 30), teachT),
			lesson(lesTue, schA, brA, grpClass, subWI, at(11, 9, 20), teachT),
			lesson(lesB, schB, brB, grpB, subB, at(10, 8, 30), teachB),
		},
		Grades: []school.Grade{grade(grade1, 65, at(3, 14, 0)), grade(grade2, 72, at(5, 11, 0))},
		AbsenceReasons: []school.AbsenceReason{
			{ID: reasonZK, SchoolID: schA, Abbrev: "ZK", Description: "Ziek", Kind: "Absent",
				Authorised: true},
			{ID: reasonTL, SchoolID: schA, Abbrev: "TL", Description: "Te laat", Kind: "TeLaat"},
			{ID: reasonB, SchoolID: schB, Abbrev: "ZK", Description: "Ziek", Kind: "Absent"},
		},
	}
}

// editRig is a rig whose store holds editWorld.
type editRig struct {
	*rig
	store school.Store
}

func newEditRig(t *testing.T, tune ...func(*admin.Options)) *editRig {
	t.Helper()
	st := sqltest.Open(t, nil)
	if err := st.Import(context.Background(), editWorld()); err != nil {
		t.Fatal(err)
	}
	rg := newRig(t, append([]func(*admin.Options){func(o *admin.Options) {
		o.Store = st
	}}, tune...)...)
	rg.src.set(at(10, 10, 0))
	return &editRig{rig: rg, store: st}
}

// state is what a refused call must leave as it was: the school data, the
// snapshots and the data version.
type state struct {
	world     *school.World
	snapshots []school.SnapshotInfo
	version   int64
}

func (er *editRig) state(t *testing.T) state {
	t.Helper()
	ctx := context.Background()
	w, err := er.store.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := er.store.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v, err := er.store.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return state{world: storetest.Normalize(w), snapshots: snaps, version: v}
}

// unchanged fails when the state differs from before.
func (er *editRig) unchanged(t *testing.T, before state) {
	t.Helper()
	after := er.state(t)
	if after.version != before.version {
		t.Errorf("data version moved %d -> %d", before.version, after.version)
	}
	if !reflect.DeepEqual(after.world, before.world) {
		t.Error("the school data changed")
	}
	if !reflect.DeepEqual(after.snapshots, before.snapshots) {
		t.Errorf("the snapshots changed: %+v -> %+v", before.snapshots, after.snapshots)
	}
}

// call calls the admin API, wants status and decodes into out (unless nil).
func (er *editRig) call(t *testing.T, method, path, body string, status int, out any) {
	t.Helper()
	er.adminJSON(t, method, path, body, status, out)
}

// refused wants an error answer of status naming field, and no change.
func (er *editRig) refused(t *testing.T, method, path, body string, status int, field string) {
	t.Helper()
	before := er.state(t)
	resp, b := er.admin(t, method, path, body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s %s: %d %s, want %d", method, path, body, resp.StatusCode, b, status)
	}
	var eb struct {
		Error string
		Field *string
	}
	if err := json.Unmarshal(b, &eb); err != nil || eb.Error == "" {
		t.Fatalf("not an admin error body: %s", b)
	}
	got := ""
	if eb.Field != nil {
		got = *eb.Field
	}
	if got != field {
		t.Fatalf("field %q, want %q: %s", got, field, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	er.unchanged(t, before)
}

// obj is a decoded JSON object.
type obj = map[string]any

func num(id school.ID) float64 { return float64(id) }

// created posts a new entity and returns it, wanting 201 and an id.
func (er *editRig) created(t *testing.T, path, body string) obj {
	t.Helper()
	var out obj
	er.call(t, "POST", path, body, http.StatusCreated, &out)
	if id, ok := out["id"].(float64); !ok || id < 1 {
		t.Fatalf("POST %s: no id in %v", path, out)
	}
	return out
}

// fields fails unless got has every key of want with that value.
func fields(t *testing.T, what string, got, want obj) {
	t.Helper()
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s: %s = %#v, want %#v", what, k, got[k], v)
		}
	}
}
