package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

// gradeColumns are the grades table's columns, in the order of Import and
// scanGrade.
var gradeColumns = []string{
	"id", "school_id", "pupil_id", "subject_id", "column_id", "cijfer_column_id",
	"composite_column_id", "type", "tenths", "has_value", "current_tenths", "label",
	"entered_at", "weight", "exam_weight", "period", "study_year", "description", "seq",
	"test_kind", "not_counting", "not_made", "exempt", "resit_type", "resit_number",
	"in_exam", "in_progress", "report_tenths", "has_report_tenths",
}

var gradeSelect = strings.Join(gradeColumns, ", ")

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface {
	Scan(dest ...any) error
}

// scanGrade reads gradeColumns from one row.
func scanGrade(sc scanner, g *school.Grade) error {
	gs := newGradeScan()
	if err := gs.scan(sc); err != nil {
		return err
	}
	*g = gs.grade()
	return nil
}

// gradeScan holds the scan targets of one grade row, so that a list can
// scan every row into the same targets instead of making them per row.
type gradeScan struct {
	g       school.Grade
	entered int64
	dest    []any
}

func newGradeScan() *gradeScan {
	s := &gradeScan{}
	g := &s.g
	s.dest = []any{
		(*int64)(&g.ID), (*int64)(&g.SchoolID), (*int64)(&g.PupilID), (*int64)(&g.SubjectID),
		(*int64)(&g.ColumnID), (*int64)(&g.CijferColumnID), (*int64)(&g.CompositeColumnID),
		&g.Type, &g.Tenths, &g.HasValue, &g.Current, &g.Label, &s.entered, &g.Weight,
		&g.ExamWeight, &g.Period, &g.StudyYear, &g.Description, &g.Seq, &g.TestKind,
		&g.NotCounting, &g.NotMade, &g.Exempt, &g.ResitType, &g.ResitNumber, &g.InExam,
		&g.InProgress, &g.ReportTenths, &g.HasReportTenths,
	}
	return s
}

func (s *gradeScan) scan(sc scanner) error { return sc.Scan(s.dest...) }

func (s *gradeScan) grade() school.Grade {
	g := s.g
	g.Entered = fromMillis(s.entered)
	return g
}

// Grade loads one grade of a school.
func (s *Store) Grade(ctx context.Context, schoolID, id school.ID) (school.Grade, error) {
	var g school.Grade
	q := `SELECT ` + gradeSelect + ` FROM grades WHERE id = ? AND school_id = ?`
	err := scanGrade(s.read.QueryRowContext(ctx, s.d.query(q), int64(id), int64(schoolID)), &g)
	if err != nil {
		return school.Grade{}, fmt.Errorf("load grade: %w", notFound(err))
	}
	return g, nil
}

// Grades lists the grades of some pupils in the asked order, one page of
// them, and the total before paging.
func (s *Store) Grades(ctx context.Context, q school.GradeQuery) ([]school.Grade, int, error) {
	if len(q.PupilIDs) == 0 {
		return nil, 0, nil
	}
	where := `
		FROM grades
		WHERE school_id = ? AND pupil_id IN (` + placeholders(len(q.PupilIDs)) + `)`
	args := append([]any{int64(q.SchoolID)}, idArgs(q.PupilIDs)...)
	var (
		grades []school.Grade
		total  int
	)
	limit, largs := window(q.Page)
	// The total comes from a count of its own: COUNT(*) OVER () would make
	// the database read every grade of the pupils instead of one page.
	text := s.d.query(`SELECT ` + gradeSelect + where + orderBy(q.Sort, "entered_at") + limit)
	st, err := s.hot.get(ctx, len(q.PupilIDs), text)
	if err != nil {
		return nil, 0, fmt.Errorf("load grades: %w", err)
	}
	err = s.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := queryTx(ctx, tx, st, text, append(args, largs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		grades = make([]school.Grade, 0, min(max(q.Page.Limit, 0), 1000))
		gs := newGradeScan()
		for rows.Next() {
			if err := gs.scan(rows); err != nil {
				return err
			}
			grades = append(grades, gs.grade())
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return countRows(ctx, tx, s.d, where, args, &total)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("load grades: %w", err)
	}
	return grades, total, nil
}

// countRows counts what a list query matches, for a page past the end,
// where COUNT(*) OVER () has no row to ride on.
func countRows(ctx context.Context, q querier, d dialect, from string, args []any,
	total *int) error {
	return q.QueryRowContext(ctx, d.query(`SELECT COUNT(*) `+from), args...).Scan(total)
}

// orderBy is the ORDER BY of a list sorted by a time column; every order
// ends in the id, so pages never overlap or skip.
func orderBy(sort school.Sort, timeCol string) string {
	switch sort {
	case school.SortIDAsc:
		return ` ORDER BY id`
	case school.SortIDDesc:
		return ` ORDER BY id DESC`
	case school.SortTimeDesc:
		return ` ORDER BY ` + timeCol + ` DESC, id DESC`
	default:
		return ` ORDER BY ` + timeCol + `, id`
	}
}
