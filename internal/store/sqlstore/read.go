package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/opensom/opensom/internal/school"
)

// Empty reports whether the store holds no school yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var found bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schools)`).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("check empty: %w", err)
	}
	return !found, nil
}

const schoolSelect = `SELECT id, uuid, name, city, tenant, abbrev, password_grant_off FROM schools`

const oidcQuery = `
	SELECT school_id, description, url, domain_hint FROM school_oidc_urls
	WHERE school_id IN (%s)
	ORDER BY school_id, seq`

func scanSchool(sc scanner, x *school.School) error {
	return sc.Scan(&x.ID, &x.UUID, &x.Name, &x.City, &x.Tenant, &x.Abbrev, &x.PasswordGrantOff)
}

// Schools lists every school by id.
func (s *Store) Schools(ctx context.Context) ([]school.School, error) {
	var out []school.School
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = querySchools(ctx, tx, s.d, schoolSelect+` ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load schools: %w", err)
	}
	return out, nil
}

// School loads a school by id.
func (s *Store) School(ctx context.Context, id school.ID) (school.School, error) {
	return s.oneSchool(ctx, schoolSelect+` WHERE id = ?`, int64(id))
}

// SchoolByUUID loads a school by its uuid.
func (s *Store) SchoolByUUID(ctx context.Context, uuid string) (school.School, error) {
	return s.oneSchool(ctx, schoolSelect+` WHERE uuid = ?`, uuid)
}

func (s *Store) oneSchool(ctx context.Context, q string, args ...any) (school.School, error) {
	var out []school.School
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = querySchools(ctx, tx, s.d, q, args...)
		return err
	})
	return one(out, err, "load school")
}

// querySchools runs a schools query and attaches their OIDC URLs.
func querySchools(ctx context.Context, tx *sql.Tx, d dialect, q string,
	args ...any) ([]school.School, error) {
	rows, err := tx.QueryContext(ctx, d.query(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []school.School
	index := map[school.ID]int{}
	for rows.Next() {
		var x school.School
		if err := scanSchool(rows, &x); err != nil {
			return nil, err
		}
		index[x.ID] = len(out)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]school.ID, len(out))
	for i, x := range out {
		ids[i] = x.ID
	}
	// Schools are few; one IN list holds them all.
	urls, err := tx.QueryContext(ctx, d.query(fmt.Sprintf(oidcQuery, placeholders(len(ids)))),
		idArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer urls.Close()
	for urls.Next() {
		var id school.ID
		var u school.OIDCURL
		if err := urls.Scan(&id, &u.Description, &u.URL, &u.DomainHint); err != nil {
			return nil, err
		}
		x := &out[index[id]]
		x.OIDCURLs = append(x.OIDCURLs, u)
	}
	return out, urls.Err()
}

// Branch loads a branch of a school.
func (s *Store) Branch(ctx context.Context, schoolID, id school.ID) (school.Branch, error) {
	var b school.Branch
	q := `SELECT id, school_id, uuid, name FROM branches WHERE id = ? AND school_id = ?`
	err := s.read.QueryRowContext(ctx, s.d.query(q), int64(id), int64(schoolID)).
		Scan(&b.ID, &b.SchoolID, &b.UUID, &b.Name)
	if err != nil {
		return school.Branch{}, fmt.Errorf("load branch: %w", notFound(err))
	}
	return b, nil
}

const yearSelect = `SELECT id, school_id, name, from_date, to_date FROM school_years`

func scanYear(sc scanner, y *school.SchoolYear) error {
	var from, to string
	if err := sc.Scan(&y.ID, &y.SchoolID, &y.Name, &from, &to); err != nil {
		return err
	}
	var err error
	if y.From, err = fromDateText(from); err != nil {
		return err
	}
	y.To, err = fromDateText(to)
	return err
}

// SchoolYears lists a school's years by start date, then id.
func (s *Store) SchoolYears(ctx context.Context, schoolID school.ID) ([]school.SchoolYear, error) {
	q := yearSelect + ` WHERE school_id = ? ORDER BY from_date, id`
	out, err := queryList(ctx, s.read, s.d, scanYear, q, int64(schoolID))
	if err != nil {
		return nil, fmt.Errorf("load school years: %w", err)
	}
	return out, nil
}

// SchoolYear loads a school year.
func (s *Store) SchoolYear(ctx context.Context, schoolID, id school.ID) (school.SchoolYear, error) {
	var y school.SchoolYear
	q := yearSelect + ` WHERE id = ? AND school_id = ?`
	err := scanYear(s.read.QueryRowContext(ctx, s.d.query(q), int64(id), int64(schoolID)), &y)
	if err != nil {
		return school.SchoolYear{}, fmt.Errorf("load school year: %w", notFound(err))
	}
	return y, nil
}

const (
	subjectColumns = `SELECT id, school_id, uuid, abbrev, name`
	subjectSelect  = subjectColumns + ` FROM subjects`
)

func scanSubject(sc scanner, x *school.Subject) error {
	return sc.Scan(&x.ID, &x.SchoolID, &x.UUID, &x.Abbrev, &x.Name)
}

// Subjects lists a school's subjects by abbreviation (by bytes, on either
// backend), then id.
func (s *Store) Subjects(ctx context.Context, schoolID school.ID,
	p school.Page) ([]school.Subject, int, error) {
	var (
		out   []school.Subject
		total int
	)
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		from := ` FROM subjects WHERE school_id = ?`
		if err := countRows(ctx, tx, s.d, from, []any{int64(schoolID)}, &total); err != nil {
			return err
		}
		limit, largs := window(p)
		var err error
		out, err = queryList(ctx, tx, s.d, scanSubject,
			subjectColumns+from+` ORDER BY abbrev`+s.d.bytewise+`, id`+limit,
			append([]any{int64(schoolID)}, largs...)...)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("load subjects: %w", err)
	}
	return out, total, nil
}

// SubjectsByID returns the subjects with the given ids, by id.
func (s *Store) SubjectsByID(ctx context.Context, schoolID school.ID,
	ids []school.ID) ([]school.Subject, error) {
	out, err := queryByIDs(ctx, s.read, s.d, scanSubject, subjectSelect, schoolID, ids)
	if err != nil {
		return nil, fmt.Errorf("load subjects: %w", err)
	}
	return out, nil
}

// Subject loads a subject.
func (s *Store) Subject(ctx context.Context, schoolID, id school.ID) (school.Subject, error) {
	var x school.Subject
	q := subjectSelect + ` WHERE id = ? AND school_id = ?`
	err := scanSubject(s.read.QueryRowContext(ctx, s.d.query(q), int64(id), int64(schoolID)), &x)
	if err != nil {
		return school.Subject{}, fmt.Errorf("load subject: %w", notFound(err))
	}
	return x, nil
}

// queryList runs a query and scans every row with scan.
func queryList[T any](ctx context.Context, q querier, d dialect,
	scan func(scanner, *T) error, text string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, d.query(text), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var x T
		if err := scan(rows, &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// queryByIDs loads the rows of a school with the given ids, by id, in
// chunks; unknown ids are left out. selectFrom is "SELECT ... FROM table".
func queryByIDs[T any](ctx context.Context, q querier, d dialect,
	scan func(scanner, *T) error, selectFrom string, schoolID school.ID,
	ids []school.ID) ([]T, error) {
	// Sorted chunks keep the concatenation in id order.
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var out []T
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), childChunk)]
		ids = ids[len(chunk):]
		text := selectFrom + ` WHERE school_id = ? AND id IN (` + placeholders(len(chunk)) +
			`) ORDER BY id`
		part, err := queryList(ctx, q, d, scan, text,
			append([]any{int64(schoolID)}, idArgs(chunk)...)...)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}
