package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/opensom/opensom/internal/school"
)

// homeworkDoneBase is where ids of ticks start when none exist yet: kind
// 20 of the demo's scheme, far above every generated id.
const homeworkDoneBase = 20_000_000_000

// SetHomeworkDone creates or updates the tick of (HomeworkID, PupilID).
// The assignment must be of the school and the pupil in its group. Two
// nodes that insert at once may pick one id, or both insert the same
// tick; the loser's unique violation rolls its transaction back, and the
// next attempt finds the winner's row or a free id.
func (s *Store) SetHomeworkDone(ctx context.Context,
	d school.HomeworkDone) (school.HomeworkDone, error) {
	var (
		out school.HomeworkDone
		err error
	)
	for range 5 {
		out, err = s.setHomeworkDone(ctx, d)
		if !errors.Is(err, school.ErrConflict) {
			break
		}
	}
	if err != nil {
		return school.HomeworkDone{}, fmt.Errorf("set homework tick: %w", err)
	}
	return out, nil
}

func (s *Store) setHomeworkDone(ctx context.Context,
	d school.HomeworkDone) (school.HomeworkDone, error) {
	var out school.HomeworkDone
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		var n int
		const check = `
			SELECT COUNT(*) FROM homework h
			JOIN group_pupils gp ON gp.group_id = h.group_id
			WHERE h.id = ? AND h.school_id = ? AND gp.pupil_id = ?`
		err := tx.QueryRowContext(ctx, s.d.query(check), int64(d.HomeworkID), int64(d.SchoolID),
			int64(d.PupilID)).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return school.ErrNotFound
		}
		rows, err := queryList(ctx, tx, s.d, scanDone,
			doneSelect+` WHERE homework_id = ? AND pupil_id = ?`+s.d.forUpdate,
			int64(d.HomeworkID), int64(d.PupilID))
		if err != nil {
			return err
		}
		if len(rows) == 1 {
			out = rows[0]
			out.Done = d.Done
			_, err = tx.ExecContext(ctx, s.d.query(`UPDATE homework_done SET done = ? WHERE id = ?`),
				bit(d.Done), int64(out.ID))
		} else {
			out, err = insertDone(ctx, tx, s.d, d)
		}
		if s.d.conflict(err) {
			return fmt.Errorf("%w: %w", school.ErrConflict, err)
		}
		if err != nil {
			return err
		}
		return bumpDataVersion(ctx, tx)
	})
	return out, err
}

// insertDone numbers a new tick one above the highest; SetHomeworkDone
// retries when another node took that number at the same moment.
func insertDone(ctx context.Context, tx *sql.Tx, d dialect, x school.HomeworkDone) (
	school.HomeworkDone, error) {
	var id int64
	err := tx.QueryRowContext(ctx, d.query(`SELECT COALESCE(MAX(id), ?) + 1 FROM homework_done`),
		int64(homeworkDoneBase)).Scan(&id)
	if err != nil {
		return x, err
	}
	x.ID = school.ID(id)
	_, err = tx.ExecContext(ctx, d.query(`INSERT INTO homework_done
		(id, school_id, homework_id, pupil_id, done) VALUES (?, ?, ?, ?, ?)`),
		id, int64(x.SchoolID), int64(x.HomeworkID), int64(x.PupilID), bit(x.Done))
	return x, err
}

// Conversations lists what an account received, newest first, then by id.
func (s *Store) Conversations(ctx context.Context, schoolID, accountID school.ID,
	p school.Page) ([]school.ConversationView, int, error) {
	where := ` FROM conversations c JOIN conversation_recipients r ON r.conversation_id = c.id
		WHERE c.school_id = ? AND r.account_id = ?`
	args := []any{int64(schoolID), int64(accountID)}
	var (
		out   []school.ConversationView
		total int
	)
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		if err := countRows(ctx, tx, s.d, where, args, &total); err != nil {
			return err
		}
		limit, largs := window(p)
		var err error
		out, err = queryList(ctx, tx, s.d, func(sc scanner, v *school.ConversationView) error {
			var sent int64
			err := sc.Scan(&v.ID, &v.SchoolID, &v.SenderID, &v.Subject, &v.Body, &sent,
				flag{&v.Read})
			v.Sent = fromMillis(sent)
			return err
		}, `SELECT c.id, c.school_id, c.sender_id, c.subject, c.body, c.sent_at, r.is_read`+
			where+` ORDER BY c.sent_at DESC, c.id DESC`+limit, append(args, largs...)...)
		if err != nil || len(out) == 0 {
			return err
		}
		ids := make([]school.ID, len(out))
		for i, v := range out {
			ids[i] = v.ID
		}
		recips, err := childIDs(ctx, tx, s.d, `
			SELECT conversation_id, account_id FROM conversation_recipients
			WHERE conversation_id IN (%s) ORDER BY conversation_id, seq`, ids)
		for i := range out {
			out[i].Recipients = recips[out[i].ID]
		}
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("load conversations: %w", err)
	}
	return out, total, nil
}

// MarkConversationRead sets the read state of a conversation the account
// received; any other is ErrNotFound.
func (s *Store) MarkConversationRead(ctx context.Context, schoolID, accountID, id school.ID,
	read bool) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.query(`
			UPDATE conversation_recipients SET is_read = ?
			WHERE account_id = ? AND conversation_id IN (
				SELECT id FROM conversations WHERE id = ? AND school_id = ?)`),
			bit(read), int64(accountID), int64(id), int64(schoolID))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, school.ErrNotFound)
		}
		return bumpDataVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("mark conversation read: %w", err)
	}
	return nil
}

// ICalLink loads an account's calendar secret.
func (s *Store) ICalLink(ctx context.Context, accountID school.ID) (school.ICalLink, error) {
	var l school.ICalLink
	var created int64
	err := s.read.QueryRowContext(ctx, s.d.query(`
		SELECT account_id, school_id, secret, created_at FROM ical_links WHERE account_id = ?`),
		int64(accountID)).Scan(&l.AccountID, &l.SchoolID, &l.Secret, &created)
	if err != nil {
		return school.ICalLink{}, fmt.Errorf("load calendar link: %w", notFound(err))
	}
	l.Created = fromMillis(created)
	return l, nil
}

// SetICalLink stores or replaces an account's calendar secret. The feed
// is built from school data, so the data version moves too.
func (s *Store) SetICalLink(ctx context.Context, l school.ICalLink) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.query(`DELETE FROM ical_links WHERE account_id = ?`),
			int64(l.AccountID))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.d.query(`INSERT INTO ical_links
			(account_id, school_id, secret, created_at) VALUES (?, ?, ?, ?)`),
			int64(l.AccountID), int64(l.SchoolID), l.Secret, millis(l.Created))
		if err != nil {
			return err
		}
		return bumpDataVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store calendar link: %w", err)
	}
	return nil
}

// DeleteICalLink revokes an account's calendar secret.
func (s *Store) DeleteICalLink(ctx context.Context, schoolID, accountID school.ID) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.query(
			`DELETE FROM ical_links WHERE account_id = ? AND school_id = ?`),
			int64(accountID), int64(schoolID))
		if err != nil {
			return err
		}
		return bumpDataVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("revoke calendar link: %w", err)
	}
	return nil
}

// SetLessonStatus changes a lesson's afspraakStatus.
func (s *Store) SetLessonStatus(ctx context.Context, schoolID, lessonID school.ID,
	status school.LessonStatus) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.query(
			`UPDATE lessons SET status = ? WHERE id = ? AND school_id = ?`),
			string(status), int64(lessonID), int64(schoolID))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, school.ErrNotFound)
		}
		return bumpDataVersion(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("set lesson status: %w", err)
	}
	return nil
}
