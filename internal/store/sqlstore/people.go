package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/opensom/opensom/internal/school"
)

const accountSelect = `
	SELECT id, school_id, uuid, username, password_hash, role, person_id,
	       first_name, name_prefix, last_name, demo_password
	FROM accounts`

const accountPupilsQuery = `
	SELECT account_id, pupil_id FROM account_pupils
	WHERE account_id IN (%s)
	ORDER BY account_id, seq`

func scanAccount(sc scanner, a *school.Account) error {
	var role string
	err := sc.Scan(&a.ID, &a.SchoolID, &a.UUID, &a.Username, &a.PasswordHash, &role,
		&a.PersonID, &a.Name.First, &a.Name.Prefix, &a.Name.Last, &a.DemoPassword)
	a.Role = school.Role(role)
	return err
}

// Accounts lists every account of every school, by school then id.
func (s *Store) Accounts(ctx context.Context) ([]school.Account, error) {
	out, err := s.accounts(ctx, accountSelect+` ORDER BY school_id, id`)
	if err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	return out, nil
}

// Account loads an account of a school.
func (s *Store) Account(ctx context.Context, schoolID, id school.ID) (school.Account, error) {
	out, err := s.accounts(ctx, accountSelect+` WHERE id = ? AND school_id = ?`,
		int64(id), int64(schoolID))
	return one(out, err, "load account")
}

// AccountByUsername loads the account of a school with that username.
func (s *Store) AccountByUsername(ctx context.Context, schoolID school.ID,
	username string) (school.Account, error) {
	out, err := s.accounts(ctx, accountSelect+` WHERE school_id = ? AND username = ?`,
		int64(schoolID), username)
	return one(out, err, "load account")
}

// accounts runs an accounts query and attaches the parents' children.
func (s *Store) accounts(ctx context.Context, q string, args ...any) ([]school.Account, error) {
	var out []school.Account
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = queryList(ctx, tx, s.d, scanAccount, q, args...); err != nil {
			return err
		}
		ids := make([]school.ID, len(out))
		for i, a := range out {
			ids[i] = a.ID
		}
		children, err := childIDs(ctx, tx, s.d, accountPupilsQuery, ids)
		for i := range out {
			out[i].PupilIDs = children[out[i].ID]
		}
		return err
	})
	return out, err
}

// one is the single row of a lookup, or ErrNotFound.
func one[T any](rows []T, err error, what string) (T, error) {
	var zero T
	if err == nil && len(rows) == 0 {
		err = school.ErrNotFound
	}
	if err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	return rows[0], nil
}

const pupilSelect = `
	SELECT id, school_id, branch_id, uuid, number, first_name, name_prefix, last_name,
	       email, mobile, birth_date, gender, photo_token
	FROM pupils`

func scanPupil(sc scanner, p *school.Pupil) error {
	var birth string
	err := sc.Scan(&p.ID, &p.SchoolID, &p.BranchID, &p.UUID, &p.Number, &p.Name.First,
		&p.Name.Prefix, &p.Name.Last, &p.Email, &p.Mobile, &birth, &p.Gender, &p.PhotoToken)
	if err != nil {
		return err
	}
	p.BirthDate, err = fromDateText(birth)
	return err
}

// Pupils returns the pupils with the given ids, by id; unknown ids are left
// out.
func (s *Store) Pupils(ctx context.Context, schoolID school.ID,
	ids []school.ID) ([]school.Pupil, error) {
	out, err := queryByIDs(ctx, s.read, s.d, scanPupil, pupilSelect, schoolID, ids)
	if err != nil {
		return nil, fmt.Errorf("load pupils: %w", err)
	}
	return out, nil
}

// Pupil loads a pupil of a school.
func (s *Store) Pupil(ctx context.Context, schoolID, id school.ID) (school.Pupil, error) {
	out, err := queryByIDs(ctx, s.read, s.d, scanPupil, pupilSelect, schoolID,
		[]school.ID{id})
	return one(out, err, "load pupil")
}

// PupilsTaughtBy lists the ids of the pupils in the groups whose lessons
// the staff member teaches, by id.
//
// TODO: mentors are not in the domain yet, so a mentor who does not teach
// the class sees none of its pupils.
func (s *Store) PupilsTaughtBy(ctx context.Context, schoolID,
	staffID school.ID) ([]school.ID, error) {
	const q = `
		SELECT DISTINCT gp.pupil_id
		FROM group_pupils gp
		WHERE gp.group_id IN (
			SELECT l.group_id
			FROM lesson_staff ls
			JOIN lessons l ON l.id = ls.lesson_id
			WHERE ls.staff_id = ? AND l.school_id = ?)
		ORDER BY gp.pupil_id`
	out, err := queryList(ctx, s.read, s.d, scanID, q, int64(staffID), int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load pupils taught: %w", err)
	}
	return out, nil
}

func scanID(sc scanner, id *school.ID) error { return sc.Scan(id) }

const staffSelect = `
	SELECT id, school_id, uuid, number, abbrev, first_name, name_prefix, last_name,
	       initials, gender
	FROM staff`

func scanStaff(sc scanner, x *school.Staff) error {
	return sc.Scan(&x.ID, &x.SchoolID, &x.UUID, &x.Number, &x.Abbrev, &x.Name.First,
		&x.Name.Prefix, &x.Name.Last, &x.Initials, &x.Gender)
}

// StaffMembers returns the staff with the given ids, by id; unknown ids are
// left out.
func (s *Store) StaffMembers(ctx context.Context, schoolID school.ID,
	ids []school.ID) ([]school.Staff, error) {
	out, err := queryByIDs(ctx, s.read, s.d, scanStaff, staffSelect, schoolID, ids)
	if err != nil {
		return nil, fmt.Errorf("load staff: %w", err)
	}
	return out, nil
}

// GroupPupils lists the ids of the pupils in a group, by id. A group of
// another school, or none, is ErrNotFound; an empty group is an empty list.
func (s *Store) GroupPupils(ctx context.Context, schoolID,
	groupID school.ID) ([]school.ID, error) {
	// The LEFT JOIN tells an empty group (one row, NULL) from a missing one
	// (no row) in one query.
	const q = `
		SELECT gp.pupil_id
		FROM class_groups g
		LEFT JOIN group_pupils gp ON gp.group_id = g.id
		WHERE g.id = ? AND g.school_id = ?
		ORDER BY gp.pupil_id`
	rows, err := queryList(ctx, s.read, s.d, scanNullID, q, int64(groupID), int64(schoolID))
	if err == nil && len(rows) == 0 {
		err = school.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load group pupils: %w", err)
	}
	var ids []school.ID
	for _, n := range rows {
		if n.Valid {
			ids = append(ids, school.ID(n.Int64))
		}
	}
	return ids, nil
}

func scanNullID(sc scanner, n *sql.NullInt64) error { return sc.Scan(n) }
