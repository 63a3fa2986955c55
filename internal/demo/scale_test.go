package demo

import (
	"testing"

	"github.com/opensom/opensom/internal/school"
)

func generateScaled(t *testing.T, scale int) *school.World {
	t.Helper()
	w, err := Generate(Options{Seed: testSeed, Now: testNow, Scale: scale})
	if err != nil {
		t.Fatalf("Generate scale %d: %v", scale, err)
	}
	return w
}

// Scale 0 and 1 must be today's world to the byte: the same seed keeps
// giving the ids, names and passwords that READMEs and tests quote.
func TestScaleOneIsTheUsualWorld(t *testing.T) {
	usual := worldHash(t, generate(t, testSeed, testNow))
	for _, scale := range []int{0, 1} {
		if got := worldHash(t, generateScaled(t, scale)); got != usual {
			t.Fatalf("scale %d changed the world: %s, want %s", scale, got, usual)
		}
	}
}

func TestScaleTen(t *testing.T) {
	one, ten := generateScaled(t, 1), generateScaled(t, 10)

	perSchool := func(w *school.World) map[school.ID]int {
		n := map[school.ID]int{}
		for _, p := range w.Pupils {
			n[p.SchoolID]++
		}
		return n
	}
	n1, n10 := perSchool(one), perSchool(ten)
	if len(n1) != 2 || len(n10) != 2 {
		t.Fatalf("schools with pupils: %d and %d, want 2 and 2", len(n1), len(n10))
	}
	for id, n := range n1 {
		if n10[id] != 10*n {
			t.Errorf("school %d: %d pupils at scale 10, want 10x %d", id, n10[id], n)
		}
	}
	if got, want := len(ten.Accounts), 10*len(one.Accounts)-9*3; got != want {
		// Every pupil has an account; the parent, the staff and the
		// administrator account of the first school do not multiply.
		t.Errorf("accounts at scale 10: %d, want %d", got, want)
	}
	if len(ten.Lessons) != len(one.Lessons) {
		t.Errorf("lessons: %d at scale 10, want %d as at 1", len(ten.Lessons), len(one.Lessons))
	}
	// The family's pupils have a full year of grades and the others a few,
	// so grades grow by less than the pupils do.
	if len(ten.Grades) < 5*len(one.Grades) {
		t.Errorf("grades: %d at scale 10, want over 5x %d", len(ten.Grades), len(one.Grades))
	}

	s1, s10 := star(t, one), star(t, ten)
	if s1.ID != s10.ID || s1.Name != s10.Name ||
		one.Accounts[0].DemoPassword != ten.Accounts[0].DemoPassword {
		t.Errorf("star pupil differs: %+v at 1, %+v at 10", s1, s10)
	}
	// Every account of the usual world is there unchanged: the quoted
	// usernames and passwords work on a scaled world too.
	byName := map[string]school.Account{}
	for _, a := range ten.Accounts {
		byName[a.UUID] = a
	}
	for _, a := range one.Accounts {
		b := byName[a.UUID]
		if b.Username != a.Username || b.DemoPassword != a.DemoPassword || b.ID != a.ID {
			t.Errorf("account %s (%s) differs at scale 10: %s", a.Username, a.Role, b.Username)
		}
	}

	type login struct {
		school   school.ID
		username string
	}
	seen := map[login]bool{}
	for _, a := range ten.Accounts {
		key := login{a.SchoolID, a.Username}
		if seen[key] {
			t.Fatalf("username %s taken twice at scale 10", a.Username)
		}
		seen[key] = true
	}
}

func TestScaleOutOfRange(t *testing.T) {
	for _, scale := range []int{-1, MaxScale + 1} {
		if _, err := Generate(Options{Seed: testSeed, Now: testNow, Scale: scale}); err == nil {
			t.Errorf("scale %d: no error", scale)
		}
	}
}
