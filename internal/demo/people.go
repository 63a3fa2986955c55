package demo

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// teacher is a staff member with the room they teach in.
type teacher struct {
	staff school.Staff
	room  string
}

// class is a stamgroep of the current year with its pupils and its lesson
// groups, one per subject of its spec in the same order.
type class struct {
	spec         classSpec
	group        school.Group
	lessonGroups []school.Group
	pupils       []school.Pupil
}

// people draws the teachers, the pupils and their groups. In the first
// school the first pupil of the first class is the star pupil and the first
// pupil of the second class is the sibling; they share a family name that
// nobody else in the school has.
func (g *schoolGen) people() {
	r := g.rng(purposePeople)
	var family school.Name
	if g.index == 0 {
		family = lastNames[r.IntN(len(lastNames))]
	}
	g.teacherList(r, family)

	for ci, cs := range g.spec.classes {
		c := &class{spec: cs}
		for k := range cs.size {
			gender := genders[r.IntN(2)]
			var n school.Name
			if g.index == 0 && k == 0 && ci < 2 {
				n = g.used.familyMember(r, gender, family, boyNames, girlNames)
			} else {
				n = g.used.unique(r, gender, family, boyNames, girlNames)
			}
			c.pupils = append(c.pupils, g.pupil(r, cs, n, gender))
		}
		g.classes = append(g.classes, c)
		g.w.Pupils = append(g.w.Pupils, c.pupils...)
	}
	if g.index == 0 {
		g.parent = g.used.familyMember(r, genders[r.IntN(2)], family, manNames, womanNames)
	}
	g.extraPupils(family)
	g.groups()
}

// extraPupils grows every class to Scale times its size. They come last
// and from a stream of their own, so that every pupil, account and parent
// of the usual world stays as it is in a scaled one.
//
// TODO: scaling grows classes rather than adding classes, so a 10x world
// has classes of 160 and no more lessons or teachers than 1x; lesson
// queries are measured against 10x memberships only.
func (g *schoolGen) extraPupils(family school.Name) {
	r := g.rng(purposeScale)
	for _, c := range g.classes {
		for range c.spec.size * (g.opts.scale() - 1) {
			gender := genders[r.IntN(2)]
			n := g.used.unique(r, gender, family, boyNames, girlNames)
			p := g.pupil(r, c.spec, n, gender)
			c.pupils = append(c.pupils, p)
			g.w.Pupils = append(g.w.Pupils, p)
		}
	}
}

var genders = []string{"Man", "Vrouw"}

func (g *schoolGen) teacherList(r *rand.Rand, family school.Name) {
	taken := map[string]bool{}
	rooms := map[roomKind]int{}
	g.teachers = make([]*teacher, len(subjectSpecs))
	for i, sp := range subjectSpecs {
		if !g.teaches(sp.abbrev) {
			continue
		}
		gender := genders[r.IntN(2)]
		n := g.used.unique(r, gender, family, manNames, womanNames)
		st := newStaff(r, n, gender, taken)
		st.ID = g.id(kindStaff)
		st.SchoolID, st.UUID = g.school.ID, g.uuid(st.ID)
		st.Number = int64(g.index+1)*10_000 + g.counts[kindStaff]
		rooms[sp.room]++
		g.teachers[i] = &teacher{staff: st, room: roomName(sp.room, rooms[sp.room])}
		g.w.Staff = append(g.w.Staff, st)
	}
}

// newStaff is a staff member of that name and gender, with an afkorting
// not in taken and initials; id, school, uuid and number are the caller's.
func newStaff(r *rand.Rand, n school.Name, gender string, taken map[string]bool) school.Staff {
	st := school.Staff{Name: n, Gender: strings.ToUpper(gender)}
	st.Abbrev = abbrevFor(r, n, taken)
	st.Initials = initials(r, n)
	return st
}

// teaches reports whether any class of the school takes the subject.
func (g *schoolGen) teaches(abbrev string) bool {
	for _, c := range g.spec.classes {
		for _, s := range c.subjects {
			if s.abbrev == abbrev {
				return true
			}
		}
	}
	return false
}

func roomName(k roomKind, n int) string {
	switch k {
	case roomLab:
		return fmt.Sprintf("N%d", n)
	case roomGym:
		return fmt.Sprintf("G%d", n)
	}
	return fmt.Sprintf("A%d", 100+n)
}

// names are the full names taken in one school.
type names map[string]bool

// unique draws a name from lastNames that nobody in the school has yet,
// outside the family.
func (u names) unique(r *rand.Rand, gender string, family school.Name,
	men, women []string) school.Name {
	return u.draw(r, gender, lastNames, family, men, women, 0)
}

// draw draws a name from lasts, outside the family, that nobody in the
// school has yet, in at most tries draws (0: until one is found). The
// last of the tries is kept, taken or not, so that a crowded school still
// gets its names.
func (u names) draw(r *rand.Rand, gender string, lasts []school.Name, family school.Name,
	men, women []string, tries int) school.Name {
	for i := 1; ; i++ {
		n := lasts[r.IntN(len(lasts))]
		if n.Last == family.Last && i != tries {
			continue
		}
		n.First = pick(r, gender, men, women)
		if key := fullName(n); !u[key] || i == tries {
			u[key] = true
			return n
		}
	}
}

// familyMember draws a first name for someone of the family.
func (u names) familyMember(r *rand.Rand, gender string, family school.Name,
	men, women []string) school.Name {
	return u.member(r, gender, family, men, women, 0)
}

// member is familyMember in at most tries draws (0: until one is found),
// keeping the last try as draw does.
func (u names) member(r *rand.Rand, gender string, family school.Name,
	men, women []string, tries int) school.Name {
	for i := 1; ; i++ {
		n := family
		n.First = pick(r, gender, men, women)
		if key := fullName(n); !u[key] || i == tries {
			u[key] = true
			return n
		}
	}
}

func pick(r *rand.Rand, gender string, men, women []string) string {
	if gender == "Man" {
		return men[r.IntN(len(men))]
	}
	return women[r.IntN(len(women))]
}

func fullName(n school.Name) string {
	return strings.Join(strings.Fields(n.First+" "+n.Prefix+" "+n.Last), " ")
}

// abbrevFor makes a teacher's three-letter afkorting from the name: first
// initial, then letters of the family name, then random letters when all
// of those are taken.
func abbrevFor(r *rand.Rand, n school.Name, taken map[string]bool) string {
	f := strings.ToLower(n.First[:1])
	last := strings.ToLower(n.Last)
	for i := 1; i < len(last); i++ {
		a := f + last[:1] + last[i:i+1]
		if !taken[a] {
			taken[a] = true
			return a
		}
	}
	for {
		a := f + string(rune('a'+r.IntN(26))) + string(rune('a'+r.IntN(26)))
		if !taken[a] {
			taken[a] = true
			return a
		}
	}
}

// initials are the voorletters: the first name's, and sometimes a second
// given name's.
func initials(r *rand.Rand, n school.Name) string {
	s := n.First[:1] + "."
	if r.IntN(2) == 0 {
		s += string("ABCDEFGHJKLMNPRSTW"[r.IntN(18)]) + "."
	}
	return s
}

func (g *schoolGen) pupil(r *rand.Rand, cs classSpec, n school.Name, gender string) school.Pupil {
	id := g.id(kindPupil)
	number := int64(g.index+2)*100_000 + 3_000 + g.counts[kindPupil]
	// Born so that the pupil is 11 + level at the start of the year, the
	// usual age in Dutch secondary school.
	token := g.secret(id, purposePhoto)
	p := school.Pupil{
		ID:         id,
		SchoolID:   g.school.ID,
		BranchID:   g.branch.ID,
		UUID:       g.uuid(id),
		Number:     number,
		Name:       n,
		Email:      fmt.Sprintf("%d@leerling.%s", number, g.spec.domain),
		Gender:     gender,
		PhotoToken: hex.EncodeToString(token[:]),
	}
	pupilDetails(r, &p, cs.level, g.cur.From.Year())
	return p
}

// pupilDetails draws a pupil's birth date, so that it is 11 + level at
// the start of the school year from August of yearStart, the usual age in
// Dutch secondary school, and for half of them a mobile number.
func pupilDetails(r *rand.Rand, p *school.Pupil, level, yearStart int) {
	born := school.Date(yearStart-12-level, time.October, 1)
	p.BirthDate = born.AddDate(0, 0, r.IntN(365))
	// Numbers under 06-1 are not handed out, so no real phone rings.
	if r.IntN(2) == 0 {
		p.Mobile = fmt.Sprintf("06-0%07d", r.IntN(10_000_000))
	}
}

// groups makes each class's stamgroep and one lesson group per subject,
// named like the real ones ("4h-wisA1"), in the current year.
func (g *schoolGen) groups() {
	for _, c := range g.classes {
		ids := make([]school.ID, len(c.pupils))
		for i, p := range c.pupils {
			ids[i] = p.ID
		}
		c.group = g.group(c.spec.name, 0, ids)
		for _, sh := range c.spec.subjects {
			name := fmt.Sprintf("%s-%s%d", c.spec.short, sh.abbrev, c.spec.section)
			sub := g.subjects[subjectIndex(sh.abbrev)]
			c.lessonGroups = append(c.lessonGroups, g.group(name, sub.ID, ids))
		}
		g.w.Groups = append(g.w.Groups, c.group)
		g.w.Groups = append(g.w.Groups, c.lessonGroups...)
	}
}

func (g *schoolGen) group(name string, subjectID school.ID, pupils []school.ID) school.Group {
	id := g.id(kindGroup)
	return school.Group{
		ID: id, SchoolID: g.school.ID, YearID: g.cur.ID, UUID: g.uuid(id),
		Name: name, SubjectID: subjectID, PupilIDs: append([]school.ID(nil), pupils...),
	}
}
