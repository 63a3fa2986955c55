package demo

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// seedSchool makes one school of a seeded world: first its people and the
// records of the school as a whole, then each year's classes one by one.
// It holds the school's people for the whole time (a few MB for the
// biggest school), and one class's lessons and grades at a time.
type seedSchool struct {
	w      *seedWorld
	index  int
	region Region
	counts map[kind]int64
	used   names // full names of pupils and staff

	school   school.School
	branch   school.Branch
	domain   string              // mail domain, under .example
	years    []school.SchoolYear // oldest first: the current year is the last
	subjects []school.Subject    // in seedSubjectSpecs order
	teachers []*teacher
	// bySubject lists the numbers of each subject's teachers, by index
	// in seedSubjectSpecs.
	bySubject [][]int
	classes   []*seedClass
	reasons   []school.AbsenceReason
	// accountOf is each pupil's account; parentsOf its parents' accounts.
	accountOf map[school.ID]school.ID
	parentsOf map[school.ID][]school.ID
	families  []*family
	pupils    int
}

// seedClass is a class of the current year with its pupils, who stay
// together through the years before: "4havo-b" was "3havo-b" last year.
type seedClass struct {
	plan   classPlan
	pupils []school.Pupil
	// ability is each pupil's usual grade, in tenths.
	ability []int
}

func newSeedSchool(w *seedWorld, index int) *seedSchool {
	return &seedSchool{w: w, index: index, counts: map[kind]int64{}, used: names{},
		accountOf: map[school.ID]school.ID{}, parentsOf: map[school.ID][]school.ID{}}
}

func (s *seedSchool) id(k kind) school.ID {
	s.counts[k]++
	return school.ID(int64(k)*seedKindBase + int64(s.index)*seedSchoolGap + s.counts[k])
}

func (s *seedSchool) uuid(id school.ID) string { return uuidOf(s.w.opts.Seed, id) }

// stream is the school's random stream of a purpose, for keys within it.
func (s *seedSchool) stream(p purpose, keys ...uint64) *rand.Rand {
	return s.w.stream(p, append([]uint64{uint64(s.index)}, keys...)...)
}

// generate emits the school's people, then its classes year by year.
func (s *seedSchool) generate(ctx context.Context, emit func(Part) error) error {
	part, err := s.people()
	if err != nil {
		return err
	}
	if err := emit(Part{World: part, School: s.index}); err != nil {
		return err
	}
	for back := len(s.years) - 1; back >= 0; back-- {
		y := s.plan(back)
		for ci := range y.classes {
			if err := ctx.Err(); err != nil {
				return err
			}
			p := Part{World: y.class(ci), School: s.index}
			if back == 0 && ci == len(y.classes)-1 {
				p.Last, p.Pupils = true, s.pupils
			}
			if err := emit(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// people makes the school's first part: the school, its years and
// subjects, teachers, pupils and parents with their accounts, and the
// school's calendar and absence reasons.
func (s *seedSchool) people() (*school.World, error) {
	part := &school.World{}
	s.identity(part)
	s.teacherList(part)
	s.pupilList(part)
	if err := s.accounts(part); err != nil {
		return nil, err
	}
	for _, y := range s.years {
		for _, h := range s.region.Holidays(y.From.Year()) {
			part.Holidays = append(part.Holidays, school.Holiday{ID: s.id(kindHoliday),
				SchoolID: s.school.ID, Name: h.Name, From: h.From, To: h.To})
		}
	}
	part.LessonHours = lessonHourRecords(s.school.ID)
	for _, rs := range absenceReasons {
		rs.ID, rs.SchoolID = s.id(kindReason), s.school.ID
		s.reasons = append(s.reasons, rs)
	}
	part.AbsenceReasons = s.reasons
	return part, nil
}

// identity names the school, places it in a town of a region and gives it
// its branch, years and subjects.
func (s *seedSchool) identity(part *school.World) {
	r := s.stream(purposeSchools)
	stem := s.w.stems[s.index]
	head, tail := schoolHeads[stem/len(schoolTails)], schoolTails[stem%len(schoolTails)]
	form := schoolForms[r.IntN(len(schoolForms))]
	city := seedCities[r.IntN(len(seedCities))]
	name := fmt.Sprintf(form.format, head+tail)
	tenant := strings.ToLower(head + tail)
	s.region = city.region
	s.domain = tenant + ".example"
	s.school = school.School{ID: s.id(kindSchool), Name: name, City: city.name,
		Tenant: tenant, Abbrev: head[:1] + strings.ToUpper(tail[:1]) + form.letter}
	s.school.UUID = s.uuid(s.school.ID)
	s.branch = school.Branch{ID: s.id(kindBranch), SchoolID: s.school.ID, Name: name}
	s.branch.UUID = s.uuid(s.branch.ID)
	part.Schools, part.Branches = []school.School{s.school}, []school.Branch{s.branch}

	current := YearOf(s.w.today)
	for start := current - s.w.opts.Years + 1; start <= current; start++ {
		y := school.SchoolYear{ID: s.id(kindYear), SchoolID: s.school.ID,
			Name: fmt.Sprintf("%d/%d", start, start+1),
			From: school.Date(start, time.August, 1), To: school.Date(start+1, time.July, 31)}
		s.years = append(s.years, y)
	}
	part.Years = s.years

	for _, sp := range seedSubjectSpecs {
		sub := school.Subject{ID: s.id(kindSubject), SchoolID: s.school.ID,
			Abbrev: sp.abbrev, Name: sp.name}
		sub.UUID = s.uuid(sub.ID)
		s.subjects = append(s.subjects, sub)
	}
	part.Subjects = s.subjects
}

// teachingHours is about what one teacher teaches a week, out of the 40
// hours of the grid: low enough that the planner finds room for every
// class.
const teachingHours = 20

// teacherList hires enough teachers for each subject's weekly hours in
// the current year, each with a room of the subject's kind.
func (s *seedSchool) teacherList(part *school.World) {
	r := s.stream(purposePeople, 0)
	hours := make([]int, len(seedSubjectSpecs))
	for _, c := range layout(s.w.opts.Pupils) {
		for _, l := range c.loads(0) {
			hours[seedSubjectIndex(l.abbrev)] += l.hours(true)
		}
	}
	taken := map[string]bool{}
	rooms := map[roomKind]int{}
	s.bySubject = make([][]int, len(seedSubjectSpecs))
	for si, sp := range seedSubjectSpecs {
		for range (hours[si] + teachingHours - 1) / teachingHours {
			gender := genders[r.IntN(2)]
			n := s.used.draw(r, gender, seedLastNames, school.Name{}, seedManNames,
				seedWomanNames, 50)
			st := s.staff(r, n, gender, taken)
			rooms[sp.room]++
			s.bySubject[si] = append(s.bySubject[si], len(s.teachers))
			s.teachers = append(s.teachers, &teacher{staff: st,
				room: roomName(sp.room, rooms[sp.room])})
			part.Staff = append(part.Staff, st)
		}
	}
}

func (s *seedSchool) staff(r *rand.Rand, n school.Name, gender string,
	taken map[string]bool) school.Staff {
	st := newStaff(r, n, gender, taken)
	st.ID = s.id(kindStaff)
	st.SchoolID, st.UUID = s.school.ID, s.uuid(st.ID)
	st.Number = int64(s.index+1)*10_000 + s.counts[kindStaff]
	return st
}

// loads are the class's subjects back years before the current one.
func (c classPlan) loads(back int) []lessonLoad {
	sets := c.slot.track.profiles[c.slot.level-back-1]
	return sets[c.section%len(sets)]
}

// siblingShare is the share of pupils, in percent, who have a brother or
// sister in an older year of the school.
const siblingShare = 12

// family is the parents of one or more pupils of the school.
type family struct {
	name     school.Name // the family name the children have
	children []school.ID
	parents  []school.Name
}

// pupilList fills the classes with pupils. Some are the brother or
// sister of a pupil elsewhere in the school and share the family and its
// parents.
func (s *seedSchool) pupilList(part *school.World) {
	r := s.stream(purposePeople, 1)
	fr := s.stream(purposeFamilies)
	type newcomer struct {
		name   school.Name
		gender string
		family *family
	}
	plans := layout(s.w.opts.Pupils)
	joining := make([][]newcomer, len(plans))
	// Names and families first, older classes first, so that a younger
	// child can join the family of an older one.
	for level := MaxSeedYears; level >= 1; level-- {
		for k, plan := range plans {
			if plan.slot.level != level {
				continue
			}
			for range plan.size {
				nc := newcomer{gender: genders[r.IntN(2)]}
				if len(s.families) > 0 && fr.IntN(100) < siblingShare {
					nc.family = s.families[fr.IntN(len(s.families))]
					nc.name = s.used.member(r, nc.gender, nc.family.name, seedBoyNames,
						seedGirlNames, 50)
				} else {
					nc.name = s.used.draw(r, nc.gender, seedLastNames, school.Name{},
						seedBoyNames, seedGirlNames, 50)
					nc.family = s.newFamily(fr, nc.name)
					s.families = append(s.families, nc.family)
				}
				joining[k] = append(joining[k], nc)
			}
		}
	}
	// Then the pupils, numbered class by class.
	start := s.years[len(s.years)-1].From.Year()
	for k, plan := range plans {
		c := &seedClass{plan: plan}
		for _, nc := range joining[k] {
			p := s.pupil(r, plan, nc.name, nc.gender, start)
			nc.family.children = append(nc.family.children, p.ID)
			c.pupils = append(c.pupils, p)
			c.ability = append(c.ability, 50+r.IntN(30))
		}
		s.classes = append(s.classes, c)
		part.Pupils = append(part.Pupils, c.pupils...)
		s.pupils += len(c.pupils)
	}
}

// newFamily is the family of a first child: one parent or two, the second
// sometimes with a family name of their own.
func (s *seedSchool) newFamily(r *rand.Rand, child school.Name) *family {
	f := &family{name: school.Name{Prefix: child.Prefix, Last: child.Last}}
	gender := genders[r.IntN(2)]
	first := f.name
	first.First = pick(r, gender, seedManNames, seedWomanNames)
	f.parents = append(f.parents, first)
	if r.IntN(10) < 7 {
		second := f.name
		if r.IntN(10) < 3 {
			second = seedLastNames[r.IntN(len(seedLastNames))]
		}
		second.First = pick(r, genders[1-indexOf(genders, gender)], seedManNames,
			seedWomanNames)
		f.parents = append(f.parents, second)
	}
	return f
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// pupil makes a pupil of a class of the current year, which starts in
// August of start.
func (s *seedSchool) pupil(r *rand.Rand, plan classPlan, n school.Name, gender string,
	start int) school.Pupil {
	id := s.id(kindPupil)
	number := int64(s.index+1)*100_000 + 10_000 + s.counts[kindPupil]
	token := secretOf(s.w.opts.Seed, id, purposePhoto)
	p := school.Pupil{ID: id, SchoolID: s.school.ID, BranchID: s.branch.ID, UUID: s.uuid(id),
		Number: number, Name: n, Email: fmt.Sprintf("%d@leerling.%s", number, s.domain),
		Gender: gender, PhotoToken: hex.EncodeToString(token[:])}
	pupilDetails(r, &p, plan.slot.level, start)
	return p
}

// accounts gives every pupil, parent and teacher an account, and the
// school an administrator: pupils first, by class, then parents, teachers
// and the administrator.
func (s *seedSchool) accounts(part *school.World) error {
	r := s.stream(purposePasswords)
	taken := map[string]bool{}
	var out []school.Account
	add := func(a school.Account) error {
		a.ID, a.SchoolID = s.id(kindAccount), s.school.ID
		a.UUID = s.uuid(a.ID)
		a.DemoPassword = password(r)
		hash, err := s.w.hashes.hash(s.w.opts.Seed, a.DemoPassword)
		if err != nil {
			return fmt.Errorf("hash password of %s: %w", a.Username, err)
		}
		a.PasswordHash = hash
		taken[a.Username] = true
		out = append(out, a)
		return nil
	}
	for _, c := range s.classes {
		for _, p := range c.pupils {
			err := add(school.Account{Role: school.RolePupil,
				Username: strconv.FormatInt(p.Number, 10), PersonID: p.ID})
			if err != nil {
				return err
			}
			s.accountOf[p.ID] = out[len(out)-1].ID
		}
	}
	for _, f := range s.families {
		for _, n := range f.parents {
			err := add(school.Account{Role: school.RoleParent, Username: username(n, taken),
				Name: n, PupilIDs: f.children})
			if err != nil {
				return err
			}
			for _, child := range f.children {
				s.parentsOf[child] = append(s.parentsOf[child], out[len(out)-1].ID)
			}
		}
	}
	for _, t := range s.teachers {
		err := add(school.Account{Role: school.RoleStaff, Username: username(t.staff.Name, taken),
			PersonID: t.staff.ID})
		if err != nil {
			return err
		}
	}
	admin := s.administrator(r)
	part.Staff = append(part.Staff, admin)
	err := add(school.Account{Role: school.RoleAdmin, Username: username(admin.Name, taken),
		PersonID: admin.ID})
	if err != nil {
		return err
	}
	part.Accounts = out
	return nil
}

// administrator is the staff member who runs the school's records.
func (s *seedSchool) administrator(r *rand.Rand) school.Staff {
	taken := map[string]bool{}
	for _, t := range s.teachers {
		taken[t.staff.Abbrev] = true
	}
	gender := genders[r.IntN(2)]
	n := s.used.draw(r, gender, seedLastNames, school.Name{}, seedManNames, seedWomanNames, 50)
	return s.staff(r, n, gender, taken)
}
