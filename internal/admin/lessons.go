package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Lessons under /_opensom/lessons, and the day's changes to them: cancel,
// reinstate, move.

type lessonInput struct {
	BranchID  *school.ID   `json:"branch_id"`
	GroupID   *school.ID   `json:"group_id"`
	SubjectID *school.ID   `json:"subject_id"`
	StaffIDs  *[]school.ID `json:"staff_ids"`
	Start     *string      `json:"start"`
	End       *string      `json:"end"`
	BeginHour *int         `json:"begin_hour"`
	EndHour   *int         `json:"end_hour"`
	Location  *string      `json:"location"`
	Kind      *string      `json:"kind"`
	Title     *string      `json:"title"`
	Status    *string      `json:"status"`
}

type lessonOut struct {
	ID        school.ID   `json:"id"`
	SchoolID  school.ID   `json:"school_id"`
	BranchID  school.ID   `json:"branch_id"`
	GroupID   school.ID   `json:"group_id"`
	SubjectID school.ID   `json:"subject_id"`
	StaffIDs  []school.ID `json:"staff_ids"`
	Start     string      `json:"start"`
	End       string      `json:"end"`
	BeginHour int         `json:"begin_hour"`
	EndHour   int         `json:"end_hour"`
	Location  string      `json:"location"`
	Kind      string      `json:"kind"`
	Title     string      `json:"title"`
	Status    string      `json:"status"`
}

// lessonLength is a new lesson's length when only its start is given.
const lessonLength = 50 * time.Minute

// maxLesson bounds a lesson's length: an appointment of at most a day.
const maxLesson = 24 * time.Hour

func (a *Admin) lessons() resource[school.Lesson, lessonInput] {
	return resource[school.Lesson, lessonInput]{
		entity: school.EntityLesson, path: "lessons",
		load: a.store.Lesson,
		fill: a.fillLesson,
		put:  a.store.PutLesson,
		out: func(_ context.Context, l school.Lesson) (any, error) {
			return lessonOut{ID: l.ID, SchoolID: l.SchoolID, BranchID: l.BranchID,
				GroupID: l.GroupID, SubjectID: l.SubjectID, StaffIDs: ids(l.StaffIDs),
				Start: timeOut(l.Start), End: timeOut(l.End), BeginHour: l.BeginHour,
				EndHour: l.EndHour, Location: l.Location, Kind: l.Kind, Title: l.Title,
				Status: string(l.Status)}, nil
		},
		refs: refFields{school.EntityBranch: "branch_id", school.EntityGroup: "group_id",
			school.EntitySubject: "subject_id", school.EntityStaff: "staff_ids"},
	}
}

// fillLesson applies a lesson's input. A new lesson needs its group and
// start; it gets the group's subject, the school's first branch, 50
// minutes, kind "Les", status ACTIEF and the title the demo writes
// ("<room> - <group> - <teachers>").
func (a *Admin) fillLesson(ctx context.Context, l *school.Lesson, in lessonInput,
	isNew bool) error {
	if isNew {
		if err := a.newLesson(ctx, l, in); err != nil {
			return err
		}
	} else if in.GroupID != nil && *in.GroupID != l.GroupID {
		return &fieldError{field: "group_id", msg: "cannot change: make a new lesson"}
	}
	if err := a.lessonTimes(l, in, isNew); err != nil {
		return err
	}
	if in.BranchID != nil {
		l.BranchID = *in.BranchID
	}
	if in.SubjectID != nil {
		l.SubjectID = *in.SubjectID
	}
	if in.StaffIDs != nil {
		if len(*in.StaffIDs) > 20 {
			return &fieldError{field: "staff_ids", msg: "at most 20"}
		}
		l.StaffIDs = slices.Clone(*in.StaffIDs)
	}
	if err := text("location", in.Location, 100, optional, &l.Location); err != nil {
		return err
	}
	if err := text("kind", in.Kind, 50, notBlank, &l.Kind); err != nil {
		return err
	}
	status := string(l.Status)
	if err := oneOf("status", in.Status, &status, string(school.StatusActive),
		string(school.StatusCancelled)); err != nil {
		return err
	}
	l.Status = school.LessonStatus(status)
	if isNew && in.Title == nil {
		return a.lessonTitle(ctx, l)
	}
	return text("title", in.Title, 200, optional, &l.Title)
}

// newLesson sets the defaults that come from the lesson's group.
func (a *Admin) newLesson(ctx context.Context, l *school.Lesson, in lessonInput) error {
	if in.GroupID == nil {
		return &fieldError{field: "group_id", msg: "required"}
	}
	if in.Start == nil {
		return &fieldError{field: "start", msg: "required"}
	}
	sid, err := a.store.SchoolOf(ctx, school.EntityGroup, *in.GroupID)
	if err != nil {
		return unknown(err, "group_id", school.EntityGroup, *in.GroupID)
	}
	g, err := a.store.Group(ctx, sid, *in.GroupID)
	if err != nil {
		return err
	}
	branches, err := a.store.Branches(ctx, sid)
	if err != nil {
		return err
	}
	if len(branches) > 0 {
		l.BranchID = branches[0].ID
	}
	l.SchoolID, l.GroupID, l.SubjectID = sid, g.ID, g.SubjectID
	l.Kind, l.Status = "Les", school.StatusActive
	return nil
}

// lessonTimes applies start, end and the lesson hours: an end left out
// keeps the lesson's length (50 minutes for a new one).
func (a *Admin) lessonTimes(l *school.Lesson, in lessonInput, isNew bool) error {
	length := l.End.Sub(l.Start)
	if isNew {
		length = lessonLength
	}
	if err := optTime("start", in.Start, &l.Start); err != nil {
		return err
	}
	l.End = l.Start.Add(length)
	if err := optTime("end", in.End, &l.End); err != nil {
		return err
	}
	if !l.End.After(l.Start) || l.End.Sub(l.Start) > maxLesson {
		return &fieldError{field: "end", msg: "want after start, at most a day later"}
	}
	if err := intIn("begin_hour", in.BeginHour, 0, 20, &l.BeginHour); err != nil {
		return err
	}
	if err := intIn("end_hour", in.EndHour, 0, 20, &l.EndHour); err != nil {
		return err
	}
	if l.EndHour < l.BeginHour {
		return &fieldError{field: "end_hour", msg: "want at least begin_hour"}
	}
	return nil
}

// lessonTitle is the demo's "<room> - <group> - <abbreviations>".
func (a *Admin) lessonTitle(ctx context.Context, l *school.Lesson) error {
	g, err := a.store.Group(ctx, l.SchoolID, l.GroupID)
	if err != nil {
		return err
	}
	staff, err := a.store.StaffMembers(ctx, l.SchoolID, l.StaffIDs)
	if err != nil {
		return err
	}
	parts := []string{}
	if l.Location != "" {
		parts = append(parts, l.Location)
	}
	parts = append(parts, g.Name)
	for _, s := range staff {
		parts = append(parts, s.Abbrev)
	}
	l.Title = strings.Join(parts, " - ")
	return nil
}

// setStatus answers POST /_opensom/lessons/{id}/cancel and .../reinstate:
// the lesson keeps its id and times (case C17); doing it twice is no
// error.
func (a *Admin) setStatus(status school.LessonStatus) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := noBody(r); err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		sid, err := a.schoolOf(r.Context(), school.EntityLesson, id)
		if err != nil {
			return err
		}

		if err := a.store.SetLessonStatus(r.Context(), sid, id, status); err != nil {
			return err
		}

		l, err := a.store.Lesson(r.Context(), sid, id)
		if err != nil {
			return err
		}
		return a.lessons().answer(a, w, r, http.StatusOK, l, "set lesson status")
	}
}

// moveInput is POST /_opensom/lessons/{id}/move: at least one field.
type moveInput struct {
	Start     *string `json:"start"`
	End       *string `json:"end"`
	BeginHour *int    `json:"begin_hour"`
	EndHour   *int    `json:"end_hour"`
	Location  *string `json:"location"`
}

// move gives a lesson a new time and/or room; a start without an end
// keeps its length, and a new room replaces the old one in the title.
func (a *Admin) move(w http.ResponseWriter, r *http.Request) error {
	var in moveInput
	if err := decodeInput(r, &in); err != nil {
		return err
	}
	if in == (moveInput{}) {
		return &fieldError{field: "body",
			msg: "give start, end, begin_hour, end_hour and/or location"}
	}
	res := a.lessons()
	l, err := res.byPath(a, r)
	if err != nil {
		return err
	}

	oldRoom := l.Location
	err = res.fill(r.Context(), &l, lessonInput{Start: in.Start, End: in.End,
		BeginHour: in.BeginHour, EndHour: in.EndHour, Location: in.Location}, false)
	if err != nil {
		return err
	}
	if oldRoom != "" && strings.HasPrefix(l.Title, oldRoom+" - ") {
		l.Title = l.Location + strings.TrimPrefix(l.Title, oldRoom)
	}

	stored, err := a.store.PutLesson(r.Context(), l)
	if err != nil {
		return err
	}
	return res.answer(a, w, r, http.StatusOK, stored, "moved lesson")
}
