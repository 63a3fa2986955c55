package demo

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// smallSeed is a seeded world small enough for tests, with a history year
// and a class of every year of every track in each school.
var smallSeed = SeedOptions{Seed: testSeed, Now: testNow, Schools: 2, Pupils: 420, Years: 2}

var small struct {
	once  sync.Once
	world *school.World
	parts []Part
}

// smallWorld is smallSeed's world, made once for all tests, which must
// not change it.
func smallWorld(t testing.TB) (*school.World, []Part) {
	small.once.Do(func() { small.world, small.parts = seeded(t, smallSeed) })
	if small.world == nil {
		t.Fatal("the small world failed in an earlier test")
	}
	return small.world, small.parts
}

// seeded collects a seeded world in memory, with its parts.
func seeded(t testing.TB, o SeedOptions) (*school.World, []Part) {
	t.Helper()
	w := &school.World{}
	var parts []Part
	err := Seed(context.Background(), o, func(p Part) error {
		parts = append(parts, p)
		add(w, p.World)
		return nil
	})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return w, parts
}

// add appends every list of part to w.
func add(w, part *school.World) {
	dst, src := reflect.ValueOf(w).Elem(), reflect.ValueOf(part).Elem()
	for i := range dst.NumField() {
		if dst.Field(i).Kind() == reflect.Slice {
			dst.Field(i).Set(reflect.AppendSlice(dst.Field(i), src.Field(i)))
		}
	}
}

func TestSeedValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*SeedOptions)
		want string // "" for valid
	}{
		{"small", func(*SeedOptions) {}, ""},
		{"largest", func(o *SeedOptions) {
			o.Schools, o.Pupils, o.Years = MaxSeedSchools, MaxSeedPupils, MaxSeedYears
		}, ""},
		{"no schools", func(o *SeedOptions) { o.Schools = 0 }, "schools: want 1 to 300, got 0"},
		{"too many schools", func(o *SeedOptions) { o.Schools = 301 }, "schools"},
		{"no pupils", func(o *SeedOptions) { o.Pupils = -5 }, "pupils: want 1 to 5000, got -5"},
		{"too many pupils", func(o *SeedOptions) { o.Pupils = 5001 }, "pupils"},
		{"no years", func(o *SeedOptions) { o.Years = 0 }, "years: want 1 to 6, got 0"},
		{"too many years", func(o *SeedOptions) { o.Years = 7 }, "years"},
		{"no time", func(o *SeedOptions) { o.Now = time.Time{} }, "now"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := smallSeed
			tc.edit(&o)
			err := o.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want an error with %q", err, tc.want)
			}
			if err := Seed(context.Background(), o, nil); err == nil {
				t.Fatal("Seed ran with options Validate refuses")
			}
		})
	}
}

func TestSeedDeterministic(t *testing.T) {
	o := smallSeed
	o.Pupils = 60
	a, _ := seeded(t, o)
	b, _ := seeded(t, o)
	if worldHash(t, a) != worldHash(t, b) {
		t.Fatal("two worlds from the same options differ")
	}
	// Only the date of Now counts.
	late := o
	late.Now = testNow.Add(13 * time.Hour)
	if c, _ := seeded(t, late); worldHash(t, c) != worldHash(t, a) {
		t.Error("the world at another time of the same day differs")
	}
	other := o
	other.Seed++
	c, _ := seeded(t, other)
	if worldHash(t, c) == worldHash(t, a) {
		t.Fatal("another seed gives the same world")
	}
	if reflect.DeepEqual(pupilNames(a), pupilNames(c)) {
		t.Error("another seed gives the same pupil names")
	}
}

// TestSeedGrowsByAdding: a bigger world starts as the smaller one, so the
// schools of a small world are the first schools of a bigger one.
func TestSeedGrowsByAdding(t *testing.T) {
	one := smallSeed
	one.Schools = 1
	a, _ := seeded(t, one)
	b, _ := smallWorld(t)
	if !reflect.DeepEqual(a.Schools[0], b.Schools[0]) ||
		!reflect.DeepEqual(a.Accounts, b.Accounts[:len(a.Accounts)]) {
		t.Error("the first school differs between a world of one school and of two")
	}
}

func TestSeedParts(t *testing.T) {
	_, parts := smallWorld(t)
	if len(parts) != smallSeed.Parts() {
		t.Errorf("%d parts, Parts() says %d", len(parts), smallSeed.Parts())
	}
	last := map[int]int{}
	for i, p := range parts {
		if p.Last {
			if _, twice := last[p.School]; twice {
				t.Errorf("school %d has two last parts", p.School)
			}
			last[p.School] = i
			if p.Pupils != smallSeed.Pupils {
				t.Errorf("last part of school %d: %d pupils, want %d", p.School, p.Pupils,
					smallSeed.Pupils)
			}
		}
		if i > 0 && p.School < parts[i-1].School {
			t.Errorf("part %d of school %d after school %d", i, p.School, parts[i-1].School)
		}
	}
	for s := range smallSeed.Schools {
		i, ok := last[s]
		if !ok || (i+1 < len(parts) && parts[i+1].School == s) {
			t.Errorf("school %d: its last part is not its last (%v)", s, ok)
		}
	}
	if len(parts[0].World.Schools) != 1 || len(parts[0].World.Pupils) != smallSeed.Pupils {
		t.Errorf("first part: %d schools, %d pupils; want the school and all its pupils",
			len(parts[0].World.Schools), len(parts[0].World.Pupils))
	}
}

func TestSeedLayout(t *testing.T) {
	for _, pupils := range []int{1, 13, 14, 200, 1999, MaxSeedPupils} {
		plans := layout(pupils)
		sum := 0
		for _, c := range plans {
			sum += c.size
			if c.size < classSize*2/3 && pupils >= classSize {
				t.Errorf("%d pupils: a class of %d", pupils, c.size)
			}
		}
		if sum != pupils {
			t.Errorf("%d pupils: classes hold %d", pupils, sum)
		}
	}
	if got := len(classSlots); got != 15 {
		t.Errorf("%d years over the tracks, want 15 (4 mavo, 5 havo, 6 vwo)", got)
	}
}

func TestSeedLists(t *testing.T) {
	for name, list := range map[string][]string{"boys": seedBoyNames, "girls": seedGirlNames,
		"men": seedManNames, "women": seedWomanNames, "heads": schoolHeads,
		"tails": schoolTails} {
		seen := map[string]bool{}
		for _, n := range list {
			if seen[n] {
				t.Errorf("%s: %q twice", name, n)
			}
			seen[n] = true
		}
	}
	if stems := len(schoolHeads) * len(schoolTails); stems < MaxSeedSchools {
		t.Errorf("%d school names for up to %d schools", stems, MaxSeedSchools)
	}
	seen := map[string]bool{}
	for _, n := range seedLastNames {
		if seen[fullName(n)] {
			t.Errorf("last names: %q twice", fullName(n))
		}
		seen[fullName(n)] = true
	}
	// Every class has about the hours of a Dutch school week.
	for _, tr := range tracks {
		for level, sets := range tr.profiles {
			for _, set := range sets {
				halves := 0
				for _, l := range set {
					halves += l.halves
				}
				if halves < 2*22 || halves > 2*32 {
					t.Errorf("%d%s: %v hours a week", level+1, tr.name, float64(halves)/2)
				}
			}
		}
	}
}

// schoolOf maps the ids of w's schools to the school's index.
func schoolOf(w *school.World) map[school.ID]int {
	out := map[school.ID]int{}
	for i, s := range w.Schools {
		out[s.ID] = i
	}
	return out
}

func TestSeedPeople(t *testing.T) {
	w, _ := smallWorld(t)
	if len(w.Schools) != 2 || len(w.Pupils) != 2*smallSeed.Pupils {
		t.Fatalf("%d schools, %d pupils", len(w.Schools), len(w.Pupils))
	}
	tenants := map[string]bool{}
	for _, s := range w.Schools {
		if tenants[s.Tenant] || s.Name == "" || s.City == "" || len(s.Abbrev) != 3 {
			t.Errorf("school %+v", s)
		}
		tenants[s.Tenant] = true
	}
	pupils := map[school.ID]school.Pupil{}
	for _, p := range w.Pupils {
		pupils[p.ID] = p
	}
	roles := map[school.Role]int{}
	usernames := map[string]bool{}
	own := map[school.ID]int{} // pupil -> accounts of its own
	parents := map[school.ID]int{}
	for i, a := range w.Accounts {
		key := fmt.Sprint(a.SchoolID, "/", a.Username)
		if usernames[key] {
			t.Errorf("username %s twice", key)
		}
		usernames[key] = true
		roles[a.Role]++
		switch a.Role {
		case school.RolePupil:
			own[a.PersonID]++
		case school.RoleParent:
			for _, c := range a.PupilIDs {
				if pupils[c].SchoolID != a.SchoolID {
					t.Errorf("parent %s has a child %d outside its school", a.Username, c)
				}
				parents[c]++
			}
		}
		// Hashing is slow on purpose: check a few.
		if i%97 == 0 {
			if ok, err := passwd.Verify(a.PasswordHash, a.DemoPassword); !ok || err != nil {
				t.Errorf("account %s: hash does not verify (%v)", a.Username, err)
			}
		}
	}
	for _, p := range w.Pupils {
		if own[p.ID] != 1 || parents[p.ID] < 1 || parents[p.ID] > 2 {
			t.Errorf("pupil %d: %d accounts, %d parents", p.ID, own[p.ID], parents[p.ID])
		}
	}
	if roles[school.RoleAdmin] != 2 || roles[school.RoleStaff] < 2*10 {
		t.Errorf("roles %v: want an administrator and teachers in each school", roles)
	}
	// Some families have two children in the school.
	if families := roles[school.RoleParent]; families == 0 {
		t.Error("no parents")
	}
	shared := 0
	for _, a := range w.Accounts {
		if a.Role == school.RoleParent && len(a.PupilIDs) > 1 {
			shared++
		}
	}
	if shared == 0 {
		t.Error("no parent has two children in the school")
	}
}

func TestSeedIDs(t *testing.T) {
	w, _ := smallWorld(t)
	seen := map[school.ID]string{}
	check := func(what string, id school.ID) {
		if id < seedKindBase || id >= 1<<53 {
			t.Errorf("%s id %d out of range", what, id)
		}
		if other, ok := seen[id]; ok {
			t.Errorf("%s id %d is also a %s", what, id, other)
		}
		seen[id] = what
	}
	for _, p := range w.Pupils {
		check("pupil", p.ID)
	}
	for _, g := range w.Groups {
		check("group", g.ID)
	}
	for _, l := range w.Lessons {
		check("lesson", l.ID)
	}
	for _, g := range w.Grades {
		check("grade", g.ID)
	}
	for _, h := range w.Homework {
		check("homework", h.ID)
	}
	for _, o := range w.Observations {
		check("observation", o.ID)
	}
}
