package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/opensom/opensom/internal/school"
)

// referrer is one kind of row that refers to an entity: the rows of table
// whose column is the entity's id (and that meet where, when set), named
// by the ids in idCol.
type referrer struct {
	what, table, idCol, column, where string
}

// referrers are what keeps each entity from being deleted. What belongs
// to an entity alone (a group's memberships and study guides, a lesson's
// teachers, an account's children and calendar link, an assignment's
// ticks) is not listed: the schema's ON DELETE CASCADE removes it along.
var referrers = map[school.Entity][]referrer{
	school.EntityPupil: {
		{"grades", "grades", "id", "pupil_id", ""},
		{"groups", "group_pupils", "group_id", "pupil_id", ""},
		{"accounts", "accounts", "id", "person_id", "role = 'leerling'"},
		{"parent accounts", "account_pupils", "account_id", "pupil_id", ""},
		{"absence reports", "absence_reports", "id", "pupil_id", ""},
		{"observations", "observations", "id", "pupil_id", ""},
		{"measures", "measures", "id", "pupil_id", ""},
		{"homework ticks", "homework_done", "id", "pupil_id", ""},
	},
	school.EntityStaff: {
		{"lessons", "lesson_staff", "lesson_id", "staff_id", ""},
		{"accounts", "accounts", "id", "person_id", "role <> 'leerling' AND role <> 'ouder'"},
		{"absence reports", "absence_reports", "id", "staff_id", ""},
		{"observations", "observations", "id", "staff_id", ""},
		{"conversations", "conversations", "id", "sender_id", ""},
	},
	school.EntitySubject: {
		{"grades", "grades", "id", "subject_id", ""},
		{"groups", "class_groups", "id", "subject_id", ""},
		{"lessons", "lessons", "id", "subject_id", ""},
	},
	school.EntityGroup: {
		{"lessons", "lessons", "id", "group_id", ""},
		{"homework", "homework", "id", "group_id", ""},
	},
	school.EntityAccount: {
		{"conversations", "conversation_recipients", "conversation_id", "account_id", ""},
	},
	school.EntityLesson: {
		{"observations", "observations", "id", "lesson_id", ""},
		{"homework", "homework", "id", "lesson_id", "kind = 'afspraak'"},
	},
	school.EntityGrade:       nil,
	school.EntityHomework:    nil,
	school.EntityAbsence:     nil,
	school.EntityObservation: nil,
}

// Delete removes an entity of a school unless other rows refer to it.
//
// TODO: nothing cascades on request: a pupil with grades, groups and an
// account takes a delete of each of them first, one admin call apiece,
// which is dozens of calls for a pupil of the demo world.
func (s *Store) Delete(ctx context.Context, e school.Entity, schoolID, id school.ID) error {
	refs, ok := referrers[e]
	if !ok {
		return fmt.Errorf("delete %s: not an entity that can be deleted", e)
	}
	return s.edit(ctx, "delete "+string(e), func(tx *sql.Tx) error {
		// Locked on PostgreSQL, so that a second delete waits for this one.
		q := `SELECT id FROM ` + entityTable[e] + ` WHERE id = ? AND school_id = ?` +
			s.d.forUpdate
		found, err := queryList(ctx, tx, s.d, scanID, q, int64(id), int64(schoolID))
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return school.ErrNotFound
		}
		inUse, err := s.references(ctx, tx, refs, id)
		if err != nil {
			return err
		}
		if len(inUse) > 0 {
			return &school.InUseError{Entity: e, ID: id, Refs: inUse}
		}
		if e == school.EntityAccount {
			if err := endSessions(ctx, tx, s.d, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, s.d.query(`DELETE FROM `+entityTable[e]+
			` WHERE id = ? AND school_id = ?`), int64(id), int64(schoolID))
		return err
	})
}

// references counts the rows of each referrer that point at id, with the
// first few of their ids.
func (s *Store) references(ctx context.Context, tx *sql.Tx, refs []referrer,
	id school.ID) ([]school.Reference, error) {
	var out []school.Reference
	for _, r := range refs {
		where := ` FROM ` + r.table + ` WHERE ` + r.column + ` = ?`
		if r.where != "" {
			where += ` AND ` + r.where
		}
		var n int
		err := tx.QueryRowContext(ctx, s.d.query(`SELECT COUNT(DISTINCT `+r.idCol+`)`+where),
			int64(id)).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", r.what, err)
		}
		if n == 0 {
			continue
		}
		ids, err := queryList(ctx, tx, s.d, scanID, `SELECT DISTINCT `+r.idCol+where+
			` ORDER BY `+r.idCol+` LIMIT ?`, int64(id), school.MaxReferenceIDs)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", r.what, err)
		}
		out = append(out, school.Reference{What: r.what, Count: n, IDs: ids})
	}
	return out, nil
}

// endSessions removes an account's token families (so that its tokens
// stop working: an unknown family counts as revoked) and its codes.
func endSessions(ctx context.Context, tx *sql.Tx, d dialect, accountID school.ID) error {
	_, err := tx.ExecContext(ctx, d.query(`DELETE FROM token_families WHERE id IN (
		SELECT family_id FROM refresh_tokens WHERE account_id = ?)`), int64(accountID))
	if err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	_, err = tx.ExecContext(ctx, d.query(`DELETE FROM auth_codes WHERE account_id = ?`),
		int64(accountID))
	if err != nil {
		return fmt.Errorf("drop codes: %w", err)
	}
	return nil
}
