package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

// The writes of school.Editor: one entity at a time, each in a write
// transaction that checks what the entity refers to, writes it and moves
// the data version.

// entityTable is the table of each entity; every one has id and school_id.
var entityTable = map[school.Entity]string{
	school.EntitySchool:      "schools",
	school.EntityPupil:       "pupils",
	school.EntityStaff:       "staff",
	school.EntitySubject:     "subjects",
	school.EntityGroup:       "class_groups",
	school.EntityAccount:     "accounts",
	school.EntityLesson:      "lessons",
	school.EntityGrade:       "grades",
	school.EntityHomework:    "homework",
	school.EntityAbsence:     "absence_reports",
	school.EntityObservation: "observations",
	school.EntityBranch:      "branches",
	school.EntityYear:        "school_years",
	school.EntityReason:      "absence_reasons",
	school.EntityGuide:       "study_guides",
}

// idBase is where the ids of a table start when it is empty: kind k of
// the demo's numbering (k * 10^9), in block 9, clear of the blocks of the
// generator's first nine schools. A table with rows counts on from its
// highest id.
var idBase = map[string]int64{
	"subjects":        4_900_000_000,
	"staff":           5_900_000_000,
	"class_groups":    6_900_000_000,
	"pupils":          7_900_000_000,
	"accounts":        8_900_000_000,
	"lessons":         9_900_000_000,
	"grades":          10_900_000_000,
	"absence_reports": 14_900_000_000,
	"observations":    15_900_000_000,
	"study_guides":    17_900_000_000,
	"homework":        18_900_000_000,
}

// Bases of the numbers that are not a table's own id.
const (
	columnBase = 11_900_000_000 // grades.column_id
	itemBase   = 19_900_000_000 // homework.item_id
)

// newIDLockKey is the PostgreSQL advisory lock that makes nodes pick new
// ids one at a time ("opensom" + 1 in hex, roughly).
const newIDLockKey = 0x6f70656e736f6e

// edit runs fn in a write transaction that moves the data version; a
// unique violation becomes ErrConflict.
func (s *Store) edit(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return bumpDataVersion(ctx, tx)
	})
	if s.d.conflict(err) {
		err = fmt.Errorf("%w: %w", school.ErrConflict, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// nextNumber is one above the highest value of column in table, or base+1.
// On PostgreSQL it first takes a lock held to the end of the transaction,
// so that two nodes never pick one number; SQLite's write transactions
// already run one at a time.
func (s *Store) nextNumber(ctx context.Context, tx *sql.Tx, table, column string,
	base int64) (int64, error) {
	if s.d.name == postgresDialect.name {
		lock := "SELECT pg_advisory_xact_lock(" + strconv.Itoa(newIDLockKey) + ")"
		if _, err := tx.ExecContext(ctx, lock); err != nil {
			return 0, fmt.Errorf("lock new ids: %w", err)
		}
	}
	var n int64
	q := `SELECT COALESCE(MAX(` + column + `), ?) + 1 FROM ` + table
	if err := tx.QueryRowContext(ctx, s.d.query(q), base).Scan(&n); err != nil {
		return 0, fmt.Errorf("next %s.%s: %w", table, column, err)
	}
	return n, nil
}

// nextInSchool sets *number, when zero on a new row, one above the
// highest number of the school's rows of table.
func (s *Store) nextInSchool(ctx context.Context, tx *sql.Tx, table string, id,
	schoolID school.ID, number *int64) error {
	if id != 0 || *number != 0 {
		return nil
	}
	q := `SELECT COALESCE(MAX(number), 0) + 1 FROM ` + table + ` WHERE school_id = ?`
	if err := tx.QueryRowContext(ctx, s.d.query(q), int64(schoolID)).Scan(number); err != nil {
		return fmt.Errorf("next %s number: %w", table, err)
	}
	return nil
}

// ref is one entity a write refers to.
type ref struct {
	e  school.Entity
	id school.ID
}

// optional is the ref, or none when id is zero.
func optional(e school.Entity, id school.ID) []ref {
	if id == 0 {
		return nil
	}
	return []ref{{e, id}}
}

// refsOf is a ref for each id.
func refsOf(e school.Entity, ids []school.ID) []ref {
	out := make([]ref, len(ids))
	for i, id := range ids {
		out[i] = ref{e, id}
	}
	return out
}

// checkRefs fails with a *MissingError for the first ref that is not in
// the school (a zero id never is). The school itself comes first.
//
// TODO: on PostgreSQL the rows found are not locked, so a delete on
// another node between this check and the write can leave a row pointing
// at nothing where the schema has no foreign key (a grade's subject, a
// lesson's branch); the REST API then shows it without that part.
func (s *Store) checkRefs(ctx context.Context, tx *sql.Tx, schoolID school.ID,
	refs ...ref) error {
	var n int
	err := tx.QueryRowContext(ctx, s.d.query(`SELECT COUNT(*) FROM schools WHERE id = ?`),
		int64(schoolID)).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return &school.MissingError{Entity: school.EntitySchool, ID: schoolID}
	}
	for _, r := range refs {
		q := `SELECT COUNT(*) FROM ` + entityTable[r.e] + ` WHERE id = ? AND school_id = ?`
		err := tx.QueryRowContext(ctx, s.d.query(q), int64(r.id), int64(schoolID)).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return &school.MissingError{Entity: r.e, ID: r.id}
		}
	}
	return nil
}

// put inserts a row under a new id when *id is zero, and updates the row
// of the school otherwise (ErrNotFound when there is none). cols and vals
// are every column but id and school_id.
func (s *Store) put(ctx context.Context, tx *sql.Tx, table string, id *school.ID,
	schoolID school.ID, cols []string, vals []any) error {
	if *id == 0 {
		n, err := s.nextNumber(ctx, tx, table, "id", idBase[table])
		if err != nil {
			return err
		}
		*id = school.ID(n)
		q := `INSERT INTO ` + table + ` (id, school_id, ` + strings.Join(cols, ", ") +
			`) VALUES (` + placeholders(len(cols)+2) + `)`
		_, err = tx.ExecContext(ctx, s.d.query(q), append([]any{n, int64(schoolID)}, vals...)...)
		return err
	}
	q := `UPDATE ` + table + ` SET ` + strings.Join(cols, " = ?, ") +
		` = ? WHERE id = ? AND school_id = ?`
	res, err := tx.ExecContext(ctx, s.d.query(q), append(vals, int64(*id), int64(schoolID))...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, school.ErrNotFound)
	}
	return nil
}

// replaceChildren replaces the (parent, seq, child) rows of a parent;
// withSeq false leaves seq out, for tables without one.
func replaceChildren(ctx context.Context, tx *sql.Tx, d dialect, table, parentCol,
	childCol string, withSeq bool, parent school.ID, children []school.ID) error {
	q := `DELETE FROM ` + table + ` WHERE ` + parentCol + ` = ?`
	if _, err := tx.ExecContext(ctx, d.query(q), int64(parent)); err != nil {
		return err
	}
	ins := `INSERT INTO ` + table + ` (` + parentCol + `, ` + childCol + `) VALUES (?, ?)`
	if withSeq {
		ins = `INSERT INTO ` + table + ` (` + parentCol + `, ` + childCol +
			`, seq) VALUES (?, ?, ?)`
	}
	for i, c := range children {
		args := []any{int64(parent), int64(c)}
		if withSeq {
			args = append(args, i)
		}
		if _, err := tx.ExecContext(ctx, d.query(ins), args...); err != nil {
			return err
		}
	}
	return nil
}

// newUUID is a random version-4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// PutPupil creates or replaces a pupil.
func (s *Store) PutPupil(ctx context.Context, p school.Pupil) (school.Pupil, error) {
	err := s.edit(ctx, "store pupil", func(tx *sql.Tx) error {
		err := s.checkRefs(ctx, tx, p.SchoolID, ref{school.EntityBranch, p.BranchID})
		if err != nil {
			return err
		}
		if err := s.nextInSchool(ctx, tx, "pupils", p.ID, p.SchoolID, &p.Number); err != nil {
			return err
		}
		return s.put(ctx, tx, "pupils", &p.ID, p.SchoolID, []string{"branch_id", "uuid",
			"number", "first_name", "name_prefix", "last_name", "email", "mobile",
			"birth_date", "gender", "photo_token"},
			[]any{int64(p.BranchID), p.UUID, p.Number, p.Name.First, p.Name.Prefix,
				p.Name.Last, p.Email, p.Mobile, dateText(p.BirthDate), p.Gender, p.PhotoToken})
	})
	return p, err
}

// PutStaff creates or replaces a staff member.
func (s *Store) PutStaff(ctx context.Context, x school.Staff) (school.Staff, error) {
	err := s.edit(ctx, "store staff", func(tx *sql.Tx) error {
		if err := s.checkRefs(ctx, tx, x.SchoolID); err != nil {
			return err
		}
		if err := s.nextInSchool(ctx, tx, "staff", x.ID, x.SchoolID, &x.Number); err != nil {
			return err
		}
		return s.put(ctx, tx, "staff", &x.ID, x.SchoolID, []string{"uuid", "number", "abbrev",
			"first_name", "name_prefix", "last_name", "initials", "gender"},
			[]any{x.UUID, x.Number, x.Abbrev, x.Name.First, x.Name.Prefix, x.Name.Last,
				x.Initials, x.Gender})
	})
	return x, err
}

// PutSubject creates or replaces a subject.
func (s *Store) PutSubject(ctx context.Context, x school.Subject) (school.Subject, error) {
	err := s.edit(ctx, "store subject", func(tx *sql.Tx) error {
		if err := s.checkRefs(ctx, tx, x.SchoolID); err != nil {
			return err
		}
		return s.put(ctx, tx, "subjects", &x.ID, x.SchoolID, []string{"uuid", "abbrev", "name"},
			[]any{x.UUID, x.Abbrev, x.Name})
	})
	return x, err
}

// PutGroup creates or replaces a group and its members.
func (s *Store) PutGroup(ctx context.Context, g school.Group) (school.Group, error) {
	err := s.edit(ctx, "store group", func(tx *sql.Tx) error {
		refs := append([]ref{{school.EntityYear, g.YearID}},
			optional(school.EntitySubject, g.SubjectID)...)
		refs = append(refs, refsOf(school.EntityPupil, g.PupilIDs)...)
		if err := s.checkRefs(ctx, tx, g.SchoolID, refs...); err != nil {
			return err
		}
		err := s.put(ctx, tx, "class_groups", &g.ID, g.SchoolID,
			[]string{"year_id", "uuid", "name", "subject_id"},
			[]any{int64(g.YearID), g.UUID, g.Name, int64(g.SubjectID)})
		if err != nil {
			return err
		}
		return replaceChildren(ctx, tx, s.d, "group_pupils", "group_id", "pupil_id", false,
			g.ID, g.PupilIDs)
	})
	return g, err
}

// PutAccount creates or replaces an account and a parent's children.
func (s *Store) PutAccount(ctx context.Context, a school.Account) (school.Account, error) {
	err := s.edit(ctx, "store account", func(tx *sql.Tx) error {
		person := school.EntityStaff
		if a.Role == school.RolePupil {
			person = school.EntityPupil
		}
		refs := append(optional(person, a.PersonID), refsOf(school.EntityPupil, a.PupilIDs)...)
		if err := s.checkRefs(ctx, tx, a.SchoolID, refs...); err != nil {
			return err
		}
		err := s.put(ctx, tx, "accounts", &a.ID, a.SchoolID, []string{"uuid", "username",
			"password_hash", "role", "person_id", "first_name", "name_prefix", "last_name",
			"demo_password"},
			[]any{a.UUID, a.Username, a.PasswordHash, string(a.Role), int64(a.PersonID),
				a.Name.First, a.Name.Prefix, a.Name.Last, a.DemoPassword})
		if err != nil {
			return err
		}
		return replaceChildren(ctx, tx, s.d, "account_pupils", "account_id", "pupil_id", true,
			a.ID, a.PupilIDs)
	})
	return a, err
}

// PutLesson creates or replaces a lesson and its teachers, and moves the
// times copied into its homework and observations along.
func (s *Store) PutLesson(ctx context.Context, l school.Lesson) (school.Lesson, error) {
	err := s.edit(ctx, "store lesson", func(tx *sql.Tx) error {
		refs := append([]ref{{school.EntityBranch, l.BranchID}, {school.EntityGroup, l.GroupID}},
			optional(school.EntitySubject, l.SubjectID)...)
		refs = append(refs, refsOf(school.EntityStaff, l.StaffIDs)...)
		if err := s.checkRefs(ctx, tx, l.SchoolID, refs...); err != nil {
			return err
		}
		err := s.put(ctx, tx, "lessons", &l.ID, l.SchoolID, []string{"branch_id", "group_id",
			"subject_id", "start_at", "end_at", "begin_hour", "end_hour", "location", "kind",
			"title", "status"},
			[]any{int64(l.BranchID), int64(l.GroupID), int64(l.SubjectID), millis(l.Start),
				millis(l.End), l.BeginHour, l.EndHour, l.Location, l.Kind, l.Title,
				string(l.Status)})
		if err != nil {
			return err
		}
		if err := replaceChildren(ctx, tx, s.d, "lesson_staff", "lesson_id", "staff_id", true,
			l.ID, l.StaffIDs); err != nil {
			return err
		}
		return s.followLesson(ctx, tx, l)
	})
	return l, err
}

// followLesson copies a lesson's times into what was copied from it.
func (s *Store) followLesson(ctx context.Context, tx *sql.Tx, l school.Lesson) error {
	y, w := l.Start.ISOWeek()
	_, err := tx.ExecContext(ctx, s.d.query(`
		UPDATE homework SET due_at = ?, iso_year = ?, week_from = ?, week_to = ?
		WHERE lesson_id = ? AND school_id = ? AND kind = ?`),
		millis(l.Start), y, w, w, int64(l.ID), int64(l.SchoolID), string(school.HomeworkLesson))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.d.query(`
		UPDATE observations SET start_at = ?, end_at = ?, begin_hour = ?, end_hour = ?
		WHERE lesson_id = ? AND school_id = ?`),
		millis(l.Start), millis(l.End), l.BeginHour, l.EndHour, int64(l.ID), int64(l.SchoolID))
	return err
}

// PutGrade creates or replaces a grade; a zero ColumnID gets a new column.
func (s *Store) PutGrade(ctx context.Context, g school.Grade) (school.Grade, error) {
	err := s.edit(ctx, "store grade", func(tx *sql.Tx) error {
		err := s.checkRefs(ctx, tx, g.SchoolID, ref{school.EntityPupil, g.PupilID},
			ref{school.EntitySubject, g.SubjectID})
		if err != nil {
			return err
		}
		if g.ColumnID == 0 {
			n, err := s.nextNumber(ctx, tx, "grades", "column_id", columnBase)
			if err != nil {
				return err
			}
			g.ColumnID = school.ID(n)
		}
		return s.put(ctx, tx, "grades", &g.ID, g.SchoolID, gradeColumns[2:],
			[]any{int64(g.PupilID), int64(g.SubjectID), int64(g.ColumnID),
				int64(g.CijferColumnID), int64(g.CompositeColumnID), g.Type, g.Tenths, g.HasValue,
				g.Current, g.Label, millis(g.Entered), g.Weight, g.ExamWeight, g.Period,
				g.StudyYear, g.Description, g.Seq, g.TestKind, g.NotCounting, g.NotMade,
				g.Exempt, g.ResitType, g.ResitNumber, g.InExam, g.InProgress, g.ReportTenths,
				g.HasReportTenths})
	})
	return g, err
}

// PutHomework creates or replaces an assignment; a zero GuideID takes the
// group's study guide (made when there is none), a zero ItemID a new item.
func (s *Store) PutHomework(ctx context.Context, h school.Homework) (school.Homework, error) {
	err := s.edit(ctx, "store homework", func(tx *sql.Tx) error {
		refs := append([]ref{{school.EntityGroup, h.GroupID}, {school.EntityYear, h.YearID}},
			optional(school.EntityLesson, h.LessonID)...)
		refs = append(refs, optional(school.EntityGuide, h.GuideID)...)
		if err := s.checkRefs(ctx, tx, h.SchoolID, refs...); err != nil {
			return err
		}
		if err := s.guideOf(ctx, tx, &h); err != nil {
			return err
		}
		if h.ItemID == 0 {
			n, err := s.nextNumber(ctx, tx, "homework", "item_id", itemBase)
			if err != nil {
				return err
			}
			h.ItemID = school.ID(n)
		}
		return s.put(ctx, tx, "homework", &h.ID, h.SchoolID, []string{"guide_id", "group_id",
			"item_id", "year_id", "kind", "lesson_id", "due_at", "iso_year", "week_from",
			"week_to", "topic", "hw_type", "description", "created_at", "sort_order"},
			[]any{int64(h.GuideID), int64(h.GroupID), int64(h.ItemID), int64(h.YearID),
				string(h.Kind), int64(h.LessonID), millis(h.Due), h.ISOYear, h.WeekFrom,
				h.WeekTo, h.Topic, h.Type, h.Description, millis(h.Created), h.Order})
	})
	return h, err
}

// guideOf sets h.GuideID, when zero, to the group's first study guide, or
// to a new one named after the group.
func (s *Store) guideOf(ctx context.Context, tx *sql.Tx, h *school.Homework) error {
	if h.GuideID != 0 {
		return nil
	}
	guides, err := queryList(ctx, tx, s.d, scanID,
		`SELECT id FROM study_guides WHERE group_id = ? AND school_id = ? ORDER BY id LIMIT 1`,
		int64(h.GroupID), int64(h.SchoolID))
	if err != nil || len(guides) == 1 {
		if err == nil {
			h.GuideID = guides[0]
		}
		return err
	}
	var name string
	err = tx.QueryRowContext(ctx, s.d.query(`SELECT name FROM class_groups WHERE id = ?`),
		int64(h.GroupID)).Scan(&name)
	if err != nil {
		return err
	}
	return s.put(ctx, tx, "study_guides", &h.GuideID, h.SchoolID,
		[]string{"group_id", "uuid", "name"}, []any{int64(h.GroupID), newUUID(), name})
}

// PutAbsenceReport creates or replaces an absence report.
func (s *Store) PutAbsenceReport(ctx context.Context,
	a school.AbsenceReport) (school.AbsenceReport, error) {
	err := s.edit(ctx, "store absence report", func(tx *sql.Tx) error {
		refs := append([]ref{{school.EntityPupil, a.PupilID}},
			optional(school.EntityReason, a.ReasonID)...)
		refs = append(refs, optional(school.EntityStaff, a.StaffID)...)
		if err := s.checkRefs(ctx, tx, a.SchoolID, refs...); err != nil {
			return err
		}
		return s.put(ctx, tx, "absence_reports", &a.ID, a.SchoolID, []string{"pupil_id",
			"reason_id", "staff_id", "entered_at", "start_at", "end_at", "begin_hour",
			"end_hour", "handled", "remarks"},
			[]any{int64(a.PupilID), int64(a.ReasonID), int64(a.StaffID), millis(a.Entered),
				millis(a.Start), nullMillis(a.End), a.BeginHour, a.EndHour, bit(a.Handled),
				a.Remarks})
	})
	return a, err
}

// PutObservation creates or replaces an observation.
func (s *Store) PutObservation(ctx context.Context,
	o school.Observation) (school.Observation, error) {
	err := s.edit(ctx, "store observation", func(tx *sql.Tx) error {
		refs := append([]ref{{school.EntityPupil, o.PupilID}, {school.EntityLesson, o.LessonID}},
			optional(school.EntityReason, o.ReasonID)...)
		refs = append(refs, optional(school.EntityStaff, o.StaffID)...)
		if err := s.checkRefs(ctx, tx, o.SchoolID, refs...); err != nil {
			return err
		}
		return s.put(ctx, tx, "observations", &o.ID, o.SchoolID, []string{"pupil_id",
			"lesson_id", "reason_id", "staff_id", "kind", "registration", "authorised",
			"handled", "entered_at", "start_at", "end_at", "begin_hour", "end_hour"},
			[]any{int64(o.PupilID), int64(o.LessonID), int64(o.ReasonID), int64(o.StaffID),
				o.Kind, o.Registration, bit(o.Authorised), bit(o.Handled), millis(o.Entered),
				millis(o.Start), millis(o.End), o.BeginHour, o.EndHour})
	})
	return o, err
}

// SetMember puts a pupil in a group or takes it out.
func (s *Store) SetMember(ctx context.Context, schoolID, groupID, pupilID school.ID,
	in bool) error {
	return s.edit(ctx, "set group member", func(tx *sql.Tx) error {
		err := s.checkRefs(ctx, tx, schoolID, ref{school.EntityGroup, groupID},
			ref{school.EntityPupil, pupilID})
		if err != nil {
			return err
		}
		q := `DELETE FROM group_pupils WHERE group_id = ? AND pupil_id = ?`
		if in {
			q = `INSERT INTO group_pupils (group_id, pupil_id) SELECT ?, ?
				WHERE NOT EXISTS (SELECT 1 FROM group_pupils WHERE group_id = ? AND pupil_id = ?)`
		}
		args := []any{int64(groupID), int64(pupilID)}
		if in {
			args = append(args, args...)
		}
		_, err = tx.ExecContext(ctx, s.d.query(q), args...)
		return err
	})
}

// SetSwitches stores switches; one at its default keeps no row.
func (s *Store) SetSwitches(ctx context.Context, schoolID school.ID, sw school.Switches) error {
	defaults := school.SwitchesOf(nil)
	return s.edit(ctx, "set switches", func(tx *sql.Tx) error {
		if err := s.checkRefs(ctx, tx, schoolID); err != nil {
			return err
		}
		for name, on := range sw {
			_, err := tx.ExecContext(ctx, s.d.query(
				`DELETE FROM school_switches WHERE school_id = ? AND name = ?`),
				int64(schoolID), name)
			if err != nil || on == defaults[name] {
				if err != nil {
					return err
				}
				continue
			}
			_, err = tx.ExecContext(ctx, s.d.query(
				`INSERT INTO school_switches (school_id, name, is_on) VALUES (?, ?, ?)`),
				int64(schoolID), name, bit(on))
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// SchoolOf is the school of an entity.
func (s *Store) SchoolOf(ctx context.Context, e school.Entity, id school.ID) (school.ID, error) {
	table, ok := entityTable[e]
	if !ok || e == school.EntitySchool {
		return 0, fmt.Errorf("school of %s: unknown entity", e)
	}
	var schoolID school.ID
	err := s.read.QueryRowContext(ctx, s.d.query(`SELECT school_id FROM `+table+` WHERE id = ?`),
		int64(id)).Scan(&schoolID)
	if err != nil {
		return 0, fmt.Errorf("school of %s: %w", e, notFound(err))
	}
	return schoolID, nil
}

// Group loads a group with its members.
func (s *Store) Group(ctx context.Context, schoolID, id school.ID) (school.Group, error) {
	var g school.Group
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, s.d.query(`SELECT id, school_id, year_id, uuid, name,
			subject_id FROM class_groups WHERE id = ? AND school_id = ?`),
			int64(id), int64(schoolID))
		if err := scanGroup(row, &g); err != nil {
			return notFound(err)
		}
		members, err := childIDs(ctx, tx, s.d, `SELECT group_id, pupil_id FROM group_pupils
			WHERE group_id IN (%s) ORDER BY group_id, pupil_id`, []school.ID{g.ID})
		g.PupilIDs = members[g.ID]
		return err
	})
	if err != nil {
		return school.Group{}, fmt.Errorf("load group: %w", err)
	}
	return g, nil
}

// AbsenceReport loads one absence report.
func (s *Store) AbsenceReport(ctx context.Context,
	schoolID, id school.ID) (school.AbsenceReport, error) {
	out, err := queryList(ctx, s.read, s.d, scanAbsence, `SELECT `+absenceColumns+
		` FROM absence_reports WHERE id = ? AND school_id = ?`, int64(id), int64(schoolID))
	return one(out, err, "load absence report")
}

// Observation loads one observation.
func (s *Store) Observation(ctx context.Context,
	schoolID, id school.ID) (school.Observation, error) {
	out, err := queryList(ctx, s.read, s.d, scanObservation, `SELECT `+observationColumns+
		` FROM observations WHERE id = ? AND school_id = ?`, int64(id), int64(schoolID))
	return one(out, err, "load observation")
}

// Branches lists a school's branches by id.
func (s *Store) Branches(ctx context.Context, schoolID school.ID) ([]school.Branch, error) {
	out, err := queryList(ctx, s.read, s.d, scanBranch,
		`SELECT id, school_id, uuid, name FROM branches WHERE school_id = ? ORDER BY id`,
		int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load branches: %w", err)
	}
	return out, nil
}
