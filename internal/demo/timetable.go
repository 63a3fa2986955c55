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

// weekTemplate places every class's weekly hours in the grid, from the
// first hour on, without putting a teacher in two classes at once and
// preferring a subject at most once a day. Each day's slots come out by
// hour, then class.
func (g *schoolGen) weekTemplate(r *rand.Rand) [weekdays][]slot {
	nh := len(LessonHours)
	teacherBusy := make([][weekdays][]bool, len(subjectSpecs))
	for i := range teacherBusy {
		for d := range weekdays {
			teacherBusy[i][d] = make([]bool, nh+1)
		}
	}
	var week [weekdays][]slot
	for ci, c := range g.classes {
		var todo []int
		for i, sh := range c.spec.subjects {
			for range sh.hours {
				todo = append(todo, i)
			}
		}
		r.Shuffle(len(todo), func(i, j int) { todo[i], todo[j] = todo[j], todo[i] })
		global := func(si int) int { return subjectIndex(c.spec.subjects[si].abbrev) }

		var classBusy [weekdays][]bool
		for d := range weekdays {
			classBusy[d] = make([]bool, nh+1)
		}
		place := func(k, d, h int) {
			si := todo[k]
			week[d] = append(week[d], slot{day: d, hour: h, class: ci, subject: si})
			teacherBusy[global(si)][d][h] = true
			classBusy[d][h] = true
			todo = append(todo[:k], todo[k+1:]...)
		}

		perDay := spread(len(todo), r)
		for d := range weekdays {
			seen := make([]int, len(c.spec.subjects))
			for h, placed := 1, 0; h <= nh && placed < perDay[d]; h++ {
				k := find(todo, func(si int) bool {
					return !teacherBusy[global(si)][d][h] && seen[si] == 0
				})
				if k < 0 {
					k = find(todo, func(si int) bool { return !teacherBusy[global(si)][d][h] })
				}
				if k < 0 {
					continue // a free hour: no teacher of what is left is free
				}
				seen[todo[k]]++
				place(k, d, h)
				placed++
			}
		}
		// What did not fit goes wherever class and teacher are both free.
		for d := range weekdays {
			for h := 1; h <= nh; h++ {
				if classBusy[d][h] {
					continue
				}
				if k := find(todo, func(si int) bool { return !teacherBusy[global(si)][d][h] }); k >= 0 {
					place(k, d, h)
				}
			}
		}
	}
	for d := range week {
		sort.Slice(week[d], func(i, j int) bool {
			a, b := week[d][i], week[d][j]
			if a.hour != b.hour {
				return a.hour < b.hour
			}
			return a.class < b.class
		})
	}
	return week
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
	begin, end := LessonHours[s.hour-1].On(day)
	return school.Lesson{
		ID:        g.id(kindLesson),
		SchoolID:  g.school.ID,
		BranchID:  g.branch.ID,
		GroupID:   lg.ID,
		SubjectID: lg.SubjectID,
		StaffIDs:  []school.ID{t.staff.ID},
		Start:     begin,
		End:       end,
		BeginHour: s.hour,
		EndHour:   s.hour,
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
// them lie around Now, so that the demo's own week shows both.
func (g *schoolGen) disturb(r *rand.Rand, ls []school.Lesson) {
	const total, nearby = 12, 4
	from, to := g.opts.Now.AddDate(0, 0, -7), g.opts.Now.AddDate(0, 0, 14)
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
		room := spareRooms[(k/2)%len(spareRooms)]
		ls[i].Title = strings.Replace(ls[i].Title, ls[i].Location+" - ", room+" - ", 1)
		ls[i].Location = room
	}
}
