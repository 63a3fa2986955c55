package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// seedYear is one school year of a seeded school: the classes it had,
// their week templates, and what the lessons of one class must know of
// the others'.
type seedYear struct {
	s    *seedSchool
	back int // years before the current one
	year school.SchoolYear
	// days are the region's school days; plan splits them by period.
	days    []time.Time
	plan    yearPlan
	study   map[time.Time]bool // study days: every lesson is cancelled
	classes []*yearClass
	// weeks are the A and B week templates, busy the teachers' hours in
	// them, by teacher number.
	weeks [2][weekdays][]slot
	busy  [2][]grid
	// spare and subs hold the spare rooms and substitutes that moved
	// lessons have taken, so that no two lessons take one at once.
	spare map[roomAt]bool
	subs  map[teacherAt]bool
}

type roomAt struct {
	start int64
	room  string
}

type teacherAt struct {
	start   int64
	teacher int
}

// yearClass is a class as it was in one year.
type yearClass struct {
	c           *seedClass
	index       int    // in seedYear.classes, the class of its slots
	name, short string // "3havo-b", "3h"
	level       int
	loads       []lessonLoad
	teachers    []int // teacher number of each of loads
	// week[wt][day] are the class's own slots of the A or B week.
	week [2][weekdays][]slot
}

// Week types: A weeks are the odd ISO weeks.
const (
	weekA = 0
	weekB = 1
)

func weekType(day time.Time) int {
	_, wk := day.ISOWeek()
	return 1 - wk%2
}

// studyDays is the number of days a year on which the teachers meet and
// the pupils stay home.
const studyDays = 2

// plan lays out the year back years before the current one: its classes,
// who teaches them and the weeks of lessons.
//
// TODO: history follows today's pupils only: a past year has the classes
// of today's pupils a level lower, not the classes that have left the
// school since, so last year had no exam classes of its final years and
// its teachers taught fewer hours than this year's.
func (s *seedSchool) plan(back int) *seedYear {
	y := &seedYear{s: s, back: back, year: s.years[len(s.years)-1-back],
		spare: map[roomAt]bool{}, subs: map[teacherAt]bool{}, study: map[time.Time]bool{}}
	start := y.year.From.Year()
	y.days = s.region.SchoolDays(start)
	y.plan = planYear(start, back == 0, y.days)
	r := s.stream(purposeTimetable, uint64(back))
	// Not in the first or last two weeks.
	for len(y.study) < studyDays && len(y.days) > 40 {
		y.study[y.days[10+r.IntN(len(y.days)-20)]] = true
	}

	load := make([]int, len(s.teachers))
	for _, c := range s.classes {
		level := c.plan.slot.level - back
		if level < 1 {
			continue
		}
		t := c.plan.slot.track
		yc := &yearClass{c: c, index: len(y.classes), level: level,
			name:  fmt.Sprintf("%d%s-%c", level, t.name, 'a'+c.plan.section),
			short: fmt.Sprintf("%d%s", level, t.short), loads: c.plan.loads(back)}
		for _, l := range yc.loads {
			yc.teachers = append(yc.teachers, leastLoaded(s.bySubject[seedSubjectIndex(l.abbrev)], load))
			load[yc.teachers[len(yc.teachers)-1]] += l.hours(true)
		}
		y.classes = append(y.classes, yc)
	}
	for wt := range y.weeks {
		p := newPlanner(r, len(s.teachers))
		for _, yc := range y.classes {
			spec := classSpec{subjects: make([]subjectHours, len(yc.loads))}
			for i, l := range yc.loads {
				spec.subjects[i] = subjectHours{l.abbrev, l.hours(wt == weekA)}
			}
			p.placeClass(yc.index, spec, yc.teachers)
		}
		y.weeks[wt], y.busy[wt] = p.sorted(), p.teacherBusy
		for d, slots := range y.weeks[wt] {
			for _, sl := range slots {
				yc := y.classes[sl.class]
				yc.week[wt][d] = append(yc.week[wt][d], sl)
			}
		}
	}
	return y
}

// leastLoaded is the teacher of the list with the fewest hours so far,
// the first of them on a tie.
func leastLoaded(teachers, load []int) int {
	best := teachers[0]
	for _, t := range teachers[1:] {
		if load[t] < load[best] {
			best = t
		}
	}
	return best
}

// class makes one class's part of the year: its groups, lessons,
// homework, grades, absences and, in the current year, its messages.
func (y *seedYear) class(ci int) *school.World {
	s, yc := y.s, y.classes[ci]
	part := &school.World{}
	members := make([]school.ID, len(yc.c.pupils))
	for i, p := range yc.c.pupils {
		members[i] = p.ID
	}
	group := func(name string, subject school.ID) school.Group {
		id := s.id(kindGroup)
		return school.Group{ID: id, SchoolID: s.school.ID, YearID: y.year.ID, UUID: s.uuid(id),
			Name: name, SubjectID: subject, PupilIDs: members}
	}
	part.Groups = append(part.Groups, group(yc.name, 0))
	lgs := make([]school.Group, len(yc.loads))
	for si, l := range yc.loads {
		sub := s.subjects[seedSubjectIndex(l.abbrev)]
		lgs[si] = group(fmt.Sprintf("%s-%s%d", yc.short, l.abbrev, yc.c.plan.section+1), sub.ID)
	}
	part.Groups = append(part.Groups, lgs...)

	bySubject := y.lessons(part, yc, lgs)
	y.homework(part, yc, lgs, bySubject)
	y.grades(part, yc, bySubject)
	y.absences(part, yc)
	if y.back == 0 {
		y.messages(part, yc)
	}
	return part
}

// Shares of lessons, per thousand, that are cancelled, moved to a spare
// room, or given by another teacher.
const (
	cancelPerMille  = 15
	movePerMille    = 10
	replacePerMille = 15
)

// lessons makes the class's lessons of the year from its A and B weeks,
// cancels a few, moves a few and has a few taught by a substitute, and
// returns them per subject, in time order.
func (y *seedYear) lessons(part *school.World, yc *yearClass,
	lgs []school.Group) [][]school.Lesson {
	s := y.s
	r := s.stream(purposeLessons, uint64(y.back), uint64(yc.index))
	bySubject := make([][]school.Lesson, len(yc.loads))
	for _, day := range y.days {
		wt, wd := weekType(day), (int(day.Weekday())+6)%7
		for _, sl := range yc.week[wt][wd] {
			t := s.teachers[yc.teachers[sl.subject]]
			l := lessonAt(day, sl.hour, lgs[sl.subject], t)
			l.ID, l.SchoolID, l.BranchID = s.id(kindLesson), s.school.ID, s.branch.ID
			x := r.IntN(1000)
			switch {
			case y.study[day] || x < cancelPerMille:
				l.Status = school.StatusCancelled
			case x < cancelPerMille+movePerMille:
				y.move(r, &l)
			case x < cancelPerMille+movePerMille+replacePerMille:
				y.replace(r, &l, lgs[sl.subject], wt, wd, sl.hour, yc.teachers[sl.subject])
			}
			part.Lessons = append(part.Lessons, l)
			bySubject[sl.subject] = append(bySubject[sl.subject], l)
		}
	}
	return bySubject
}

// move moves a lesson to a spare room that no other lesson has taken at
// that time; when all are taken, it stays.
func (y *seedYear) move(r *rand.Rand, l *school.Lesson) {
	first := r.IntN(len(spareRooms))
	for k := range spareRooms {
		key := roomAt{l.Start.UnixMilli(), spareRooms[(first+k)%len(spareRooms)]}
		if !y.spare[key] {
			y.spare[key] = true
			moveLesson(l, key.room)
			return
		}
	}
}

// replace has a teacher who is free in that hour of the week template, and
// not yet standing in elsewhere, teach the lesson instead.
func (y *seedYear) replace(r *rand.Rand, l *school.Lesson, lg school.Group, wt, wd, hour,
	own int) {
	teachers := y.s.teachers
	first := r.IntN(len(teachers))
	for k := range teachers {
		t := (first + k) % len(teachers)
		key := teacherAt{l.Start.UnixMilli(), t}
		if t == own || y.busy[wt][t][wd][hour] || y.subs[key] {
			continue
		}
		y.subs[key] = true
		sub := teachers[t].staff
		l.StaffIDs = []school.ID{sub.ID}
		l.Title = title(l.Location, lg.Name, sub.Abbrev)
		return
	}
}

// homework gives each lesson group of the class a study guide with the
// demo's pattern of homework, tests and tasks.
func (y *seedYear) homework(part *school.World, yc *yearClass, lgs []school.Group,
	bySubject [][]school.Lesson) {
	s := y.s
	r := s.stream(purposeHomework, uint64(y.back), uint64(yc.index))
	for si, lg := range lgs {
		sub := s.subjects[seedSubjectIndex(yc.loads[si].abbrev)]
		guide := school.StudyGuide{ID: s.id(kindGuide), SchoolID: s.school.ID, GroupID: lg.ID,
			Name: fmt.Sprintf("%s %s", sub.Name, lg.Name)}
		guide.UUID = s.uuid(guide.ID)
		part.StudyGuides = append(part.StudyGuides, guide)
		add := guideAdder(guide, y.year.ID, s.id, &part.Homework)
		lessonHomework(r, bySubject[si], add)
		weekTasks(y.year, sub.Abbrev, add)
	}
}

// messages: the class's mentor, who teaches its first subject, writes to
// its pupils and their parents now and then.
func (y *seedYear) messages(part *school.World, yc *yearClass) {
	s := y.s
	r := s.stream(purposeMessages, uint64(yc.index))
	var to []school.ID
	seen := map[school.ID]bool{}
	for _, p := range yc.c.pupils {
		for _, a := range append([]school.ID{s.accountOf[p.ID]}, s.parentsOf[p.ID]...) {
			if !seen[a] {
				seen[a] = true
				to = append(to, a)
			}
		}
	}
	past := y.pastDays()
	if len(past) == 0 {
		return
	}
	mentor := s.teachers[yc.teachers[0]].staff
	var sent []time.Time
	for range 2 {
		day := past[r.IntN(len(past))]
		sent = append(sent, day.Add(time.Duration(8*60+r.IntN(9*60))*time.Minute))
	}
	sort.Slice(sent, func(i, j int) bool { return sent[i].Before(sent[j]) })
	for _, at := range sent {
		subject := messageSubjects[r.IntN(len(messageSubjects))]
		part.Conversations = append(part.Conversations, school.Conversation{
			ID: s.id(kindConversation), SchoolID: s.school.ID, SenderID: mentor.ID,
			Subject: subject + " " + yc.name,
			Body: "<p>Beste leerlingen en ouders van " + yc.name + ", een bericht over: " +
				subject + ".</p>",
			Sent: at, Recipients: to,
		})
	}
}

// pastDays are the year's school days before today.
func (y *seedYear) pastDays() []time.Time {
	today := y.s.w.today
	n := sort.Search(len(y.days), func(i int) bool { return !y.days[i].Before(today) })
	return y.days[:n]
}
