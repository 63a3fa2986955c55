package admin

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/opensom/opensom/internal/school"
)

// Grades under /_opensom/grades: POST is a teacher entering a grade.

type gradeInput struct {
	PupilID     *school.ID `json:"pupil_id"`
	SubjectID   *school.ID `json:"subject_id"`
	Value       *string    `json:"value"`
	Weight      *int       `json:"weight"`
	ExamWeight  *int       `json:"exam_weight"`
	Description *string    `json:"description"`
	Type        *string    `json:"type"`
	TestKind    *string    `json:"test_kind"`
	Period      *int       `json:"period"`
	StudyYear   *int       `json:"study_year"`
	Entered     *string    `json:"entered"`
	InExam      *bool      `json:"in_exam"`
	InProgress  *bool      `json:"in_progress"`
	NotCounting *bool      `json:"not_counting"`
	NotMade     *bool      `json:"not_made"`
	Exempt      *bool      `json:"exempt"`
}

type gradeOut struct {
	ID          school.ID `json:"id"`
	SchoolID    school.ID `json:"school_id"`
	PupilID     school.ID `json:"pupil_id"`
	SubjectID   school.ID `json:"subject_id"`
	ColumnID    school.ID `json:"column_id"`
	Value       string    `json:"value"`
	Weight      int       `json:"weight"`
	ExamWeight  int       `json:"exam_weight"`
	Description string    `json:"description"`
	Type        string    `json:"type"`
	TestKind    string    `json:"test_kind"`
	Period      int       `json:"period"`
	StudyYear   int       `json:"study_year"`
	Seq         int       `json:"seq"`
	Entered     string    `json:"entered"`
	InExam      bool      `json:"in_exam"`
	InProgress  bool      `json:"in_progress"`
	NotCounting bool      `json:"not_counting"`
	NotMade     bool      `json:"not_made"`
	Exempt      bool      `json:"exempt"`
}

// columnTypes are the column types a grade may be entered in.
var columnTypes = []string{school.ColumnTest, school.ColumnAssignment, school.ColumnAdvice,
	school.ColumnPeriodAverage, school.ColumnReportAverage, school.ColumnTestKindAvg,
	school.ColumnSEAverage}

func (a *Admin) grades() resource[school.Grade, gradeInput] {
	return resource[school.Grade, gradeInput]{
		entity: school.EntityGrade, path: "grades",
		load: a.store.Grade,
		fill: a.fillGrade,
		put:  a.store.PutGrade,
		out: func(_ context.Context, g school.Grade) (any, error) {
			return gradeOut{ID: g.ID, SchoolID: g.SchoolID, PupilID: g.PupilID,
				SubjectID: g.SubjectID, ColumnID: g.ColumnID, Value: gradeValue(g),
				Weight: g.Weight, ExamWeight: g.ExamWeight, Description: g.Description,
				Type: g.Type, TestKind: g.TestKind, Period: g.Period, StudyYear: g.StudyYear,
				Seq: g.Seq, Entered: timeOut(g.Entered), InExam: g.InExam,
				InProgress: g.InProgress, NotCounting: g.NotCounting, NotMade: g.NotMade,
				Exempt: g.Exempt}, nil
		},
		refs: refFields{school.EntityPupil: "pupil_id", school.EntitySubject: "subject_id"},
	}
}

// fillGrade applies a grade's input. A new grade needs its pupil, subject
// and value (unless not made or exempt); it is entered now, weighs 1,
// goes in a new column of type Toetskolom, in the period of its date, in
// the pupil's study year (that of its latest grade, else 1), numbered
// after the subject's columns so far, in the progress file, and in the
// exam file when it has an exam weight.
//
// TODO: no re-sits (herkansingen) and no recomputed averages: a grade
// entered here never updates a stored period or report average column,
// so a client that reads those sees them stale until a reset.
func (a *Admin) fillGrade(ctx context.Context, g *school.Grade, in gradeInput, isNew bool) error {
	if isNew {
		if err := a.newGrade(ctx, g, in); err != nil {
			return err
		}
	} else if in.PupilID != nil && *in.PupilID != g.PupilID {
		return &fieldError{field: "pupil_id", msg: "cannot change: enter a new grade"}
	}
	if in.SubjectID != nil {
		g.SubjectID = *in.SubjectID
	}
	if err := applyValue(g, in); err != nil {
		return err
	}
	if err := gradeNumbers(g, in); err != nil {
		return err
	}
	if err := text("description", in.Description, 200, optional, &g.Description); err != nil {
		return err
	}
	if err := oneOf("type", in.Type, &g.Type, columnTypes...); err != nil {
		return err
	}
	if err := text("test_kind", in.TestKind, 20, optional, &g.TestKind); err != nil {
		return err
	}
	if err := optTime("entered", in.Entered, &g.Entered); err != nil {
		return err
	}
	if isNew && in.Period == nil {
		g.Period = periodOf(g.Entered)
	}
	if isNew || in.ExamWeight != nil {
		g.InExam = g.ExamWeight > 0
	}
	for _, f := range []struct {
		p   *bool
		dst *bool
	}{{in.InExam, &g.InExam}, {in.InProgress, &g.InProgress},
		{in.NotCounting, &g.NotCounting}} {
		if f.p != nil {
			*f.dst = *f.p
		}
	}
	g.ReportTenths, g.HasReportTenths = 0, false
	average := g.Type == school.ColumnPeriodAverage || g.Type == school.ColumnReportAverage
	if g.HasValue && average {
		g.ReportTenths, g.HasReportTenths = g.Tenths, true
	}
	return nil
}

// newGrade sets the defaults that come from the pupil and its grades.
func (a *Admin) newGrade(ctx context.Context, g *school.Grade, in gradeInput) error {
	switch {
	case in.PupilID == nil:
		return &fieldError{field: "pupil_id", msg: "required"}
	case in.SubjectID == nil:
		return &fieldError{field: "subject_id", msg: "required"}
	}
	sid, err := a.store.SchoolOf(ctx, school.EntityPupil, *in.PupilID)
	if err != nil {
		return unknown(err, "pupil_id", school.EntityPupil, *in.PupilID)
	}
	*g = school.Grade{SchoolID: sid, PupilID: *in.PupilID, SubjectID: *in.SubjectID,
		Type: school.ColumnTest, Weight: 1, ResitType: "Geen", InProgress: true,
		Entered: a.clock.Now().In(school.Amsterdam).Truncate(time.Millisecond), StudyYear: 1}
	// TODO: the study year and column number come from all of the pupil's
	// grades, read on every entry: a few hundred rows for a pupil of the
	// demo, more for a pupil with years of history.
	earlier, _, err := a.store.Grades(ctx, school.GradeQuery{SchoolID: sid,
		PupilIDs: []school.ID{g.PupilID}, Sort: school.SortTimeDesc})
	if err != nil {
		return err
	}
	if len(earlier) > 0 {
		g.StudyYear = earlier[0].StudyYear
	}
	for _, e := range earlier {
		if e.SubjectID == g.SubjectID {
			g.Seq = max(g.Seq, e.Seq)
		}
	}
	g.Seq++
	if in.Value == nil && !deref(in.NotMade) && !deref(in.Exempt) {
		return &fieldError{field: "value",
			msg: `required unless not_made or exempt: "7,5" or a label such as "V"`}
	}
	return nil
}

func deref(p *bool) bool { return p != nil && *p }

// applyValue sets the value, not made and exempt.
func applyValue(g *school.Grade, in gradeInput) error {
	if in.NotMade != nil {
		g.NotMade = *in.NotMade
	}
	if in.Exempt != nil {
		g.Exempt = *in.Exempt
	}
	if in.Value == nil {
		return nil
	}
	tenths, label, err := parseValue(*in.Value)
	if err != nil {
		return err
	}
	g.Tenths, g.Current, g.Label, g.HasValue = tenths, tenths, label, label == "" && *in.Value != ""
	return nil
}

// parseValue reads a grade: "7,5", "7.5" or "10" (1 to 10, at most one
// decimal) in tenths, a label such as "V" or "ZG" (letters, + or -, at
// most four), or "" for none.
func parseValue(s string) (tenths int, label string, err error) {
	bad := &fieldError{field: "value",
		msg: `want a grade from "1,0" to "10,0" with at most one decimal, or a label such as "V"`}
	if s == "" {
		return 0, "", nil
	}
	whole, frac, hasFrac := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if n, err := strconv.Atoi(whole); err == nil && whole[0] != '+' && whole[0] != '-' {
		d := 0
		if hasFrac {
			if len(frac) != 1 || frac[0] < '0' || frac[0] > '9' {
				return 0, "", bad
			}
			d = int(frac[0] - '0')
		}
		t := n*10 + d
		if t < 10 || t > 100 {
			return 0, "", bad
		}
		return t, "", nil
	}
	if len(s) > 4 || strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '+' && r != '-'
	}) {
		return 0, "", bad
	}
	return 0, s, nil
}

// gradeNumbers applies the weights, period and study year.
func gradeNumbers(g *school.Grade, in gradeInput) error {
	if err := intIn("weight", in.Weight, 0, 100, &g.Weight); err != nil {
		return err
	}
	if err := intIn("exam_weight", in.ExamWeight, 0, 100, &g.ExamWeight); err != nil {
		return err
	}
	if err := intIn("period", in.Period, 1, 4, &g.Period); err != nil {
		return err
	}
	return intIn("study_year", in.StudyYear, 1, 8, &g.StudyYear)
}

// gradeValue is a grade's value as the API writes it: "7,5", a label, or
// "" for none.
func gradeValue(g school.Grade) string {
	switch {
	case g.Label != "":
		return g.Label
	case !g.HasValue:
		return ""
	}
	return string(school.AppendTenths(nil, g.Tenths, ','))
}

// periodOf is the period of a date: four periods changing on 15
// November, 1 February and 16 April, as the demo schools and the REST
// API's CIJFERPERIODE have them.
func periodOf(t time.Time) int {
	d := school.DateOf(t)
	start := d.Year()
	if d.Month() < time.August {
		start--
	}
	p := 1
	for _, b := range []time.Time{school.Date(start, time.November, 15),
		school.Date(start+1, time.February, 1), school.Date(start+1, time.April, 16)} {
		if !d.Before(b) {
			p++
		}
	}
	return p
}
