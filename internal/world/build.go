package world

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opensom/opensom/internal/school"
)

// builder turns a decoded file into a world, one school at a time,
// reporting every problem at the line of the field it is about.
type builder struct {
	doc     *fileDoc
	d       *decoder
	probs   *problems
	today   time.Time
	ids     *ids
	w       *school.World
	tenants map[string]string // tenant -> path of its school
}

func newBuilder(doc *fileDoc, d *decoder, probs *problems, today time.Time) *builder {
	return &builder{doc: doc, d: d, probs: probs, today: today, ids: newIDs(),
		w: &school.World{}, tenants: map[string]string{}}
}

// errf records a problem with the field at path.
func (b *builder) errf(path, format string, args ...any) {
	b.probs.add(b.d.line(path), path, fmt.Sprintf(format, args...))
}

func (b *builder) build() *school.World {
	if b.doc.Version != 0 && b.doc.Version != 1 {
		b.errf("version", "version %d is not known: this opensom reads version 1", b.doc.Version)
	}
	if len(b.doc.Schools) == 0 {
		b.errf("schools", "want at least one school")
	}
	for i := range b.doc.Schools {
		if b.probs.full() {
			break
		}
		s := &schoolBuilder{b: b, doc: &b.doc.Schools[i], path: fmt.Sprintf("schools[%d]", i)}
		s.build()
	}
	return b.w
}

// entity gives an entity its id and UUID: those of the file, or derived
// from key. uuidField is "" for kinds without a UUID.
func (b *builder) entity(k kind, path string, id int64, uuidGiven, uuidField string,
	key ...string) (school.ID, string) {
	eid := school.ID(id)
	switch {
	case id < 0:
		b.errf(path+".id", "want a positive id, got %d", id)
	case id == 0:
		eid = derivedID(k, key...)
	}
	if other, ok := b.ids.claim(k, eid, path); !ok {
		field := path + ".id"
		if id == 0 {
			field = path
		}
		b.errf(field, "id %d is taken by %s", eid, other)
	}
	if uuidField == "" {
		return eid, ""
	}
	u := uuidGiven
	if u == "" {
		u = derivedUUID(k, key...)
	} else if p, err := uuid.Parse(u); err != nil || p.String() != strings.ToLower(u) {
		b.errf(path+"."+uuidField, "want a UUID such as 0b0c1e0a-...-..., got %q", u)
	} else {
		u = p.String()
	}
	if other, ok := b.ids.claimUUID(u, path); !ok {
		b.errf(path+"."+uuidField, "UUID %s is taken by %s", u, other)
	}
	return eid, u
}

// date reads a required date field.
func (b *builder) date(path, s string) (time.Time, bool) {
	if s == "" {
		b.errf(path, "required")
		return time.Time{}, false
	}
	t, err := parseDate(s, b.today)
	if err != nil {
		b.errf(path, "%v", err)
		return time.Time{}, false
	}
	return t, true
}

// dateTime reads a required date with an optional time of day.
func (b *builder) dateTime(path, s string, dflt clock) (time.Time, bool, bool) {
	if s == "" {
		b.errf(path, "required")
		return time.Time{}, false, false
	}
	t, hasTime, err := parseDateTime(s, b.today, dflt)
	if err != nil {
		b.errf(path, "%v", err)
		return time.Time{}, false, false
	}
	return t, hasTime, true
}

// groupInfo is a class or lesson group with what the file said of it.
type groupInfo struct {
	g     *school.Group
	doc   *groupDoc
	path  string
	class bool
	level int // 0 when unknown
	year  school.SchoolYear
}

// staffEntry is a staff member with its document.
type staffEntry struct {
	id   school.ID
	doc  *staffDoc
	path string
}

// pupilInfo is a pupil with its class.
type pupilInfo struct {
	p     *school.Pupil
	login login
	key   string
	path  string
	class *groupInfo
	// strayed is set when a class or group of the pupil was not found:
	// then "not in group" is no news.
	strayed bool
}

// schoolBuilder builds one school.
type schoolBuilder struct {
	b    *builder
	doc  *schoolDoc
	path string
	key  string // the tenant: every derived key of the school starts with it

	s        school.School
	branches map[string]school.Branch
	branch   school.Branch // the first: pupils and lessons default to it
	years    map[string]school.SchoolYear
	cur      school.SchoolYear // the year around today, else the latest
	hours    []school.LessonHour
	clocks   [][2]clock // begin and end of each hour
	holidays []school.Holiday

	subjects map[string]school.Subject
	staff    map[string]school.Staff
	// staffOrder is the staff in file order, for their accounts.
	staffOrder []staffEntry
	groups     map[string]*groupInfo
	order      []*groupInfo // in file order, for the world
	pupils     []*pupilInfo
	byNumber   map[int64]*pupilInfo
	byName     map[string][]*pupilInfo
	accounts   map[string]school.Account
	accOrder   []string

	lessons    []school.Lesson
	byDay      map[string][]int   // group id + date -> indexes in lessons
	titled     map[school.ID]bool // lessons whose title the file gave
	groupNames map[school.ID]string
	abbrevs    map[school.ID]string // staff id -> abbreviation
	reasons    map[string]school.AbsenceReason
}

func (s *schoolBuilder) errf(path, format string, args ...any) { s.b.errf(path, format, args...) }

func (s *schoolBuilder) build() {
	if !s.schoolItself() {
		return
	}
	s.calendar()
	s.subjectList()
	s.staffList()
	s.groupList()
	s.pupilList()
	s.accountList()
	s.timetable()
	s.grades()
	s.records()
	w := s.b.w
	for _, g := range s.order {
		slices.Sort(g.g.PupilIDs)
		w.Groups = append(w.Groups, *g.g)
	}
	for _, p := range s.pupils {
		w.Pupils = append(w.Pupils, *p.p)
	}
	for _, u := range s.accOrder {
		w.Accounts = append(w.Accounts, s.accounts[u])
	}
	w.Lessons = append(w.Lessons, s.lessons...)
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// schoolItself reads the school and its branches; false when the school
// cannot be told from another one, when reading on would only repeat that.
func (s *schoolBuilder) schoolItself() bool {
	d, p := s.doc, s.path
	if strings.TrimSpace(d.Name) == "" {
		s.errf(p+".name", "required")
	}
	tenant := d.Tenant
	if tenant == "" {
		tenant = nonAlnum.ReplaceAllString(strings.ToLower(d.Name), "")
	} else if tenant != nonAlnum.ReplaceAllString(strings.ToLower(tenant), "") {
		s.errf(p+".tenant", "want lower-case letters and digits only, got %q", tenant)
	}
	if other, ok := s.b.tenants[tenant]; ok {
		s.errf(p+".tenant", "tenant %q is taken by %s; give each school its own", tenant, other)
		return false
	}
	s.b.tenants[tenant] = p
	s.key = tenant
	abbrev := d.Abbrev
	if abbrev == "" {
		for _, w := range strings.Fields(d.Name) {
			abbrev += strings.ToUpper(w[:1])
		}
	}
	id, u := s.b.entity(kindSchool, p, d.ID, d.UUID, "uuid", s.key)
	s.s = school.School{ID: id, UUID: u, Name: d.Name, City: strings.ToUpper(d.City),
		Tenant: tenant, Abbrev: abbrev, PasswordGrantOff: d.PasswordGrant != nil && !*d.PasswordGrant}
	for i, o := range d.OIDC {
		op := fmt.Sprintf("%s.oidc[%d]", p, i)
		if o.URL == "" {
			s.errf(op+".url", "required")
		}
		s.s.OIDCURLs = append(s.s.OIDCURLs, school.OIDCURL{Description: o.Description,
			URL: o.URL, DomainHint: o.DomainHint})
	}
	s.b.w.Schools = append(s.b.w.Schools, s.s)

	s.branches = map[string]school.Branch{}
	branches := d.Branches
	if len(branches) == 0 {
		branches = []branchDoc{{Name: d.Name}}
	}
	for i, bd := range branches {
		bp := fmt.Sprintf("%s.branches[%d]", p, i)
		if bd.Name == "" && len(d.Branches) > 0 {
			s.errf(bp+".name", "required")
		}
		if _, ok := s.branches[bd.Name]; ok {
			s.errf(bp+".name", "branch %q is given twice", bd.Name)
		}
		id, u := s.b.entity(kindBranch, bp, bd.ID, bd.UUID, "uuid", s.key, bd.Name)
		br := school.Branch{ID: id, SchoolID: s.s.ID, UUID: u, Name: bd.Name}
		s.branches[bd.Name] = br
		if i == 0 {
			s.branch = br
		}
		s.b.w.Branches = append(s.b.w.Branches, br)
	}
	return true
}

// reasonsDefault are the absence reasons of a school that lists none, the
// demo schools' reasons.
var reasonsDefault = []reasonDoc{
	{Abbrev: "ZK", Description: "Ziek", Kind: "Absent", Authorised: true},
	{Abbrev: "TA", Description: "Tandarts of huisarts", Kind: "Absent", Authorised: true},
	{Abbrev: "FA", Description: "Familieomstandigheden", Kind: "Absent", Authorised: true},
	{Abbrev: "ON", Description: "Ongeoorloofd afwezig", Kind: "Absent"},
	{Abbrev: "TL", Description: "Te laat", Kind: "TeLaat"},
	{Abbrev: "VW", Description: "Verwijderd uit de les", Kind: "Verwijderd"},
}

func (s *schoolBuilder) subjectList() {
	s.subjects = map[string]school.Subject{}
	for i, sd := range s.doc.Subjects {
		p := fmt.Sprintf("%s.subjects[%d]", s.path, i)
		if sd.Abbrev == "" {
			s.errf(p+".abbrev", "required")
			continue
		}
		if _, ok := s.subjects[sd.Abbrev]; ok {
			s.errf(p+".abbrev", "subject %q is given twice", sd.Abbrev)
			continue
		}
		name := sd.Name
		if name == "" {
			name = sd.Abbrev
		}
		id, u := s.b.entity(kindSubject, p, sd.ID, sd.UUID, "uuid", s.key, sd.Abbrev)
		sub := school.Subject{ID: id, SchoolID: s.s.ID, UUID: u, Abbrev: sd.Abbrev, Name: name}
		s.subjects[sd.Abbrev] = sub
		s.b.w.Subjects = append(s.b.w.Subjects, sub)
	}
}

// gender checks a gender against the two the API writes, in the case it
// writes them in for this kind of person.
//
// TODO: a person whose gender the file leaves out is "Man": the API notes
// show no value for unknown, so a client sees every such pupil as a boy.
func (s *schoolBuilder) gender(path, g string, upper bool) string {
	out := "Man"
	switch strings.ToLower(g) {
	case "", "man":
	case "vrouw":
		out = "Vrouw"
	default:
		s.errf(path, "want Man or Vrouw, got %q", g)
	}
	if upper {
		return strings.ToUpper(out)
	}
	return out
}

func (s *schoolBuilder) staffList() {
	s.staff = map[string]school.Staff{}
	numbers := map[int64]bool{}
	for _, sd := range s.doc.Staff {
		numbers[sd.Number] = true
	}
	next := int64(1000)
	for i, sd := range s.doc.Staff {
		p := fmt.Sprintf("%s.staff[%d]", s.path, i)
		if sd.Abbrev == "" {
			s.errf(p+".abbrev", "required")
			continue
		}
		if _, ok := s.staff[sd.Abbrev]; ok {
			s.errf(p+".abbrev", "a staff member %q is given twice", sd.Abbrev)
			continue
		}
		if sd.Name.Last == "" && sd.Name.First == "" {
			s.errf(p+".name", "required")
		}
		number := sd.Number
		if number == 0 {
			for next++; numbers[next]; next++ {
			}
			number = next
		}
		initials := sd.Initials
		if initials == "" && sd.Name.First != "" {
			initials = strings.ToUpper(sd.Name.First[:1]) + "."
		}
		id, u := s.b.entity(kindStaff, p, sd.ID, sd.UUID, "uuid", s.key, sd.Abbrev)
		st := school.Staff{ID: id, SchoolID: s.s.ID, UUID: u, Number: number, Abbrev: sd.Abbrev,
			Name: sd.Name.name(), Initials: initials, Gender: s.gender(p+".gender", sd.Gender, true)}
		s.staff[sd.Abbrev] = st
		s.staffOrder = append(s.staffOrder, staffEntry{id: id, doc: &s.doc.Staff[i], path: p})
		s.b.w.Staff = append(s.b.w.Staff, st)
	}
}

func (n nameDoc) name() school.Name {
	return school.Name{First: n.First, Prefix: n.Prefix, Last: n.Last}
}

// leadingLevel is the number a group's name starts with ("4havo-a" is 4),
// or 0.
func leadingLevel(name string) int {
	i := 0
	for i < len(name) && name[i] >= '0' && name[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(name[:i])
	return n
}

func (s *schoolBuilder) groupList() {
	s.groups = map[string]*groupInfo{}
	for i := range s.doc.Classes {
		s.group(&s.doc.Classes[i], fmt.Sprintf("%s.classes[%d]", s.path, i), true)
	}
	for i := range s.doc.Groups {
		s.group(&s.doc.Groups[i], fmt.Sprintf("%s.groups[%d]", s.path, i), false)
	}
}

// group reads one class or lesson group.
//
// TODO: group names are unique within a school, not within a year, so a
// world of several years cannot have a class "4havo-a" in each; such a
// file must name them apart ("4havo-a-2024"). Nor is it checked that a
// lesson group's classes are of its own year.
func (s *schoolBuilder) group(gd *groupDoc, p string, class bool) {
	if gd.Name == "" {
		s.errf(p+".name", "required")
		return
	}
	if other, ok := s.groups[gd.Name]; ok {
		s.errf(p+".name", "a group %q is already given at %s", gd.Name, other.path)
		return
	}
	gi := &groupInfo{doc: gd, path: p, class: class, level: gd.Level, year: s.cur}
	if gd.Level == 0 {
		gi.level = leadingLevel(gd.Name)
	} else if gd.Level < 0 || gd.Level > 12 {
		s.errf(p+".level", "want 1 to 12, got %d", gd.Level)
	}
	if gd.Year != "" {
		y, ok := s.years[gd.Year]
		if !ok {
			s.errf(p+".year", "no school year %q", gd.Year)
		}
		gi.year = y
	}
	var subjectID school.ID
	switch {
	case class && gd.Subject != "":
		s.errf(p+".subject", "a class has no subject; lesson groups (under groups) have one")
	case class && len(gd.Classes) > 0:
		s.errf(p+".classes", "a class cannot hold classes; lesson groups (under groups) can")
	case !class && gd.Subject == "":
		s.errf(p+".subject", "required for a lesson group")
	case !class:
		sub, ok := s.subjects[gd.Subject]
		if !ok {
			s.errf(p+".subject", "no subject %q", gd.Subject)
		}
		subjectID = sub.ID
	}
	id, u := s.b.entity(kindGroup, p, gd.ID, gd.UUID, "uuid", s.key, gd.Name)
	gi.g = &school.Group{ID: id, SchoolID: s.s.ID, YearID: gi.year.ID, UUID: u, Name: gd.Name,
		SubjectID: subjectID}
	s.groups[gd.Name] = gi
	s.order = append(s.order, gi)
}

// join adds a pupil to a group once.
func (gi *groupInfo) join(id school.ID) {
	if !slices.Contains(gi.g.PupilIDs, id) {
		gi.g.PupilIDs = append(gi.g.PupilIDs, id)
	}
}

// pupilList reads the pupils, then fills lesson groups from their classes.
//
// TODO: a pupil without a number gets the next free one from 1001 in file
// order, so a pupil inserted above others shifts their numbers and so the
// usernames made from them (their ids stay: those derive from the name).
// Files whose usernames must hold still give numbers.
func (s *schoolBuilder) pupilList() {
	s.byNumber = map[int64]*pupilInfo{}
	s.byName = map[string][]*pupilInfo{}
	numbers := map[int64]bool{}
	for _, pd := range s.doc.Pupils {
		numbers[pd.Number] = true
	}
	next := int64(1000)
	for i := range s.doc.Pupils {
		pd := &s.doc.Pupils[i]
		p := fmt.Sprintf("%s.pupils[%d]", s.path, i)
		number := pd.Number
		key := pd.Name.String()
		switch {
		case number < 0:
			s.errf(p+".number", "want a positive number, got %d", number)
		case number == 0:
			for next++; numbers[next]; next++ {
			}
			number = next
		default:
			key = strconv.FormatInt(number, 10)
		}
		if other, ok := s.byNumber[number]; ok {
			s.errf(p+".number", "number %d is taken by %s", number, other.path)
			continue
		}
		if pd.Name.Last == "" && pd.Name.First == "" {
			s.errf(p+".name", "required")
		}
		s.pupil(pd, p, number, key)
	}
	// A lesson group's classes bring in all their pupils.
	for _, gi := range s.order {
		gd := gi.doc
		for k, c := range gd.Classes {
			cp := fmt.Sprintf("%s.classes[%d]", gi.path, k)
			if len(gd.Classes) == 1 {
				cp = gi.path + ".classes"
			}
			cl, ok := s.groups[c]
			if !ok || !cl.class {
				s.errf(cp, "no class %q", c)
				continue
			}
			for _, id := range cl.g.PupilIDs {
				gi.join(id)
			}
		}
	}
}

func (s *schoolBuilder) pupil(pd *pupilDoc, p string, number int64, key string) {
	id, u := s.b.entity(kindPupil, p, pd.ID, pd.UUID, "uuid", s.key, key)
	pi := &pupilInfo{key: key, path: p, login: pd.Login}
	br := s.branch
	if pd.Branch != "" {
		b, ok := s.branches[pd.Branch]
		if !ok {
			s.errf(p+".branch", "no branch %q", pd.Branch)
		}
		br = b
	}
	if pd.Class != "" {
		cl, ok := s.groups[pd.Class]
		switch {
		case !ok:
			s.errf(p+".class", "no group %q", pd.Class)
			pi.strayed = true
		case !cl.class:
			s.errf(p+".class", "%q is a lesson group, not a class; list it under groups", pd.Class)
			pi.strayed = true
		default:
			pi.class = cl
			cl.join(id)
		}
	}
	for k, g := range pd.Groups {
		gp := fmt.Sprintf("%s.groups[%d]", p, k)
		if len(pd.Groups) == 1 {
			gp = p + ".groups"
		}
		gi, ok := s.groups[g]
		if !ok {
			s.errf(gp, "no group %q", g)
			pi.strayed = true
			continue
		}
		gi.join(id)
	}
	level := 1
	if pi.class != nil && pi.class.level > 0 {
		level = pi.class.level
	}
	birth := school.Date(s.cur.From.Year()-11-level, time.October, 1)
	if pd.BirthDate != "" {
		if t, ok := s.b.date(p+".birthDate", pd.BirthDate); ok {
			birth = t
		}
	}
	email := pd.Email
	if email == "" {
		email = fmt.Sprintf("%d@leerling.%s.example", number, s.key)
	}
	photo := pd.PhotoToken
	if photo == "" {
		photo = hexSecret("photo", s.key, key)
	}
	pi.p = &school.Pupil{ID: id, SchoolID: s.s.ID, BranchID: br.ID, UUID: u, Number: number,
		Name: pd.Name.name(), Email: email, Mobile: pd.Mobile, BirthDate: birth,
		Gender: s.gender(p+".gender", pd.Gender, false), PhotoToken: photo}
	s.pupils = append(s.pupils, pi)
	s.byNumber[number] = pi
	s.byName[pd.Name.String()] = append(s.byName[pd.Name.String()], pi)
}

// pupilRef finds a pupil by number or by full name.
func (s *schoolBuilder) pupilRef(path, ref string) (*pupilInfo, bool) {
	if ref == "" {
		s.errf(path, "required")
		return nil, false
	}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if pi, ok := s.byNumber[n]; ok {
			return pi, true
		}
		s.errf(path, "no pupil with number %d", n)
		return nil, false
	}
	name := strings.Join(strings.Fields(ref), " ")
	switch list := s.byName[name]; len(list) {
	case 0:
		s.errf(path, "no pupil %q", ref)
		return nil, false
	case 1:
		return list[0], true
	default:
		s.errf(path, "%d pupils are called %q: name one by its number", len(list), ref)
		return nil, false
	}
}

// groupRef finds a class or lesson group by name.
func (s *schoolBuilder) groupRef(path, name string) (*groupInfo, bool) {
	if name == "" {
		s.errf(path, "required")
		return nil, false
	}
	gi, ok := s.groups[name]
	if !ok {
		s.errf(path, "no group %q", name)
	}
	return gi, ok
}

// staffRefs finds staff members by abbreviation.
func (s *schoolBuilder) staffRefs(path string, abbrevs strList) []school.ID {
	var out []school.ID
	for k, a := range abbrevs {
		p := path
		if len(abbrevs) > 1 {
			p = fmt.Sprintf("%s[%d]", path, k)
		}
		st, ok := s.staff[a]
		if !ok {
			s.errf(p, "no staff member %q", a)
			continue
		}
		out = append(out, st.ID)
	}
	return out
}
