package admin

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Homework under /_opensom/homework: POST adds an assignment to a lesson
// (afspraak), a day (dag) or a span of weeks (week) of a group.

type homeworkInput struct {
	LessonID    *school.ID `json:"lesson_id"`
	GroupID     *school.ID `json:"group_id"`
	Date        *string    `json:"date"`
	Week        *string    `json:"week"`
	UntilWeek   *string    `json:"until_week"`
	YearID      *school.ID `json:"year_id"`
	Topic       *string    `json:"topic"`
	Type        *string    `json:"type"`
	Description *string    `json:"description"`
	Order       *int       `json:"order"`
}

type homeworkOut struct {
	ID          school.ID `json:"id"`
	SchoolID    school.ID `json:"school_id"`
	Kind        string    `json:"kind"`
	GroupID     school.ID `json:"group_id"`
	LessonID    school.ID `json:"lesson_id"`
	GuideID     school.ID `json:"guide_id"`
	ItemID      school.ID `json:"item_id"`
	YearID      school.ID `json:"year_id"`
	Due         string    `json:"due"`
	ISOYear     int       `json:"iso_year"`
	WeekFrom    int       `json:"week_from"`
	WeekTo      int       `json:"week_to"`
	Topic       string    `json:"topic"`
	Type        string    `json:"type"`
	Description string    `json:"description"`
	Created     string    `json:"created"`
	Order       int       `json:"order"`
}

func (a *Admin) homework() resource[school.Homework, homeworkInput] {
	return resource[school.Homework, homeworkInput]{
		entity: school.EntityHomework, path: "homework",
		load: a.store.HomeworkItem,
		fill: a.fillHomework,
		put:  a.store.PutHomework,
		out: func(_ context.Context, h school.Homework) (any, error) {
			return homeworkOut{ID: h.ID, SchoolID: h.SchoolID, Kind: string(h.Kind),
				GroupID: h.GroupID, LessonID: h.LessonID, GuideID: h.GuideID, ItemID: h.ItemID,
				YearID: h.YearID, Due: timeOut(h.Due), ISOYear: h.ISOYear, WeekFrom: h.WeekFrom,
				WeekTo: h.WeekTo, Topic: h.Topic, Type: h.Type, Description: h.Description,
				Created: timeOut(h.Created), Order: h.Order}, nil
		},
		refs: refFields{school.EntityGroup: "group_id", school.EntityLesson: "lesson_id",
			school.EntityYear: "year_id"},
	}
}

// fillHomework applies an assignment's input. A new one is placed by
// exactly one of lesson_id, date (with group_id) or week (with group_id,
// and until_week for more than one); it gets the group's school year,
// topic "Huiswerk", type HUISWERK and order 1. Its placement cannot
// change afterwards.
func (a *Admin) fillHomework(ctx context.Context, h *school.Homework, in homeworkInput,
	isNew bool) error {
	if isNew {
		if err := a.placeHomework(ctx, h, in); err != nil {
			return err
		}
	} else if in.LessonID != nil || in.GroupID != nil || in.Date != nil || in.Week != nil ||
		in.UntilWeek != nil {
		return &fieldError{field: placementField(in),
			msg: "cannot change: delete the assignment and add a new one"}
	}
	if in.YearID != nil {
		h.YearID = *in.YearID
	}
	if err := text("topic", in.Topic, 200, optional, &h.Topic); err != nil {
		return err
	}
	if err := oneOf("type", in.Type, &h.Type, "HUISWERK", "TOETS", "GROTE_TOETS"); err != nil {
		return err
	}
	if err := text("description", in.Description, maxText, optional, &h.Description); err != nil {
		return err
	}
	return intIn("order", in.Order, 0, 1000, &h.Order)
}

// placementField is the first placement field the input sets.
func placementField(in homeworkInput) string {
	for _, f := range []struct {
		name string
		set  bool
	}{{"lesson_id", in.LessonID != nil}, {"group_id", in.GroupID != nil},
		{"date", in.Date != nil}, {"week", in.Week != nil}} {
		if f.set {
			return f.name
		}
	}
	return "until_week"
}

// placeHomework sets a new assignment's kind, group, due time and weeks.
func (a *Admin) placeHomework(ctx context.Context, h *school.Homework, in homeworkInput) error {
	n := 0
	for _, set := range []bool{in.LessonID != nil, in.Date != nil, in.Week != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return &fieldError{field: "lesson_id", msg: "give exactly one of lesson_id, date or week"}
	}
	if in.UntilWeek != nil && in.Week == nil {
		return &fieldError{field: "until_week", msg: "only with week"}
	}
	*h = school.Homework{Topic: "Huiswerk", Type: "HUISWERK", Order: 1,
		Created: a.clock.Now().In(school.Amsterdam).Truncate(time.Millisecond)}
	if in.LessonID != nil {
		return a.lessonHomework(ctx, h, in)
	}
	if in.GroupID == nil {
		return &fieldError{field: "group_id", msg: "required with date or week"}
	}
	if err := a.homeworkGroup(ctx, h, *in.GroupID); err != nil {
		return err
	}
	if in.Date != nil {
		d, err := parseDate("date", *in.Date)
		if err != nil {
			return err
		}
		h.Kind, h.Due = school.HomeworkDay, d
		h.ISOYear, h.WeekFrom = d.ISOWeek()
		h.WeekTo = h.WeekFrom
		return nil
	}
	return weekHomework(h, *in.Week, in.UntilWeek)
}

func (a *Admin) lessonHomework(ctx context.Context, h *school.Homework, in homeworkInput) error {
	if in.GroupID != nil {
		return &fieldError{field: "group_id", msg: "not with lesson_id: the lesson's group"}
	}
	sid, err := a.store.SchoolOf(ctx, school.EntityLesson, *in.LessonID)
	if err != nil {
		return unknown(err, "lesson_id", school.EntityLesson, *in.LessonID)
	}
	l, err := a.store.Lesson(ctx, sid, *in.LessonID)
	if err != nil {
		return err
	}
	if err := a.homeworkGroup(ctx, h, l.GroupID); err != nil {
		return err
	}
	h.Kind, h.LessonID, h.Due = school.HomeworkLesson, l.ID, l.Start
	h.ISOYear, h.WeekFrom = l.Start.ISOWeek()
	h.WeekTo = h.WeekFrom
	return nil
}

// homeworkGroup sets the group, its school and its year.
func (a *Admin) homeworkGroup(ctx context.Context, h *school.Homework, groupID school.ID) error {
	sid, err := a.store.SchoolOf(ctx, school.EntityGroup, groupID)
	if err != nil {
		return unknown(err, "group_id", school.EntityGroup, groupID)
	}
	g, err := a.store.Group(ctx, sid, groupID)
	if err != nil {
		return err
	}
	h.SchoolID, h.GroupID, h.YearID = sid, g.ID, g.YearID
	return nil
}

// weekHomework places an assignment on ISO weeks "2024-W10" to until.
func weekHomework(h *school.Homework, week string, until *string) error {
	y, w, monday, err := parseWeek("week", week)
	if err != nil {
		return err
	}
	h.Kind, h.Due, h.ISOYear, h.WeekFrom, h.WeekTo = school.HomeworkWeek, monday, y, w, w
	if until == nil {
		return nil
	}
	y2, w2, _, err := parseWeek("until_week", *until)
	if err != nil {
		return err
	}
	if y2 != y || w2 < w {
		return &fieldError{field: "until_week",
			msg: "want a week of the same ISO year, not before week"}
	}
	h.WeekTo = w2
	return nil
}

// parseWeek reads an ISO week "2024-W10" and its Monday.
func parseWeek(field, s string) (year, week int, monday time.Time, err error) {
	bad := &fieldError{field: field, msg: `want an ISO week such as "2024-W10"`}
	ys, ws, ok := strings.Cut(s, "-W")
	if !ok || len(ys) != 4 || len(ws) != 2 {
		return 0, 0, time.Time{}, bad
	}
	year, err1 := strconv.Atoi(ys)
	week, err2 := strconv.Atoi(ws)
	if err1 != nil || err2 != nil || year < 1900 || year > 2200 || week < 1 || week > 53 {
		return 0, 0, time.Time{}, bad
	}
	// 4 January is always in week 1.
	jan4 := school.Date(year, time.January, 4)
	monday = jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(week-1))
	if y, w := monday.ISOWeek(); y != year || w != week {
		return 0, 0, time.Time{}, &fieldError{field: field,
			msg: fmt.Sprintf("%d has no week %d", year, week)}
	}
	return year, week, monday, nil
}
