package school

import (
	"context"
	"errors"
)

// ErrNotEmpty: the database already holds a school, and the write was not
// asked to replace it.
var ErrNotEmpty = errors.New("database already holds a school")

// WorldWriter writes a world too big to hold in memory, part by part, as
// `opensom seed` makes it: a school's people first, then its classes one
// by one. Rows go to the database in batches, inside a transaction that
// lasts until Commit. It is not part of Store: nothing on the HTTP side
// writes whole worlds.
type WorldWriter interface {
	// Write adds the rows of part in the open transaction, beginning one
	// when none is open; a part's Source, when set, is recorded as the
	// world's (WorldSource). Rows may refer to rows of earlier parts of the
	// same writer, never to rows of later ones. A taken id or unique key
	// is ErrConflict; the open transaction is then lost.
	Write(ctx context.Context, part *World) error
	// Commit ends the open transaction: what was written is stored, and
	// the data version has moved. Without an open transaction it does
	// nothing.
	Commit(ctx context.Context) error
	// Close rolls back what was not committed and ends the writer.
	Close() error
}

// WorldLoader starts WorldWriters; the SQL store is one.
type WorldLoader interface {
	// WriteWorld starts writing a world. Its first transaction finds the
	// database without schools, or else fails with ErrNotEmpty; with
	// replace it first wipes what Reset wipes (every school's data, the
	// refresh-token families, the authorization codes and the login
	// counters) instead. Either way nothing is stored before the first
	// Commit.
	WriteWorld(ctx context.Context, replace bool) (WorldWriter, error)
}

// Rows counts the rows w makes in a database, those of the lists inside
// entities (group members, a lesson's teachers, a parent's children,
// recipients, identity providers) included.
func (w *World) Rows() int {
	n := len(w.Schools) + len(w.Branches) + len(w.Years) + len(w.Subjects) + len(w.Staff) +
		len(w.Groups) + len(w.Pupils) + len(w.Accounts) + len(w.Lessons) + len(w.Grades) +
		len(w.Switches) + len(w.Holidays) + len(w.LessonHours) + len(w.AbsenceReasons) +
		len(w.AbsenceReports) + len(w.Observations) + len(w.Measures) +
		len(w.StudyGuides) + len(w.Homework) + len(w.Conversations)
	for _, s := range w.Schools {
		n += len(s.OIDCURLs)
	}
	for _, g := range w.Groups {
		n += len(g.PupilIDs)
	}
	for _, a := range w.Accounts {
		n += len(a.PupilIDs)
	}
	for _, l := range w.Lessons {
		n += len(l.StaffIDs)
	}
	for _, c := range w.Conversations {
		n += len(c.Recipients)
	}
	return n
}
