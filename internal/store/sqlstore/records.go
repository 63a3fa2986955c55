package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// The reads of school.Records: switches, holidays, the lesson grid,
// absences, measures, study guides and homework. Booleans of these tables
// are INTEGER 0/1 (see migration 0004), read through flag and written
// through bit.

func bit(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// flag scans an INTEGER 0/1 column into a bool.
type flag struct{ b *bool }

func (f flag) Scan(v any) error {
	var n sql.NullInt64
	if err := n.Scan(v); err != nil {
		return err
	}
	*f.b = n.Valid && n.Int64 != 0
	return nil
}

// SchoolPupilIDs lists every pupil of a school, by id.
func (s *Store) SchoolPupilIDs(ctx context.Context, schoolID school.ID) ([]school.ID, error) {
	const q = `SELECT id FROM pupils WHERE school_id = ? ORDER BY id`
	out, err := queryList(ctx, s.read, s.d, scanID, q, int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load pupils of school: %w", err)
	}
	return out, nil
}

// PupilByUUID finds a pupil in any school.
func (s *Store) PupilByUUID(ctx context.Context, uuid string) (school.Pupil, error) {
	out, err := queryList(ctx, s.read, s.d, scanPupil, pupilSelect+` WHERE uuid = ?`, uuid)
	return one(out, err, "load pupil by uuid")
}

// PupilGroups lists the groups any of the pupils is in, with all members.
func (s *Store) PupilGroups(ctx context.Context, schoolID school.ID,
	pupilIDs []school.ID) ([]school.Group, error) {
	if len(pupilIDs) == 0 {
		return nil, nil
	}
	q := `
		SELECT id, school_id, year_id, uuid, name, subject_id FROM class_groups
		WHERE school_id = ? AND id IN (
			SELECT group_id FROM group_pupils WHERE pupil_id IN (` +
		placeholders(len(pupilIDs)) + `))
		ORDER BY id`
	var out []school.Group
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryList(ctx, tx, s.d, scanGroup, q,
			append([]any{int64(schoolID)}, idArgs(pupilIDs)...)...)
		if err != nil || len(out) == 0 {
			return err
		}
		ids := make([]school.ID, len(out))
		for i, g := range out {
			ids[i] = g.ID
		}
		members, err := childIDs(ctx, tx, s.d, `
			SELECT group_id, pupil_id FROM group_pupils
			WHERE group_id IN (%s) ORDER BY group_id, pupil_id`, ids)
		for i := range out {
			out[i].PupilIDs = members[out[i].ID]
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load groups of pupils: %w", err)
	}
	return out, nil
}

func scanGroup(sc scanner, g *school.Group) error {
	return sc.Scan(&g.ID, &g.SchoolID, &g.YearID, &g.UUID, &g.Name, &g.SubjectID)
}

// Switches merges a school's stored switches over the defaults.
func (s *Store) Switches(ctx context.Context, schoolID school.ID) (school.Switches, error) {
	const q = `SELECT school_id, name, is_on FROM school_switches WHERE school_id = ?
		ORDER BY name`
	rows, err := queryList(ctx, s.read, s.d, scanSwitch, q, int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load switches: %w", err)
	}
	return school.SwitchesOf(rows), nil
}

// Holidays lists a school's holidays by start, then id.
func (s *Store) Holidays(ctx context.Context, schoolID school.ID) ([]school.Holiday, error) {
	const q = `SELECT id, school_id, name, from_date, to_date FROM holidays
		WHERE school_id = ? ORDER BY from_date, id`
	out, err := queryList(ctx, s.read, s.d, scanHoliday, q, int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load holidays: %w", err)
	}
	return out, nil
}

// LessonHours lists a school's lesson grid by number.
func (s *Store) LessonHours(ctx context.Context, schoolID school.ID) ([]school.LessonHour, error) {
	const q = `SELECT school_id, number, begin_time, end_time FROM lesson_hours
		WHERE school_id = ? ORDER BY number`
	out, err := queryList(ctx, s.read, s.d, scanLessonHour, q, int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load lesson hours: %w", err)
	}
	return out, nil
}

// AbsenceReasons lists a school's reasons by abbreviation, then id.
func (s *Store) AbsenceReasons(ctx context.Context,
	schoolID school.ID) ([]school.AbsenceReason, error) {
	q := `SELECT id, school_id, abbrev, description, kind, authorised FROM absence_reasons
		WHERE school_id = ? ORDER BY abbrev` + s.d.bytewise + `, id`
	out, err := queryList(ctx, s.read, s.d, scanReason, q, int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load absence reasons: %w", err)
	}
	return out, nil
}

// timeWhere is the WHERE of a per-pupil list with a start in [from, to).
func timeWhere(table string, schoolID school.ID, pupilIDs []school.ID,
	from, to time.Time) (string, []any) {
	where := ` FROM ` + table + ` WHERE school_id = ? AND pupil_id IN (` +
		placeholders(len(pupilIDs)) + `)`
	args := append([]any{int64(schoolID)}, idArgs(pupilIDs)...)
	if !from.IsZero() {
		where += ` AND start_at >= ?`
		args = append(args, millis(from))
	}
	if !to.IsZero() {
		where += ` AND start_at < ?`
		args = append(args, millis(to))
	}
	return where, args
}

// pagedList runs a count and one page of a list in one snapshot.
func pagedList[T any](ctx context.Context, s *Store, scan func(scanner, *T) error,
	columns, where string, args []any, order string, p school.Page) ([]T, int, error) {
	var (
		out   []T
		total int
	)
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		if err := countRows(ctx, tx, s.d, where, args, &total); err != nil {
			return err
		}
		limit, largs := window(p)
		var err error
		out, err = queryList(ctx, tx, s.d, scan, `SELECT `+columns+where+order+limit,
			append(append([]any{}, args...), largs...)...)
		return err
	})
	return out, total, err
}

const absenceColumns = `id, school_id, pupil_id, reason_id, staff_id, entered_at, start_at,
	end_at, begin_hour, end_hour, handled, remarks`

func scanAbsence(sc scanner, a *school.AbsenceReport) error {
	var entered, start int64
	var end sql.NullInt64
	err := sc.Scan(&a.ID, &a.SchoolID, &a.PupilID, &a.ReasonID, &a.StaffID, &entered, &start,
		&end, &a.BeginHour, &a.EndHour, flag{&a.Handled}, &a.Remarks)
	a.Entered, a.Start, a.End = fromMillis(entered), fromMillis(start), fromNullMillis(end)
	return err
}

// AbsenceReports lists the pupils' reports by start, then id.
func (s *Store) AbsenceReports(ctx context.Context, schoolID school.ID, pupilIDs []school.ID,
	from, to time.Time, p school.Page) ([]school.AbsenceReport, int, error) {
	if len(pupilIDs) == 0 {
		return nil, 0, nil
	}
	where, args := timeWhere("absence_reports", schoolID, pupilIDs, from, to)
	out, total, err := pagedList(ctx, s, scanAbsence, absenceColumns, where, args,
		` ORDER BY start_at, id`, p)
	if err != nil {
		return nil, 0, fmt.Errorf("load absence reports: %w", err)
	}
	return out, total, nil
}

const observationColumns = `id, school_id, pupil_id, lesson_id, reason_id, staff_id, kind,
	registration, authorised, handled, entered_at, start_at, end_at, begin_hour, end_hour`

func scanObservation(sc scanner, o *school.Observation) error {
	var entered, start, end int64
	err := sc.Scan(&o.ID, &o.SchoolID, &o.PupilID, &o.LessonID, &o.ReasonID, &o.StaffID,
		&o.Kind, &o.Registration, flag{&o.Authorised}, flag{&o.Handled}, &entered, &start,
		&end, &o.BeginHour, &o.EndHour)
	o.Entered, o.Start, o.End = fromMillis(entered), fromMillis(start), fromMillis(end)
	return err
}

// Observations lists the pupils' observations by start, then id.
func (s *Store) Observations(ctx context.Context, schoolID school.ID, pupilIDs []school.ID,
	from, to time.Time, p school.Page) ([]school.Observation, int, error) {
	if len(pupilIDs) == 0 {
		return nil, 0, nil
	}
	where, args := timeWhere("observations", schoolID, pupilIDs, from, to)
	out, total, err := pagedList(ctx, s, scanObservation, observationColumns, where, args,
		` ORDER BY start_at, id`, p)
	if err != nil {
		return nil, 0, fmt.Errorf("load observations: %w", err)
	}
	return out, total, nil
}

// Measures lists the pupils' measures by date, then id.
func (s *Store) Measures(ctx context.Context, schoolID school.ID,
	pupilIDs []school.ID) ([]school.Measure, error) {
	if len(pupilIDs) == 0 {
		return nil, nil
	}
	q := measureSelect + ` WHERE school_id = ? AND pupil_id IN (` +
		placeholders(len(pupilIDs)) + `) ORDER BY measure_date, id`
	out, err := queryList(ctx, s.read, s.d, scanMeasure, q,
		append([]any{int64(schoolID)}, idArgs(pupilIDs)...)...)
	if err != nil {
		return nil, fmt.Errorf("load measures: %w", err)
	}
	return out, nil
}

const guideSelect = `SELECT id, school_id, group_id, uuid, name FROM study_guides`

func scanGuide(sc scanner, g *school.StudyGuide) error {
	return sc.Scan(&g.ID, &g.SchoolID, &g.GroupID, &g.UUID, &g.Name)
}

// StudyGuides lists the guides of the pupils' groups, by id.
func (s *Store) StudyGuides(ctx context.Context, schoolID school.ID,
	pupilIDs []school.ID) ([]school.StudyGuide, error) {
	if len(pupilIDs) == 0 {
		return nil, nil
	}
	q := guideSelect + ` WHERE school_id = ? AND group_id IN (
		SELECT group_id FROM group_pupils WHERE pupil_id IN (` + placeholders(len(pupilIDs)) +
		`)) ORDER BY id`
	out, err := queryList(ctx, s.read, s.d, scanGuide, q,
		append([]any{int64(schoolID)}, idArgs(pupilIDs)...)...)
	if err != nil {
		return nil, fmt.Errorf("load study guides: %w", err)
	}
	return out, nil
}

// StudyGuide loads one guide.
func (s *Store) StudyGuide(ctx context.Context, schoolID, id school.ID) (school.StudyGuide, error) {
	out, err := queryList(ctx, s.read, s.d, scanGuide, guideSelect+` WHERE id = ? AND school_id = ?`,
		int64(id), int64(schoolID))
	return one(out, err, "load study guide")
}

const homeworkColumns = `id, school_id, guide_id, group_id, item_id, year_id, kind, lesson_id,
	due_at, iso_year, week_from, week_to, topic, hw_type, description, created_at, sort_order`

func scanHomework(sc scanner, h *school.Homework) error {
	var kind string
	var due, created int64
	err := sc.Scan(&h.ID, &h.SchoolID, &h.GuideID, &h.GroupID, &h.ItemID, &h.YearID, &kind,
		&h.LessonID, &due, &h.ISOYear, &h.WeekFrom, &h.WeekTo, &h.Topic, &h.Type,
		&h.Description, &created, &h.Order)
	h.Kind, h.Due, h.Created = school.HomeworkKind(kind), fromMillis(due), fromMillis(created)
	return err
}

// Homework lists one kind of assignment of the pupils' groups, by Due,
// then id.
func (s *Store) Homework(ctx context.Context,
	q school.HomeworkQuery) ([]school.Homework, int, error) {
	if len(q.PupilIDs) == 0 {
		return nil, 0, nil
	}
	where := ` FROM homework WHERE school_id = ? AND kind = ? AND group_id IN (
		SELECT group_id FROM group_pupils WHERE pupil_id IN (` +
		placeholders(len(q.PupilIDs)) + `))`
	args := append([]any{int64(q.SchoolID), string(q.Kind)}, idArgs(q.PupilIDs)...)
	if !q.From.IsZero() {
		where += ` AND due_at >= ?`
		args = append(args, millis(q.From))
	}
	if q.ISOYear != 0 {
		where += ` AND iso_year = ?`
		args = append(args, q.ISOYear)
	}
	if q.Week != 0 {
		where += ` AND week_from <= ? AND week_to >= ?`
		args = append(args, q.Week, q.Week)
	}
	if q.YearID != 0 {
		where += ` AND year_id = ?`
		args = append(args, int64(q.YearID))
	}
	out, total, err := pagedList(ctx, s, scanHomework, homeworkColumns, where, args,
		` ORDER BY due_at, id`, q.Page)
	if err != nil {
		return nil, 0, fmt.Errorf("load homework: %w", err)
	}
	return out, total, nil
}

// HomeworkItem loads one assignment.
func (s *Store) HomeworkItem(ctx context.Context, schoolID, id school.ID) (school.Homework, error) {
	out, err := queryList(ctx, s.read, s.d, scanHomework,
		`SELECT `+homeworkColumns+` FROM homework WHERE id = ? AND school_id = ?`,
		int64(id), int64(schoolID))
	return one(out, err, "load homework")
}

const doneSelect = `SELECT id, school_id, homework_id, pupil_id, done FROM homework_done`

func scanDone(sc scanner, d *school.HomeworkDone) error {
	return sc.Scan(&d.ID, &d.SchoolID, &d.HomeworkID, &d.PupilID, flag{&d.Done})
}

// HomeworkDone lists the pupils' ticks on the assignments, by id.
func (s *Store) HomeworkDone(ctx context.Context, schoolID school.ID,
	homeworkIDs, pupilIDs []school.ID) ([]school.HomeworkDone, error) {
	if len(homeworkIDs) == 0 || len(pupilIDs) == 0 {
		return nil, nil
	}
	q := doneSelect + ` WHERE school_id = ? AND homework_id IN (` +
		placeholders(len(homeworkIDs)) + `) AND pupil_id IN (` + placeholders(len(pupilIDs)) +
		`) ORDER BY id`
	args := append([]any{int64(schoolID)}, idArgs(homeworkIDs)...)
	out, err := queryList(ctx, s.read, s.d, scanDone, q, append(args, idArgs(pupilIDs)...)...)
	if err != nil {
		return nil, fmt.Errorf("load homework ticks: %w", err)
	}
	return out, nil
}

// HomeworkDoneByID loads one tick.
func (s *Store) HomeworkDoneByID(ctx context.Context,
	schoolID, id school.ID) (school.HomeworkDone, error) {
	out, err := queryList(ctx, s.read, s.d, scanDone, doneSelect+` WHERE id = ? AND school_id = ?`,
		int64(id), int64(schoolID))
	return one(out, err, "load homework tick")
}

// The scanners below are shared by the reads above and by Export.

func scanSwitch(sc scanner, x *school.Switch) error {
	return sc.Scan(&x.SchoolID, &x.Name, flag{&x.On})
}

func scanHoliday(sc scanner, h *school.Holiday) error {
	var from, to string
	if err := sc.Scan(&h.ID, &h.SchoolID, &h.Name, &from, &to); err != nil {
		return err
	}
	var err error
	if h.From, err = fromDateText(from); err != nil {
		return err
	}
	h.To, err = fromDateText(to)
	return err
}

func scanLessonHour(sc scanner, h *school.LessonHour) error {
	return sc.Scan(&h.SchoolID, &h.Number, &h.Begin, &h.End)
}

func scanReason(sc scanner, r *school.AbsenceReason) error {
	return sc.Scan(&r.ID, &r.SchoolID, &r.Abbrev, &r.Description, &r.Kind, flag{&r.Authorised})
}

const measureSelect = `SELECT id, school_id, pupil_id, name, measure_date, done, remarks,
	automatic, cause FROM measures`

func scanMeasure(sc scanner, m *school.Measure) error {
	var date string
	err := sc.Scan(&m.ID, &m.SchoolID, &m.PupilID, &m.Name, &date, flag{&m.Done},
		&m.Remarks, flag{&m.Automatic}, &m.Cause)
	if err != nil {
		return err
	}
	m.Date, err = fromDateText(date)
	return err
}
