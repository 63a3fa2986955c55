package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// slot is one weekly lesson of a class.
type slot struct {
	day, hour int // day 0 is Monday; hour is a LessonHours number
	class     int // index in g.classes
	subject   int // index in the class's subjects
}

const weekdays = 5

// timetable repeats one weekly template on every school day of the current
// year, then cancels and moves a few lessons.
func (g *schoolGen) timetable() {
	r := g.rng(purposeTimetable)
	week := g.weekTemplate(r)
	var lessons []school.Lesson
	for _, day := range SchoolDays(g.cur.From.Year()) {
		wd := (int(day.Weekday()) + 6) % 7
		for _, s := range week[wd] {
			lessons = append(lessons, g.lesson(day, s))
		}
	}
	g.disturb(r, lessons)
	g.w.Lessons = append(g.w.Lessons, lessons...)
}

// dayHours is the number of hours in LessonHours.
const dayHours = 8

// grid marks the taken hours of a week, indexed by weekday and hour.
type grid [weekdays][dayHours + 1]bool

// planner fills the weekly template class by class, keeping track of
// which teacher is busy when.
type planner struct {
	r           *rand.Rand
	teacherBusy []grid // by teacher number
	week        [weekdays][]slot
}

func newPlanner(r *rand.Rand, teachers int) *planner {
	return &planner{r: r, teacherBusy: make([]grid, teachers)}
}

// weekTemplate places every class's weekly hours in the grid. Each day's
// slots come out by hour, then class.
func (g *schoolGen) weekTemplate(r *rand.Rand) [weekdays][]slot {
	// One teacher per subject: a subject's teacher number is its index.
	p := newPlanner(r, len(subjectSpecs))
	for ci, c := range g.classes {
		teacherOf := make([]int, len(c.spec.subjects))
		for si, sh := range c.spec.subjects {
			teacherOf[si] = subjectIndex(sh.abbrev)
		}
		p.placeClass(ci, c.spec, teacherOf)
	}
	return p.sorted()
}

// sorted is the week with each day's slots by hour, then class.
func (p *planner) sorted() [weekdays][]slot {
	for d := range p.week {
		sort.Slice(p.week[d], func(i, j int) bool {
			a, b := p.week[d][i], p.week[d][j]
			if a.hour != b.hour {
				return a.hour < b.hour
			}
			return a.class < b.class
		})
	}
	return p.week
}

// placeClass puts a class's lessons in the grid from the first hour of
// each day on, never putting a teacher in two classes at once and
// preferring each subject at most once a day. teacherOf[si] is the number
// of the teacher of the class's subject si.
func (p *planner) placeClass(ci int, cs classSpec, teacherOf []int) {
	var todo []int // indexes in cs.subjects, one per weekly lesson
	for i, sh := range cs.subjects {
		for range sh.hours {
			todo = append(todo, i)
		}
	}
	p.r.Shuffle(len(todo), func(i, j int) { todo[i], todo[j] = todo[j], todo[i] })
	var classBusy grid
	free := func(si, d, h int) bool {
		return !p.teacherBusy[teacherOf[si]][d][h]
	}
	place := func(k, d, h int) {
		si := todo[k]
		p.week[d] = append(p.week[d], slot{day: d, hour: h, class: ci, subject: si})
		p.teacherBusy[teacherOf[si]][d][h] = true
		classBusy[d][h] = true
		todo = append(todo[:k], todo[k+1:]...)
	}

	perDay := spread(len(todo), p.r)
	for d := range weekdays {
		seen := make([]bool, len(cs.subjects))
		for h, placed := 1, 0; h <= dayHours && placed < perDay[d]; h++ {
			k := find(todo, func(si int) bool { return free(si, d, h) && !seen[si] })
			if k < 0 {
				k = find(todo, func(si int) bool { return free(si, d, h) })
			}
			if k < 0 {
				continue // a free hour: no teacher of what is left is free
			}
			seen[todo[k]] = true
			place(k, d, h)
			placed++
		}
	}
	// What did not fit goes wherever class and teacher are both free.
	for d := range weekdays {
		for h := 1; h <= dayHours; h++ {
			if classBusy[d][h] {
				continue
			}
			if k := find(todo, func(si int) bool { return free(si, d, h) }); k >= 0 {
				place(k, d, h)
			}
		}
	}
}

// spread divides n lessons over the weekdays as evenly as possible, the
// longer days falling at random.
func spread(n int, r *rand.Rand) [weekdays]int {
	var per [weekdays]int
	for d := range per {
		per[d] = n / weekdays
	}
	for _, d := range r.Perm(weekdays)[:n%weekdays] {
		per[d]++
	}
	return per
}

func find(todo []int, ok func(int) bool) int {
	for k, si := range todo {
		if ok(si) {
			return k
		}
	}
	return -1
}

func (g *schoolGen) lesson(day time.Time, s slot) school.Lesson {
	c := g.classes[s.class]
	lg := c.lessonGroups[s.subject]
	t := g.teachers[subjectIndex(c.spec.subjects[s.subject].abbrev)]
	l := lessonAt(day, s.hour, lg, t)
	l.ID, l.SchoolID, l.BranchID = g.id(kindLesson), g.school.ID, g.branch.ID
	return l
}

// lessonAt is the lesson of a lesson group in hour of day, taught by t in
// t's room; its id, school and branch are the caller's to set.
func lessonAt(day time.Time, hour int, lg school.Group, t *teacher) school.Lesson {
	begin, end := LessonHours[hour-1].On(day)
	return school.Lesson{
		GroupID:   lg.ID,
		SubjectID: lg.SubjectID,
		StaffIDs:  []school.ID{t.staff.ID},
		Start:     begin,
		End:       end,
		BeginHour: hour,
		EndHour:   hour,
		Location:  t.room,
		Kind:      "Les",
		Title:     title(t.room, lg.Name, t.staff.Abbrev),
		Status:    school.StatusActive,
	}
}

func title(room, group, abbrev string) string {
	return fmt.Sprintf("%s - %s - %s", room, group, abbrev)
}

// disturb cancels a few lessons and moves a few to a spare room. Some of
// them lie around today, so that the demo's own week shows both.
func (g *schoolGen) disturb(r *rand.Rand, ls []school.Lesson) {
	const total, nearby = 12, 4
	from, to := g.today.AddDate(0, 0, -7), g.today.AddDate(0, 0, 14)
	var near []int
	for i, l := range ls {
		if !l.Start.Before(from) && l.Start.Before(to) {
			near = append(near, i)
		}
	}
	var picks []int
	chosen := map[int]bool{}
	for _, k := range r.Perm(len(near))[:min(nearby, len(near))] {
		picks = append(picks, near[k])
		chosen[near[k]] = true
	}
	for _, i := range r.Perm(len(ls)) {
		if len(picks) >= total {
			break
		}
		if !chosen[i] {
			picks = append(picks, i)
			chosen[i] = true
		}
	}
	for k, i := range picks {
		if k%2 == 0 {
			ls[i].Status = school.StatusCancelled
			continue
		}
		moveLesson(&ls[i], spareRooms[(k/2)%len(spareRooms)])
	}
}

// moveLesson moves a lesson to another room, and its title with it.
func moveLesson(l *school.Lesson, room string) {
	l.Title = strings.Replace(l.Title, l.Location+" - ", room+" - ", 1)
	l.Location = room
}
