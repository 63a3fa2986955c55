package admin

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Absences (absentiemeldingen) under /_opensom/absences and observations
// (waarnemingen) under /_opensom/observations: POST is a report that a
// pupil is absent, and a teacher's note on a pupil in a lesson.

type absenceInput struct {
	PupilID   *school.ID `json:"pupil_id"`
	Reason    *string    `json:"reason"`
	StaffID   *school.ID `json:"staff_id"`
	Start     *string    `json:"start"`
	End       *string    `json:"end"`
	BeginHour *int       `json:"begin_hour"`
	EndHour   *int       `json:"end_hour"`
	Handled   *bool      `json:"handled"`
	Remarks   *string    `json:"remarks"`
	Entered   *string    `json:"entered"`
}

type absenceOut struct {
	ID        school.ID `json:"id"`
	SchoolID  school.ID `json:"school_id"`
	PupilID   school.ID `json:"pupil_id"`
	ReasonID  school.ID `json:"reason_id"`
	StaffID   school.ID `json:"staff_id"`
	Start     string    `json:"start"`
	End       string    `json:"end"`
	BeginHour int       `json:"begin_hour"`
	EndHour   int       `json:"end_hour"`
	Handled   bool      `json:"handled"`
	Remarks   string    `json:"remarks"`
	Entered   string    `json:"entered"`
}

func (a *Admin) absences() resource[school.AbsenceReport, absenceInput] {
	return resource[school.AbsenceReport, absenceInput]{
		entity: school.EntityAbsence, path: "absences",
		load: a.store.AbsenceReport,
		fill: a.fillAbsence,
		put:  a.store.PutAbsenceReport,
		out: func(_ context.Context, x school.AbsenceReport) (any, error) {
			return absenceOut{ID: x.ID, SchoolID: x.SchoolID, PupilID: x.PupilID,
				ReasonID: x.ReasonID, StaffID: x.StaffID, Start: timeOut(x.Start),
				End: timeOut(x.End), BeginHour: x.BeginHour, EndHour: x.EndHour,
				Handled: x.Handled, Remarks: x.Remarks, Entered: timeOut(x.Entered)}, nil
		},
		refs: refFields{school.EntityPupil: "pupil_id", school.EntityStaff: "staff_id"},
	}
}

// fillAbsence applies an absence report's input. A new one needs the
// pupil and the reason (its abbreviation, "ZK"); it starts and is entered
// now and has no end. An end of "" makes it open-ended again.
func (a *Admin) fillAbsence(ctx context.Context, x *school.AbsenceReport, in absenceInput,
	isNew bool) error {
	if isNew {
		if in.PupilID == nil {
			return &fieldError{field: "pupil_id", msg: "required"}
		}
		if in.Reason == nil {
			return &fieldError{field: "reason", msg: `required: an abbreviation such as "ZK"`}
		}
		sid, err := a.store.SchoolOf(ctx, school.EntityPupil, *in.PupilID)
		if err != nil {
			return unknown(err, "pupil_id", school.EntityPupil, *in.PupilID)
		}
		now := a.clock.Now().In(school.Amsterdam).Truncate(time.Millisecond)
		*x = school.AbsenceReport{SchoolID: sid, PupilID: *in.PupilID, Start: now, Entered: now}
	} else if in.PupilID != nil && *in.PupilID != x.PupilID {
		return &fieldError{field: "pupil_id", msg: "cannot change: report a new absence"}
	}
	if in.Reason != nil {
		r, err := a.reason(ctx, x.SchoolID, *in.Reason)
		if err != nil {
			return err
		}
		x.ReasonID = r.ID
	}
	if in.StaffID != nil {
		x.StaffID = *in.StaffID
	}
	if err := absenceTimes(x, in); err != nil {
		return err
	}
	if in.Handled != nil {
		x.Handled = *in.Handled
	}
	return text("remarks", in.Remarks, maxText, optional, &x.Remarks)
}

func absenceTimes(x *school.AbsenceReport, in absenceInput) error {
	if err := optTime("start", in.Start, &x.Start); err != nil {
		return err
	}
	if in.End != nil && *in.End == "" {
		x.End = time.Time{}
	} else if err := optTime("end", in.End, &x.End); err != nil {
		return err
	}
	if !x.End.IsZero() && !x.End.After(x.Start) {
		return &fieldError{field: "end", msg: `want after start, or "" for open-ended`}
	}
	if err := optTime("entered", in.Entered, &x.Entered); err != nil {
		return err
	}
	if err := intIn("begin_hour", in.BeginHour, 0, 20, &x.BeginHour); err != nil {
		return err
	}
	if err := intIn("end_hour", in.EndHour, 0, 20, &x.EndHour); err != nil {
		return err
	}
	if x.EndHour < x.BeginHour {
		return &fieldError{field: "end_hour", msg: "want at least begin_hour"}
	}
	return nil
}

// reason finds a school's absence reason by its abbreviation.
func (a *Admin) reason(ctx context.Context, schoolID school.ID,
	abbrev string) (school.AbsenceReason, error) {
	reasons, err := a.store.AbsenceReasons(ctx, schoolID)
	if err != nil {
		return school.AbsenceReason{}, err
	}
	names := make([]string, len(reasons))
	for i, r := range reasons {
		if r.Abbrev == abbrev {
			return r, nil
		}
		names[i] = r.Abbrev
	}
	return school.AbsenceReason{}, &fieldError{field: "reason",
		msg: "not a reason of the school; it has " + strings.Join(names, ", ")}
}

type observationInput struct {
	PupilID      *school.ID `json:"pupil_id"`
	LessonID     *school.ID `json:"lesson_id"`
	Registration *string    `json:"registration"`
	Reason       *string    `json:"reason"`
	StaffID      *school.ID `json:"staff_id"`
	Authorised   *bool      `json:"authorised"`
	Handled      *bool      `json:"handled"`
	Entered      *string    `json:"entered"`
}

type observationOut struct {
	ID           school.ID `json:"id"`
	SchoolID     school.ID `json:"school_id"`
	PupilID      school.ID `json:"pupil_id"`
	LessonID     school.ID `json:"lesson_id"`
	Registration string    `json:"registration"`
	Kind         string    `json:"kind"`
	ReasonID     school.ID `json:"reason_id"`
	StaffID      school.ID `json:"staff_id"`
	Authorised   bool      `json:"authorised"`
	Handled      bool      `json:"handled"`
	Entered      string    `json:"entered"`
	Start        string    `json:"start"`
	End          string    `json:"end"`
	BeginHour    int       `json:"begin_hour"`
	EndHour      int       `json:"end_hour"`
}

// registrations are what a teacher may note, and whether the pupil was
// absent for it.
var registrations = []string{school.RegAbsent, school.RegLate, school.RegRemoved,
	school.RegNoHomework, school.RegNoMaterial}

func (a *Admin) observations() resource[school.Observation, observationInput] {
	return resource[school.Observation, observationInput]{
		entity: school.EntityObservation, path: "observations",
		load: a.store.Observation,
		fill: a.fillObservation,
		put:  a.store.PutObservation,
		out: func(_ context.Context, o school.Observation) (any, error) {
			return observationOut{ID: o.ID, SchoolID: o.SchoolID, PupilID: o.PupilID,
				LessonID: o.LessonID, Registration: o.Registration, Kind: o.Kind,
				ReasonID: o.ReasonID, StaffID: o.StaffID, Authorised: o.Authorised,
				Handled: o.Handled, Entered: timeOut(o.Entered), Start: timeOut(o.Start),
				End: timeOut(o.End), BeginHour: o.BeginHour, EndHour: o.EndHour}, nil
		},
		refs: refFields{school.EntityPupil: "pupil_id", school.EntityLesson: "lesson_id",
			school.EntityStaff: "staff_id"},
	}
}

// fillObservation applies an observation's input. A new one needs the
// pupil, a lesson of one of the pupil's groups and the registration; it
// copies the lesson's times, is entered now by the lesson's first
// teacher, and is authorised as its reason is (not without one).
func (a *Admin) fillObservation(ctx context.Context, o *school.Observation,
	in observationInput, isNew bool) error {
	if isNew {
		if err := a.newObservation(ctx, o, in); err != nil {
			return err
		}
	} else if (in.PupilID != nil && *in.PupilID != o.PupilID) ||
		(in.LessonID != nil && *in.LessonID != o.LessonID) {
		return &fieldError{field: "lesson_id", msg: "cannot change: note a new observation"}
	}
	if err := oneOf("registration", in.Registration, &o.Registration,
		registrations...); err != nil {
		return err
	}
	o.Kind = "Aanwezig"
	if o.Registration == school.RegAbsent || o.Registration == school.RegRemoved {
		o.Kind = "Afwezig"
	}
	if in.Reason != nil {
		r, err := a.reason(ctx, o.SchoolID, *in.Reason)
		if err != nil {
			return err
		}
		o.ReasonID, o.Authorised = r.ID, r.Authorised
	}
	if in.StaffID != nil {
		o.StaffID = *in.StaffID
	}
	for _, f := range []struct {
		p, dst *bool
	}{{in.Authorised, &o.Authorised}, {in.Handled, &o.Handled}} {
		if f.p != nil {
			*f.dst = *f.p
		}
	}
	return optTime("entered", in.Entered, &o.Entered)
}

func (a *Admin) newObservation(ctx context.Context, o *school.Observation,
	in observationInput) error {
	for _, f := range []struct {
		name string
		set  bool
	}{{"pupil_id", in.PupilID != nil}, {"lesson_id", in.LessonID != nil},
		{"registration", in.Registration != nil}} {
		if !f.set {
			return &fieldError{field: f.name, msg: "required"}
		}
	}
	sid, err := a.store.SchoolOf(ctx, school.EntityLesson, *in.LessonID)
	if err != nil {
		return unknown(err, "lesson_id", school.EntityLesson, *in.LessonID)
	}
	l, err := a.store.Lesson(ctx, sid, *in.LessonID)
	if err != nil {
		return err
	}
	members, err := a.store.GroupPupils(ctx, sid, l.GroupID)
	if err != nil {
		return err
	}
	if !slices.Contains(members, *in.PupilID) {
		if _, err := a.store.Pupil(ctx, sid, *in.PupilID); err != nil {
			return unknown(err, "pupil_id", school.EntityPupil, *in.PupilID)
		}
		return &fieldError{field: "pupil_id", msg: "not in the lesson's group"}
	}
	*o = school.Observation{SchoolID: sid, PupilID: *in.PupilID, LessonID: l.ID,
		Entered: a.clock.Now().In(school.Amsterdam).Truncate(time.Millisecond),
		Start:   l.Start, End: l.End, BeginHour: l.BeginHour, EndHour: l.EndHour}
	if len(l.StaffIDs) > 0 {
		o.StaffID = l.StaffIDs[0]
	}
	return nil
}
