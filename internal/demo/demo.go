// Package demo builds opensom's built-in demo world: two invented schools
// with pupils, teachers, a year of lessons, two years of grades and the
// accounts to log in with. Everything is derived from a seed and the
// server's date, so the same options give the very same world on every
// machine, and nothing in it belongs to a real school or person.
package demo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Options say which world to build.
type Options struct {
	Seed int64     // same seed (and same Now date) -> the very same world
	Now  time.Time // the server clock; the current school year is the one around it
	// Scale multiplies the pupils of every class, for load tests: 0 and 1
	// are the usual world, exactly; 10 has ten times the pupils (and their
	// accounts and grades), with the same star pupil, sibling and parent
	// first. Lessons, teachers and groups stay as they are.
	Scale int
}

// MaxScale bounds Scale: past it the name lists run out of unique names.
const MaxScale = 20

// scale is Scale with its zero value read as 1.
func (o Options) scale() int {
	return max(o.Scale, 1)
}

// Generate builds the built-in demo world in memory. It never reads the
// clock itself: the timetable covers the school year around o.Now, and
// grades are those entered before the local date of o.Now began, so that
// the world depends on the date only, not on the time of day.
func Generate(o Options) (*school.World, error) {
	if o.Now.IsZero() {
		return nil, errors.New("demo: options need a current time")
	}
	if o.Scale < 0 || o.Scale > MaxScale {
		return nil, fmt.Errorf("demo: scale %d: want 1 to %d", o.Scale, MaxScale)
	}
	w := &school.World{}
	today := school.DateOf(o.Now)
	for i, spec := range schoolSpecs {
		g := &schoolGen{opts: o, today: today, index: i, spec: spec, w: w}
		if err := g.build(); err != nil {
			return nil, fmt.Errorf("demo school %s: %w", spec.tenant, err)
		}
	}
	return w, nil
}

// kind is a kind of id. Every kind counts on its own, from its own base,
// and within it every school has its own block, so adding a pupil to one
// school renumbers neither another kind nor another school.
type kind int

const (
	kindSchool kind = iota + 1
	kindBranch
	kindYear
	kindSubject
	kindStaff
	kindGroup
	kindPupil
	kindAccount
	kindLesson
	kindGrade
	kindColumn
	kindCount
)

const (
	kindBase  = 1_000_000_000 // ids of kind k start at k*kindBase: ten digits or more
	schoolGap = 100_000_000   // each school's block within a kind
)

// purpose names an independent random stream, so that changing how one
// part of the world is drawn leaves the others as they were.
type purpose uint64

const (
	purposePeople purpose = iota + 1
	purposeTimetable
	purposeGrades
	purposePasswords
	purposeUUID
	purposePhoto
	purposeScale // the pupils a scaled world adds
)

// schoolGen builds one school into the world.
type schoolGen struct {
	opts   Options
	today  time.Time // local midnight of opts.Now: nothing later is entered
	index  int
	spec   schoolSpec
	w      *school.World
	counts [kindCount]int64

	school   school.School
	branch   school.Branch
	prev     school.SchoolYear
	cur      school.SchoolYear
	subjects []school.Subject // in subjectSpecs order
	// teachers[i] teaches subjects[i]; nil where no class takes it.
	teachers []*teacher
	classes  []*class
	used     names          // full names taken in this school
	parent   school.Name    // the family's parent, in the first school only
	more     map[kind]int64 // counts of the records' kinds (records.go)
}

// rng is the random stream of one purpose in this school.
func (g *schoolGen) rng(p purpose) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.opts.Seed), uint64(p)<<16|uint64(g.index)))
}

func (g *schoolGen) id(k kind) school.ID {
	g.counts[k]++
	return school.ID(int64(k)*kindBase + int64(g.index)*schoolGap + g.counts[k])
}

// uuid derives a version-4-shaped UUID from the seed and an id, so that it
// is as stable as the id itself.
func (g *schoolGen) uuid(id school.ID) string { return uuidOf(g.opts.Seed, id) }

func uuidOf(seed int64, id school.ID) string {
	b := secretOf(seed, id, purposeUUID)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (g *schoolGen) secret(id school.ID, p purpose) [16]byte { return secretOf(g.opts.Seed, id, p) }

// secretOf is 16 bytes drawn from the seed, an id and a purpose.
func secretOf(seed int64, id school.ID, p purpose) [16]byte {
	r := rand.NewPCG(uint64(seed)^uint64(p)*0x9e3779b97f4a7c15, uint64(id))
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], r.Uint64())
	binary.BigEndian.PutUint64(b[8:], r.Uint64())
	return b
}

func (g *schoolGen) build() error {
	g.used = names{}
	g.schoolAndYears()
	g.subjectList()
	g.people()
	g.timetable()
	g.grades()
	if err := g.accounts(); err != nil {
		return err
	}
	return g.records()
}

func (g *schoolGen) schoolAndYears() {
	s := g.spec
	g.school = school.School{
		ID: g.id(kindSchool), Name: s.name, City: s.city, Tenant: s.tenant,
		Abbrev: s.abbrev, OIDCURLs: s.oidc,
	}
	g.school.UUID = g.uuid(g.school.ID)
	g.branch = school.Branch{ID: g.id(kindBranch), SchoolID: g.school.ID, Name: s.name}
	g.branch.UUID = g.uuid(g.branch.ID)

	start := YearOf(g.today)
	g.prev = g.year(start - 1)
	g.cur = g.year(start)
	g.w.Schools = append(g.w.Schools, g.school)
	g.w.Branches = append(g.w.Branches, g.branch)
	g.w.Years = append(g.w.Years, g.prev, g.cur)
}

func (g *schoolGen) year(start int) school.SchoolYear {
	return school.SchoolYear{
		ID:       g.id(kindYear),
		SchoolID: g.school.ID,
		Name:     fmt.Sprintf("%d/%d", start, start+1),
		From:     school.Date(start, time.August, 1),
		To:       school.Date(start+1, time.July, 31),
	}
}

func (g *schoolGen) subjectList() {
	for _, sp := range subjectSpecs {
		s := school.Subject{
			ID: g.id(kindSubject), SchoolID: g.school.ID, Abbrev: sp.abbrev, Name: sp.name,
		}
		s.UUID = g.uuid(s.ID)
		g.subjects = append(g.subjects, s)
	}
	g.w.Subjects = append(g.w.Subjects, g.subjects...)
}

// subjectIndex is the position of abbrev in subjectSpecs.
func subjectIndex(abbrev string) int {
	for i, s := range subjectSpecs {
		if s.abbrev == abbrev {
			return i
		}
	}
	panic("demo: unknown subject " + abbrev)
}
