package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/opensom/opensom/internal/school"
)

// Export reads every school's data back as a World, in one read
// transaction, each list by id.
func (s *Store) Export(ctx context.Context) (*school.World, error) {
	w := &school.World{}
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		return exportWorld(ctx, tx, s.d, w)
	})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return w, nil
}

// exportWorld fills w from the tables, parents before children.
func exportWorld(ctx context.Context, tx *sql.Tx, d dialect, w *school.World) error {
	var err error
	w.Schools, err = querySchools(ctx, tx, d, schoolSelect+` ORDER BY id`)
	if err != nil {
		return fmt.Errorf("schools: %w", err)
	}
	steps := []struct {
		what string
		fn   func() error
	}{
		{"branches", func() (err error) {
			w.Branches, err = queryList(ctx, tx, d, scanBranch,
				`SELECT id, school_id, uuid, name FROM branches ORDER BY id`)
			return err
		}},
		{"years", func() (err error) {
			w.Years, err = queryList(ctx, tx, d, scanYear, yearSelect+` ORDER BY id`)
			return err
		}},
		{"subjects", func() (err error) {
			w.Subjects, err = queryList(ctx, tx, d, scanSubject, subjectSelect+` ORDER BY id`)
			return err
		}},
		{"staff", func() (err error) {
			w.Staff, err = queryList(ctx, tx, d, scanStaff, staffSelect+` ORDER BY id`)
			return err
		}},
		{"pupils", func() (err error) {
			w.Pupils, err = queryList(ctx, tx, d, scanPupil, pupilSelect+` ORDER BY id`)
			return err
		}},
		{"groups", func() error { return exportGroups(ctx, tx, d, w) }},
		{"accounts", func() error { return exportAccounts(ctx, tx, d, w) }},
		{"lessons", func() error { return exportLessons(ctx, tx, d, w) }},
		{"grades", func() (err error) {
			w.Grades, err = queryList(ctx, tx, d, scanGrade,
				`SELECT `+gradeSelect+` FROM grades ORDER BY id`)
			return err
		}},
		{"switches", func() (err error) {
			w.Switches, err = queryList(ctx, tx, d, scanSwitch,
				`SELECT school_id, name, is_on FROM school_switches
				ORDER BY school_id, name`+d.bytewise)
			return err
		}},
		{"holidays", func() (err error) {
			w.Holidays, err = queryList(ctx, tx, d, scanHoliday,
				`SELECT id, school_id, name, from_date, to_date FROM holidays ORDER BY id`)
			return err
		}},
		{"lesson hours", func() (err error) {
			w.LessonHours, err = queryList(ctx, tx, d, scanLessonHour,
				`SELECT school_id, number, begin_time, end_time FROM lesson_hours
				ORDER BY school_id, number`)
			return err
		}},
		{"absence reasons", func() (err error) {
			w.AbsenceReasons, err = queryList(ctx, tx, d, scanReason,
				`SELECT id, school_id, abbrev, description, kind, authorised
				FROM absence_reasons ORDER BY id`)
			return err
		}},
		{"absence reports", func() (err error) {
			w.AbsenceReports, err = queryList(ctx, tx, d, scanAbsence,
				`SELECT `+absenceColumns+` FROM absence_reports ORDER BY id`)
			return err
		}},
		{"observations", func() (err error) {
			w.Observations, err = queryList(ctx, tx, d, scanObservation,
				`SELECT `+observationColumns+` FROM observations ORDER BY id`)
			return err
		}},
		{"measures", func() (err error) {
			w.Measures, err = queryList(ctx, tx, d, scanMeasure, measureSelect+` ORDER BY id`)
			return err
		}},
		{"study guides", func() (err error) {
			w.StudyGuides, err = queryList(ctx, tx, d, scanGuide, guideSelect+` ORDER BY id`)
			return err
		}},
		{"homework", func() (err error) {
			w.Homework, err = queryList(ctx, tx, d, scanHomework,
				`SELECT `+homeworkColumns+` FROM homework ORDER BY id`)
			return err
		}},
		{"conversations", func() error { return exportConversations(ctx, tx, d, w) }},
		{"world source", func() error {
			sources, err := queryList(ctx, tx, d, func(sc scanner, s *string) error {
				return sc.Scan(s)
			}, `SELECT source FROM world_source`)
			if len(sources) == 1 {
				w.Source = sources[0]
			}
			return err
		}},
	}
	for _, st := range steps {
		if err := st.fn(); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
	}
	return nil
}

func scanBranch(sc scanner, b *school.Branch) error {
	return sc.Scan(&b.ID, &b.SchoolID, &b.UUID, &b.Name)
}

func exportGroups(ctx context.Context, tx *sql.Tx, d dialect, w *school.World) error {
	var err error
	w.Groups, err = queryList(ctx, tx, d, scanGroup,
		`SELECT id, school_id, year_id, uuid, name, subject_id FROM class_groups ORDER BY id`)
	if err != nil {
		return err
	}
	members, err := allChildIDs(ctx, tx, d,
		`SELECT group_id, pupil_id FROM group_pupils ORDER BY group_id, pupil_id`)
	for i := range w.Groups {
		w.Groups[i].PupilIDs = members[w.Groups[i].ID]
	}
	return err
}

func exportAccounts(ctx context.Context, tx *sql.Tx, d dialect, w *school.World) error {
	var err error
	w.Accounts, err = queryList(ctx, tx, d, scanAccount, accountSelect+` ORDER BY id`)
	if err != nil {
		return err
	}
	children, err := allChildIDs(ctx, tx, d,
		`SELECT account_id, pupil_id FROM account_pupils ORDER BY account_id, seq`)
	for i := range w.Accounts {
		w.Accounts[i].PupilIDs = children[w.Accounts[i].ID]
	}
	return err
}

func exportLessons(ctx context.Context, tx *sql.Tx, d dialect, w *school.World) error {
	var err error
	w.Lessons, err = queryList(ctx, tx, d, func(sc scanner, l *school.Lesson) error {
		return scanLesson(sc, l)
	}, `SELECT `+lessonSelect+` FROM lessons ORDER BY id`)
	if err != nil {
		return err
	}
	staff, err := allChildIDs(ctx, tx, d,
		`SELECT lesson_id, staff_id FROM lesson_staff ORDER BY lesson_id, seq`)
	for i := range w.Lessons {
		w.Lessons[i].StaffIDs = staff[w.Lessons[i].ID]
	}
	return err
}

func exportConversations(ctx context.Context, tx *sql.Tx, d dialect, w *school.World) error {
	var err error
	w.Conversations, err = queryList(ctx, tx, d, func(sc scanner, c *school.Conversation) error {
		var sent int64
		err := sc.Scan(&c.ID, &c.SchoolID, &c.SenderID, &c.Subject, &c.Body, &sent)
		c.Sent = fromMillis(sent)
		return err
	}, `SELECT id, school_id, sender_id, subject, body, sent_at FROM conversations ORDER BY id`)
	if err != nil {
		return err
	}
	recips, err := allChildIDs(ctx, tx, d, `SELECT conversation_id, account_id
		FROM conversation_recipients ORDER BY conversation_id, seq`)
	for i := range w.Conversations {
		w.Conversations[i].Recipients = recips[w.Conversations[i].ID]
	}
	return err
}

// allChildIDs runs a query of (parent id, child id) rows over a whole
// table and groups the children by parent in the query's order.
func allChildIDs(ctx context.Context, q querier, d dialect,
	query string) (map[school.ID][]school.ID, error) {
	type pair struct{ parent, child school.ID }
	rows, err := queryList(ctx, q, d, func(sc scanner, p *pair) error {
		return sc.Scan(&p.parent, &p.child)
	}, query)
	if err != nil {
		return nil, err
	}
	out := map[school.ID][]school.ID{}
	for _, p := range rows {
		out[p.parent] = append(out[p.parent], p.child)
	}
	return out, nil
}
