package sqlstore

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// snapshotFormat is the version of snapshotData; a snapshot of another
// version is refused rather than half restored.
const snapshotFormat = 1

// snapshotData is what a snapshot holds: the world, and what pupils and
// accounts did to it that a World has no place for. It is stored as
// gzipped JSON, so that a snapshot taken before a field was added still
// reads (the field comes back zero).
type snapshotData struct {
	Format int
	World  *school.World
	Ticks  []school.HomeworkDone
	Reads  []readMark
	Links  []school.ICalLink
}

// readMark is a conversation an account has marked read.
type readMark struct {
	Conversation, Account school.ID
}

// SaveSnapshot stores all school data under name, replacing one of that
// name. It reads in one read transaction, so the snapshot is one moment
// of the data, and writes in another.
//
// TODO: the whole world is held in memory three times over (rows, JSON,
// gzip) while saving and restoring; a world of 100,000 pupils needs
// gigabytes, and PostgreSQL's 30 s statement timeout may cut the restore.
func (s *Store) SaveSnapshot(ctx context.Context, name string,
	at time.Time) (school.SnapshotInfo, bool, error) {
	data := snapshotData{Format: snapshotFormat, World: &school.World{}}
	err := s.inRead(ctx, func(tx *sql.Tx) error {
		if err := exportWorld(ctx, tx, s.d, data.World); err != nil {
			return err
		}
		return exportUse(ctx, tx, s.d, &data)
	})
	if err != nil {
		return school.SnapshotInfo{}, false, fmt.Errorf("save snapshot: %w", err)
	}
	blob, err := encodeSnapshot(data)
	if err != nil {
		return school.SnapshotInfo{}, false, fmt.Errorf("save snapshot: %w", err)
	}
	info := school.SnapshotInfo{Name: name, Bytes: int64(len(blob)),
		Created: at.In(school.Amsterdam).Truncate(time.Millisecond),
		Schools: len(data.World.Schools), Pupils: len(data.World.Pupils)}
	created := false
	err = s.replaceSnapshot(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.query(`DELETE FROM snapshots WHERE name = ?`), name)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		created = n == 0
		_, err = tx.ExecContext(ctx, s.d.query(`INSERT INTO snapshots
			(name, created_at, schools, pupils, data) VALUES (?, ?, ?, ?, ?)`),
			name, millis(info.Created), info.Schools, info.Pupils, blob)
		return err
	})
	if err != nil {
		return school.SnapshotInfo{}, false, fmt.Errorf("save snapshot: %w", err)
	}
	return info, created, nil
}

// replaceSnapshot runs write in a write transaction, again when another
// node's save of the same name won the insert (PostgreSQL), so that the
// later save replaces the earlier.
func (s *Store) replaceSnapshot(ctx context.Context, write func(tx *sql.Tx) error) error {
	var err error
	for range 3 {
		err = s.inWrite(ctx, write)
		if !s.d.conflict(err) {
			break
		}
	}
	return err
}

// exportUse reads the ticks, read marks and calendar links.
func exportUse(ctx context.Context, tx *sql.Tx, d dialect, data *snapshotData) error {
	var err error
	data.Ticks, err = queryList(ctx, tx, d, scanDone, doneSelect+` ORDER BY id`)
	if err != nil {
		return fmt.Errorf("homework ticks: %w", err)
	}
	data.Reads, err = queryList(ctx, tx, d, func(sc scanner, m *readMark) error {
		return sc.Scan(&m.Conversation, &m.Account)
	}, `SELECT conversation_id, account_id FROM conversation_recipients
		WHERE is_read = 1 ORDER BY conversation_id, account_id`)
	if err != nil {
		return fmt.Errorf("read marks: %w", err)
	}
	data.Links, err = queryList(ctx, tx, d, func(sc scanner, l *school.ICalLink) error {
		var created int64
		err := sc.Scan(&l.AccountID, &l.SchoolID, &l.Secret, &created)
		l.Created = fromMillis(created)
		return err
	}, `SELECT account_id, school_id, secret, created_at FROM ical_links ORDER BY account_id`)
	if err != nil {
		return fmt.Errorf("calendar links: %w", err)
	}
	return nil
}

func encodeSnapshot(data snapshotData) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(data); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	return buf.Bytes(), nil
}

func decodeSnapshot(blob []byte) (snapshotData, error) {
	var data snapshotData
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return data, fmt.Errorf("decompress: %w", err)
	}
	if err := json.NewDecoder(zr).Decode(&data); err != nil {
		return data, fmt.Errorf("decode: %w", err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return data, fmt.Errorf("decompress: %w", err)
	}
	if data.Format != snapshotFormat || data.World == nil {
		return data, fmt.Errorf("snapshot format %d, want %d", data.Format, snapshotFormat)
	}
	return data, nil
}

// RestoreSnapshot replaces the school data with the snapshot's in one
// write transaction. Sessions stay, but those of accounts the snapshot
// lacks are revoked at now, and their codes dropped.
func (s *Store) RestoreSnapshot(ctx context.Context, name string,
	now time.Time) (school.SnapshotInfo, error) {
	info := school.SnapshotInfo{Name: name}
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		var blob []byte
		var created int64
		err := tx.QueryRowContext(ctx, s.d.query(
			`SELECT created_at, data FROM snapshots WHERE name = ?`), name).Scan(&created, &blob)
		if err != nil {
			return notFound(err)
		}
		data, err := decodeSnapshot(blob)
		if err != nil {
			return err
		}
		info.Created, info.Bytes = fromMillis(created), int64(len(blob))
		info.Schools, info.Pupils = len(data.World.Schools), len(data.World.Pupils)
		for _, table := range schoolTables {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("empty %s: %w", table, err)
			}
		}
		if err := importWorld(ctx, tx, s.d, data.World); err != nil {
			return err
		}
		if err := importUse(ctx, tx, s.d, data); err != nil {
			return err
		}
		if err := endOrphanSessions(ctx, tx, s.d, now); err != nil {
			return err
		}
		return bumpDataVersion(ctx, tx)
	})
	if err != nil {
		return school.SnapshotInfo{}, fmt.Errorf("restore snapshot: %w", err)
	}
	return info, nil
}

// importUse writes back the ticks, read marks and calendar links.
func importUse(ctx context.Context, tx *sql.Tx, d dialect, data snapshotData) error {
	l := newLoader(ctx, tx, d)
	defer l.close()
	b := l.batch("homework_done", "id", "school_id", "homework_id", "pupil_id", "done")
	err := each(b, data.Ticks, func(b *batch, x school.HomeworkDone) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.HomeworkID), int64(x.PupilID),
			bit(x.Done))
	})
	if err != nil {
		return err
	}
	for _, m := range data.Reads {
		_, err := tx.ExecContext(ctx, d.query(`UPDATE conversation_recipients SET is_read = 1
			WHERE conversation_id = ? AND account_id = ?`), int64(m.Conversation), int64(m.Account))
		if err != nil {
			return fmt.Errorf("import read marks: %w", err)
		}
	}
	b = l.batch("ical_links", "account_id", "school_id", "secret", "created_at")
	err = each(b, data.Links, func(b *batch, x school.ICalLink) error {
		return b.add(int64(x.AccountID), int64(x.SchoolID), x.Secret, millis(x.Created))
	})
	if err != nil {
		return err
	}
	return l.flush()
}

// endOrphanSessions revokes the token families of accounts that are no
// more, and drops their codes.
func endOrphanSessions(ctx context.Context, tx *sql.Tx, d dialect, now time.Time) error {
	gone := func(t string) string {
		return `NOT EXISTS (SELECT 1 FROM accounts a
			WHERE a.id = ` + t + `.account_id AND a.school_id = ` + t + `.school_id)`
	}
	_, err := tx.ExecContext(ctx, d.query(`UPDATE token_families SET revoked_at = ?
		WHERE revoked_at IS NULL AND id IN (
			SELECT family_id FROM refresh_tokens WHERE `+gone("refresh_tokens")+`)`),
		millis(now))
	if err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM auth_codes WHERE `+gone("auth_codes"))
	if err != nil {
		return fmt.Errorf("drop codes: %w", err)
	}
	return nil
}

// Snapshots lists the snapshots by name.
func (s *Store) Snapshots(ctx context.Context) ([]school.SnapshotInfo, error) {
	q := `SELECT name, created_at, schools, pupils, LENGTH(data) FROM snapshots
		ORDER BY name` + s.d.bytewise
	out, err := queryList(ctx, s.read, s.d, func(sc scanner, x *school.SnapshotInfo) error {
		var created int64
		err := sc.Scan(&x.Name, &created, &x.Schools, &x.Pupils, &x.Bytes)
		x.Created = fromMillis(created)
		return err
	}, q)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return out, nil
}

// DeleteSnapshot removes a snapshot; an unknown name is ErrNotFound.
func (s *Store) DeleteSnapshot(ctx context.Context, name string) error {
	err := s.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.query(`DELETE FROM snapshots WHERE name = ?`), name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, school.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete snapshot: %w", err)
	}
	return nil
}
