package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

var lessonSelect = strings.Join([]string{
	"id", "school_id", "branch_id", "group_id", "subject_id", "start_at", "end_at",
	"begin_hour", "end_hour", "location", "kind", "title", "status",
}, ", ")

// scanLesson reads lessonSelect, then extra, from one row. StaffIDs come
// from lesson_staff, loaded apart.
func scanLesson(sc scanner, l *school.Lesson, extra ...any) error {
	var start, end int64
	var status string
	dest := []any{
		&l.ID, &l.SchoolID, &l.BranchID, &l.GroupID, &l.SubjectID, &start, &end,
		&l.BeginHour, &l.EndHour, &l.Location, &l.Kind, &l.Title, &status,
	}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	l.Start, l.End, l.Status = fromMillis(start), fromMillis(end), school.LessonStatus(status)
	return nil
}

const lessonStaffQuery = `
	SELECT lesson_id, staff_id FROM lesson_staff
	WHERE lesson_id IN (%s)
	ORDER BY lesson_id, seq`

// Lesson loads one lesson of a school with its teachers.
func (s *Store) Lesson(ctx context.Context, schoolID, id school.ID) (school.Lesson, error) {
	var l school.Lesson
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		q := `SELECT ` + lessonSelect + ` FROM lessons WHERE id = ? AND school_id = ?`
		row := tx.QueryRowContext(ctx, s.d.query(q), int64(id), int64(schoolID))
		if err := scanLesson(row, &l); err != nil {
			return notFound(err)
		}
		staff, err := childIDs(ctx, tx, s.d, lessonStaffQuery, []school.ID{l.ID})
		l.StaffIDs = staff[l.ID]
		return err
	})
	if err != nil {
		return school.Lesson{}, fmt.Errorf("load lesson: %w", err)
	}
	return l, nil
}

// Lessons lists the lessons of the groups the pupils are in that start in
// [From, To), each once, one page of them, and the total before paging.
func (s *Store) Lessons(ctx context.Context, q school.LessonQuery) ([]school.Lesson, int, error) {
	if len(q.PupilIDs) == 0 {
		return nil, 0, nil
	}
	// IN (subquery) rather than a join: a lesson of a group that several
	// of the pupils share comes back once, without DISTINCT.
	where := `
		FROM lessons
		WHERE school_id = ? AND start_at >= ? AND start_at < ?
		  AND group_id IN (
			SELECT group_id FROM group_pupils
			WHERE pupil_id IN (` + placeholders(len(q.PupilIDs)) + `))`
	args := append([]any{int64(q.SchoolID), millis(q.From), millis(q.To)},
		idArgs(q.PupilIDs)...)
	var (
		lessons []school.Lesson
		total   int
	)
	limit, largs := window(q.Page)
	text := s.d.query(`SELECT ` + lessonSelect + `, COUNT(*) OVER ()` + where +
		orderBy(q.Sort, "start_at") + limit)
	st, err := s.hot.get(ctx, len(q.PupilIDs), text)
	if err != nil {
		return nil, 0, fmt.Errorf("load lessons: %w", err)
	}
	err = s.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := queryTx(ctx, tx, st, text, append(args, largs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l school.Lesson
			if err := scanLesson(rows, &l, &total); err != nil {
				return err
			}
			lessons = append(lessons, l)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(lessons) == 0 {
			if q.Page.Offset > 0 {
				return countRows(ctx, tx, s.d, where, args, &total)
			}
			return nil
		}
		return attachStaff(ctx, tx, s.d, lessons)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("load lessons: %w", err)
	}
	return lessons, total, nil
}

func attachStaff(ctx context.Context, q querier, d dialect, lessons []school.Lesson) error {
	ids := make([]school.ID, len(lessons))
	for i, l := range lessons {
		ids[i] = l.ID
	}
	staff, err := childIDs(ctx, q, d, lessonStaffQuery, ids)
	if err != nil {
		return err
	}
	for i := range lessons {
		lessons[i].StaffIDs = staff[lessons[i].ID]
	}
	return nil
}

// childChunk bounds the ids of one IN list when loading child rows.
const childChunk = 500

// childIDs runs a query of (parent id, child id) rows whose %s is the IN
// list of parents, in chunks, and groups the children by parent in the
// query's order.
func childIDs(ctx context.Context, q querier, d dialect, query string,
	parents []school.ID) (map[school.ID][]school.ID, error) {
	out := make(map[school.ID][]school.ID, len(parents))
	for len(parents) > 0 {
		chunk := parents[:min(len(parents), childChunk)]
		parents = parents[len(chunk):]
		text := d.query(fmt.Sprintf(query, placeholders(len(chunk))))
		rows, err := q.QueryContext(ctx, text, idArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var parent, child school.ID
			if err := rows.Scan(&parent, &child); err != nil {
				rows.Close()
				return nil, err
			}
			out[parent] = append(out[parent], child)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
