package admin

import (
	"errors"
	"net/http"

	"github.com/opensom/opensom/internal/school"
)

// Snapshots under /_opensom/snapshots: the whole school data saved under
// a name in the database, so that every node sees them, and brought back
// in one transaction.

type snapshotOut struct {
	Name    string `json:"name"`
	Created string `json:"created"`
	Bytes   int64  `json:"bytes"`
	Schools int    `json:"schools"`
	Pupils  int    `json:"pupils"`
}

func snapshotAnswer(s school.SnapshotInfo) snapshotOut {
	return snapshotOut{Name: s.Name, Created: timeOut(s.Created), Bytes: s.Bytes,
		Schools: s.Schools, Pupils: s.Pupils}
}

// snapshotName reads {name}: 1 to 64 letters, digits, '.', '_' or '-',
// starting with a letter or digit.
func snapshotName(r *http.Request) (string, error) {
	name := r.PathValue("name")
	ok := len(name) > 0 && len(name) <= 64
	for i, c := range []byte(name) {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		ok = ok && (alnum || i > 0 && (c == '.' || c == '_' || c == '-'))
	}
	if !ok {
		return "", &fieldError{field: "name",
			msg: "want 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"}
	}
	return name, nil
}

func (a *Admin) listSnapshots(w http.ResponseWriter, r *http.Request) error {
	if err := badParam(r); err != nil {
		return err
	}
	list, err := a.store.Snapshots(r.Context())
	if err != nil {
		return err
	}
	out := make([]snapshotOut, len(list))
	for i, s := range list {
		out[i] = snapshotAnswer(s)
	}
	writeJSON(w, http.StatusOK, map[string][]snapshotOut{"snapshots": out})
	return nil
}

// saveSnapshot saves the school data under the name, replacing a
// snapshot of that name: 201 when new, 200 when replaced.
func (a *Admin) saveSnapshot(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	name, err := snapshotName(r)
	if err != nil {
		return err
	}

	info, created, err := a.store.SaveSnapshot(r.Context(), name, a.clock.Now())
	if err != nil {
		return err
	}
	a.log.Info("snapshot saved", "route", r.Pattern, "snapshot", name, "bytes", info.Bytes)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, snapshotAnswer(info))
	return nil
}

// restoreSnapshot brings the school data of the snapshot back. Sessions
// stay, except those of accounts the snapshot lacks.
func (a *Admin) restoreSnapshot(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	name, err := snapshotName(r)
	if err != nil {
		return err
	}

	info, err := a.store.RestoreSnapshot(r.Context(), name, a.clock.Now())
	if errors.Is(err, school.ErrNotFound) {
		return &notFoundError{field: "name", msg: "no snapshot " + name}
	}
	if err != nil {
		return err
	}
	a.log.Info("snapshot restored", "route", r.Pattern, "snapshot", name)
	writeJSON(w, http.StatusOK, snapshotAnswer(info))
	return nil
}

func (a *Admin) deleteSnapshot(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	name, err := snapshotName(r)
	if err != nil {
		return err
	}

	err = a.store.DeleteSnapshot(r.Context(), name)
	if errors.Is(err, school.ErrNotFound) {
		return &notFoundError{field: "name", msg: "no snapshot " + name}
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
