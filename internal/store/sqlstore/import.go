package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

// Import writes a whole world in one transaction. Rows go in batches of
// several rows per prepared INSERT, so a big world costs few statements.
// A taken id or unique key is school.ErrConflict, and nothing is written.
func (s *Store) Import(ctx context.Context, w *school.World) error {
	return s.inWrite(ctx, func(tx *sql.Tx) error {
		if err := importWorld(ctx, tx, s.d, w); err != nil {
			return err
		}
		return bumpDataVersion(ctx, tx)
	})
}

func importWorld(ctx context.Context, tx *sql.Tx, d dialect, w *school.World) error {
	l := newLoader(ctx, tx, d)
	defer l.close()
	if err := l.load(w); err != nil {
		return err
	}
	if err := l.flush(); err != nil {
		return err
	}
	return setWorldSource(ctx, tx, d, w.Source)
}

// loader hands out one batch per table on one transaction. A batch lives
// until the loader is flushed, so the rows of many parts of a world share
// full statements.
type loader struct {
	ctx context.Context
	tx  *sql.Tx
	d   dialect
	// copy, when set, sends a batch's rows by the database's bulk path
	// instead of an INSERT.
	copy    copier
	batches []*batch // in the order first asked for: parents before children
	byTable map[string]*batch
}

// copier sends rows of a table in one go by a path faster than INSERT:
// PostgreSQL's COPY.
type copier func(ctx context.Context, table string, cols []string, rows [][]any) error

// maxParams keeps a batch under SQLite's historic limit of 999 bound
// parameters per statement (PostgreSQL allows 65535).
const maxParams = 999

// copyRows is the size of one bulk send: big enough that a round trip
// costs little, small enough that the rows waiting take a few MB at most.
const copyRows = 4096

func newLoader(ctx context.Context, tx *sql.Tx, d dialect) *loader {
	return &loader{ctx: ctx, tx: tx, d: d, byTable: map[string]*batch{}}
}

// load queues the rows of w; some are sent, the rest wait for flush.
func (l *loader) load(w *school.World) error {
	// Parents before children, for the foreign keys: the tables' batches
	// are made in this order, and a batch is sent only after the batches
	// made before it.
	steps := []func(*loader) error{
		func(l *loader) error { return loadSchools(l, w.Schools) },
		func(l *loader) error { return loadBranches(l, w.Branches) },
		func(l *loader) error { return loadYears(l, w.Years) },
		func(l *loader) error { return loadSubjects(l, w.Subjects) },
		func(l *loader) error { return loadStaff(l, w.Staff) },
		func(l *loader) error { return loadPupils(l, w.Pupils) },
		func(l *loader) error { return loadGroups(l, w.Groups) },
		func(l *loader) error { return loadAccounts(l, w.Accounts) },
		func(l *loader) error { return loadLessons(l, w.Lessons) },
		func(l *loader) error { return loadGrades(l, w.Grades) },
		func(l *loader) error { return importRecords(l, w) },
	}
	for _, step := range steps {
		if err := step(l); err != nil {
			return err
		}
	}
	return nil
}

// flush sends every row still queued, parents first.
func (l *loader) flush() error {
	for _, b := range l.batches {
		if err := b.flush(); err != nil {
			return err
		}
	}
	return nil
}

// close releases the prepared statements.
func (l *loader) close() {
	for _, b := range l.batches {
		if b.full != nil {
			b.full.Close()
			b.full = nil
		}
	}
}

// batch collects rows for one table and inserts them many at a time.
type batch struct {
	l       *loader
	order   int // its place in l.batches
	table   string
	cols    []string
	head    string // INSERT INTO t (a, b) VALUES
	tuple   string // (?, ?)
	perStmt int
	full    *sql.Stmt
	args    []any
	rows    int
}

// batch is the table's batch, made on first use.
func (l *loader) batch(table string, cols ...string) *batch {
	if b, ok := l.byTable[table]; ok {
		return b
	}
	b := &batch{
		l:       l,
		order:   len(l.batches),
		table:   table,
		cols:    cols,
		head:    "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		tuple:   "(" + placeholders(len(cols)) + ")",
		perStmt: max(1, maxParams/len(cols)),
	}
	if l.copy != nil {
		b.perStmt = copyRows
	}
	l.batches = append(l.batches, b)
	l.byTable[table] = b
	return b
}

func (b *batch) text(rows int) string {
	return b.l.d.query(b.head + strings.Repeat(b.tuple+", ", rows-1) + b.tuple)
}

// add queues one row; its values must follow the columns. A full batch is
// sent at once, after the rows queued for the tables before it, which its
// rows may refer to.
func (b *batch) add(values ...any) error {
	b.args = append(b.args, values...)
	b.rows++
	if b.rows < b.perStmt {
		return nil
	}
	for _, parent := range b.l.batches[:b.order] {
		if err := parent.flush(); err != nil {
			return err
		}
	}
	if b.l.copy != nil {
		return b.flush()
	}
	if b.full == nil {
		st, err := b.l.tx.PrepareContext(b.l.ctx, b.text(b.perStmt))
		if err != nil {
			return fmt.Errorf("import %s: prepare: %w", b.table, err)
		}
		b.full = st
	}
	_, err := b.full.ExecContext(b.l.ctx, b.args...)
	b.args, b.rows = b.args[:0], 0
	return b.wrap(err)
}

// flush sends the rows queued, in one statement of their own.
func (b *batch) flush() error {
	if b.rows == 0 {
		return nil
	}
	if b.l.copy != nil {
		n := len(b.cols)
		rows := make([][]any, b.rows)
		for i := range rows {
			rows[i] = b.args[i*n : (i+1)*n : (i+1)*n]
		}
		err := b.l.copy(b.l.ctx, b.table, b.cols, rows)
		b.args, b.rows = b.args[:0], 0
		return b.wrap(err)
	}
	_, err := b.l.tx.ExecContext(b.l.ctx, b.text(b.rows), b.args...)
	b.args, b.rows = b.args[:0], 0
	return b.wrap(err)
}

func (b *batch) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case b.l.d.conflict(err):
		return fmt.Errorf("import %s: %w: %w", b.table, school.ErrConflict, err)
	default:
		return fmt.Errorf("import %s: %w", b.table, err)
	}
}

// each runs add for every item, stopping at the first error.
func each[T any](b *batch, items []T, add func(*batch, T) error) error {
	for _, it := range items {
		if err := add(b, it); err != nil {
			return err
		}
	}
	return nil
}

func loadSchools(l *loader, schools []school.School) error {
	b := l.batch("schools", "id", "uuid", "name", "city", "tenant", "abbrev",
		"password_grant_off")
	err := each(b, schools, func(b *batch, s school.School) error {
		return b.add(int64(s.ID), s.UUID, s.Name, s.City, s.Tenant, s.Abbrev, s.PasswordGrantOff)
	})
	if err != nil {
		return err
	}
	b = l.batch("school_oidc_urls", "school_id", "seq", "description", "url", "domain_hint")
	return each(b, schools, func(b *batch, s school.School) error {
		for i, u := range s.OIDCURLs {
			if err := b.add(int64(s.ID), i, u.Description, u.URL, u.DomainHint); err != nil {
				return err
			}
		}
		return nil
	})
}

func loadBranches(l *loader, branches []school.Branch) error {
	b := l.batch("branches", "id", "school_id", "uuid", "name")
	return each(b, branches, func(b *batch, r school.Branch) error {
		return b.add(int64(r.ID), int64(r.SchoolID), r.UUID, r.Name)
	})
}

func loadYears(l *loader, years []school.SchoolYear) error {
	b := l.batch("school_years", "id", "school_id", "name", "from_date", "to_date")
	return each(b, years, func(b *batch, y school.SchoolYear) error {
		return b.add(int64(y.ID), int64(y.SchoolID), y.Name, dateText(y.From), dateText(y.To))
	})
}

func loadSubjects(l *loader, subjects []school.Subject) error {
	b := l.batch("subjects", "id", "school_id", "uuid", "abbrev", "name")
	return each(b, subjects, func(b *batch, s school.Subject) error {
		return b.add(int64(s.ID), int64(s.SchoolID), s.UUID, s.Abbrev, s.Name)
	})
}

func loadStaff(l *loader, staff []school.Staff) error {
	b := l.batch("staff", "id", "school_id", "uuid", "number", "abbrev",
		"first_name", "name_prefix", "last_name", "initials", "gender")
	return each(b, staff, func(b *batch, s school.Staff) error {
		return b.add(int64(s.ID), int64(s.SchoolID), s.UUID, s.Number, s.Abbrev,
			s.Name.First, s.Name.Prefix, s.Name.Last, s.Initials, s.Gender)
	})
}

func loadPupils(l *loader, pupils []school.Pupil) error {
	b := l.batch("pupils", "id", "school_id", "branch_id", "uuid", "number",
		"first_name", "name_prefix", "last_name", "email", "mobile", "birth_date",
		"gender", "photo_token")
	return each(b, pupils, func(b *batch, p school.Pupil) error {
		return b.add(int64(p.ID), int64(p.SchoolID), int64(p.BranchID), p.UUID, p.Number,
			p.Name.First, p.Name.Prefix, p.Name.Last, p.Email, p.Mobile,
			dateText(p.BirthDate), p.Gender, p.PhotoToken)
	})
}

func loadGroups(l *loader, groups []school.Group) error {
	b := l.batch("class_groups", "id", "school_id", "year_id", "uuid", "name", "subject_id")
	err := each(b, groups, func(b *batch, g school.Group) error {
		return b.add(int64(g.ID), int64(g.SchoolID), int64(g.YearID), g.UUID, g.Name,
			int64(g.SubjectID))
	})
	if err != nil {
		return err
	}
	b = l.batch("group_pupils", "group_id", "pupil_id")
	return each(b, groups, func(b *batch, g school.Group) error {
		for _, id := range g.PupilIDs {
			if err := b.add(int64(g.ID), int64(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

func loadAccounts(l *loader, accounts []school.Account) error {
	b := l.batch("accounts", "id", "school_id", "uuid", "username", "password_hash",
		"role", "person_id", "first_name", "name_prefix", "last_name", "demo_password")
	err := each(b, accounts, func(b *batch, a school.Account) error {
		return b.add(int64(a.ID), int64(a.SchoolID), a.UUID, a.Username, a.PasswordHash,
			string(a.Role), int64(a.PersonID), a.Name.First, a.Name.Prefix, a.Name.Last,
			a.DemoPassword)
	})
	if err != nil {
		return err
	}
	b = l.batch("account_pupils", "account_id", "seq", "pupil_id")
	return each(b, accounts, func(b *batch, a school.Account) error {
		for i, id := range a.PupilIDs {
			if err := b.add(int64(a.ID), i, int64(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

func loadLessons(l *loader, lessons []school.Lesson) error {
	b := l.batch("lessons", "id", "school_id", "branch_id", "group_id", "subject_id",
		"start_at", "end_at", "begin_hour", "end_hour", "location", "kind", "title", "status")
	err := each(b, lessons, func(b *batch, x school.Lesson) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.BranchID), int64(x.GroupID),
			int64(x.SubjectID), millis(x.Start), millis(x.End), x.BeginHour, x.EndHour,
			x.Location, x.Kind, x.Title, string(x.Status))
	})
	if err != nil {
		return err
	}
	b = l.batch("lesson_staff", "lesson_id", "seq", "staff_id")
	return each(b, lessons, func(b *batch, x school.Lesson) error {
		for i, id := range x.StaffIDs {
			if err := b.add(int64(x.ID), i, int64(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

func loadGrades(l *loader, grades []school.Grade) error {
	b := l.batch("grades", gradeColumns...)
	return each(b, grades, func(b *batch, g school.Grade) error {
		return b.add(int64(g.ID), int64(g.SchoolID), int64(g.PupilID), int64(g.SubjectID),
			int64(g.ColumnID), int64(g.CijferColumnID), int64(g.CompositeColumnID), g.Type,
			g.Tenths, g.HasValue, g.Current, g.Label, millis(g.Entered), g.Weight,
			g.ExamWeight, g.Period, g.StudyYear, g.Description, g.Seq, g.TestKind,
			g.NotCounting, g.NotMade, g.Exempt, g.ResitType, g.ResitNumber, g.InExam,
			g.InProgress, g.ReportTenths, g.HasReportTenths)
	})
}
