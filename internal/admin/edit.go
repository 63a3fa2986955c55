package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opensom/opensom/internal/school"
)

// The editing part of the admin API: one entity of the school data at a
// time, the things a school does in a day, and snapshots. Handlers return
// an error and fail turns it into the answer, so that there is one place
// that decides statuses and keeps internal text from clients.

// handler is an admin handler that returns its failure.
type handler func(w http.ResponseWriter, r *http.Request) error

// handle serves h and answers its error through fail.
func (a *Admin) handle(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.fail(w, r, err)
		}
	}
}

// notFoundError is an id that names nothing: a 404 naming the field.
type notFoundError struct {
	field, msg string
}

func (e *notFoundError) Error() string { return e.field + ": " + e.msg }

// conflictError is a unique key taken: a 409 naming the field.
type conflictError struct {
	field, msg string
}

func (e *conflictError) Error() string { return e.field + ": " + e.msg }

// inUseBody is the 409 of a delete refused because others refer to it.
type inUseBody struct {
	Error        string         `json:"error"`
	Field        string         `json:"field"`
	ReferencedBy []referenceOut `json:"referenced_by"`
}

type referenceOut struct {
	What  string      `json:"what"`
	Count int         `json:"count"`
	IDs   []school.ID `json:"ids"`
}

// fail is the one place that turns an admin handler's error into an
// answer: bad input 400, unknown ids 404, taken keys and deletes of
// referenced entities 409, each naming the field; anything else is a
// 500 whose cause goes to the log only.
func (a *Admin) fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		fe  *fieldError
		nf  *notFoundError
		ce  *conflictError
		iu  *school.InUseError
		me  *school.MissingError
		out any
	)
	status := http.StatusInternalServerError
	switch {
	case errors.As(err, &fe):
		status, out = http.StatusBadRequest, errorBody{Error: fe.Error(), Field: fe.field}
	case errors.As(err, &nf):
		status, out = http.StatusNotFound, errorBody{Error: nf.Error(), Field: nf.field}
	case errors.As(err, &ce):
		status, out = http.StatusConflict, errorBody{Error: ce.Error(), Field: ce.field}
	case errors.As(err, &iu):
		status, out = http.StatusConflict, inUseAnswer(iu)
	case errors.As(err, &me):
		// A reference the handler checked vanished before the write.
		field := string(me.Entity) + "_id"
		status, out = http.StatusNotFound, errorBody{Error: field + ": " + me.Error(), Field: field}
	case errors.Is(err, school.ErrNotFound):
		status, out = http.StatusNotFound, errorBody{Error: "id: no such entity", Field: "id"}
	case errors.Is(err, school.ErrConflict):
		status, out = http.StatusConflict, errorBody{Error: "a unique value is taken"}
	}
	if status == http.StatusInternalServerError {
		a.internal(w, r, err)
		return
	}
	a.log.Info("admin request refused", "route", r.Pattern, "status", status, "err", err)
	writeJSON(w, status, out)
}

func inUseAnswer(e *school.InUseError) inUseBody {
	b := inUseBody{Error: e.Error(), Field: "id"}
	for _, r := range e.Refs {
		ids := r.IDs
		if ids == nil {
			ids = []school.ID{}
		}
		b.ReferencedBy = append(b.ReferencedBy, referenceOut{What: r.What, Count: r.Count,
			IDs: ids})
	}
	return b
}

// refFields names, for one call, the input field of each entity it
// refers to.
type refFields map[school.Entity]string

// named turns a store's *MissingError into a 404 naming the field the
// caller sent; other errors pass unchanged.
func (f refFields) named(err error) error {
	var me *school.MissingError
	if !errors.As(err, &me) {
		return err
	}
	field, ok := f[me.Entity]
	if !ok {
		return err
	}
	return &notFoundError{field: field, msg: me.Error()}
}

// unknown turns ErrNotFound of a lookup by id into a 404 naming field.
func unknown(err error, field string, e school.Entity, id school.ID) error {
	if errors.Is(err, school.ErrNotFound) {
		return &notFoundError{field: field, msg: fmt.Sprintf("no %s %d", e, id)}
	}
	return err
}

// pathID reads the id path value name as a positive id.
func pathID(r *http.Request, name string) (school.ID, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, &fieldError{field: name, msg: "want a positive whole number"}
	}
	return school.ID(n), nil
}

// schoolOf is the school of the entity with the id in the path.
func (a *Admin) schoolOf(ctx context.Context, e school.Entity, id school.ID) (school.ID, error) {
	sid, err := a.store.SchoolOf(ctx, e, id)
	if errors.Is(err, school.ErrNotFound) {
		return 0, &notFoundError{field: "id", msg: fmt.Sprintf("no %s %d", e, id)}
	}
	return sid, err
}

// noBody refuses a body other than nothing or {} and any query
// parameter, for calls that take no input.
func noBody(r *http.Request) error {
	if err := badParam(r); err != nil {
		return err
	}
	if r.ContentLength == 0 {
		return nil
	}
	var in struct{}
	if err := decode(r, &in); err != nil {
		if err.field == "body" && strings.HasSuffix(err.msg, "got nothing") {
			return nil
		}
		return err
	}
	return nil
}

// decodeInput reads a strict JSON body and refuses query parameters.
func decodeInput(r *http.Request, v any) error {
	if err := badParam(r); err != nil {
		return err
	}
	if err := decode(r, v); err != nil {
		return err
	}
	return nil
}

// maxText bounds every free text field.
const maxText = 2000

// rule says whether a text field may be left out or blank.
type rule int

const (
	optional rule = iota // may be left out or blank
	notBlank             // may be left out, not blank
	required             // must be given, not blank
)

// need is required for a new entity and notBlank for a change.
func need(isNew bool) rule {
	if isNew {
		return required
	}
	return notBlank
}

// text checks a text field against its rule and a length of at most max
// characters, and sets *dst when p is set.
func text(field string, p *string, max int, r rule, dst *string) error {
	if p == nil {
		if r == required {
			return &fieldError{field: field, msg: "required"}
		}
		return nil
	}
	if r != optional && strings.TrimSpace(*p) == "" {
		return &fieldError{field: field, msg: "must not be blank"}
	}
	if utf8.RuneCountInString(*p) > max {
		return &fieldError{field: field, msg: fmt.Sprintf("at most %d characters", max)}
	}
	*dst = *p
	return nil
}

// oneOf checks an optional field against the values allowed.
func oneOf(field string, p *string, dst *string, allowed ...string) error {
	if p == nil {
		return nil
	}
	for _, v := range allowed {
		if *p == v {
			*dst = v
			return nil
		}
	}
	return &fieldError{field: field, msg: "want one of " + strings.Join(allowed, ", ")}
}

// intIn checks an optional whole number against [lo, hi].
func intIn(field string, p *int, lo, hi int, dst *int) error {
	if p == nil {
		return nil
	}
	if *p < lo || *p > hi {
		return &fieldError{field: field, msg: fmt.Sprintf("want %d to %d", lo, hi)}
	}
	*dst = *p
	return nil
}

// parseTime reads an RFC 3339 time, kept in Amsterdam to the millisecond
// as the store keeps it.
func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, &fieldError{field: field,
			msg: `want an RFC 3339 time such as "2024-03-04T08:30:00+01:00"`}
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, &fieldError{field: field, msg: "want a year from 1900 to 2200"}
	}
	return t.In(school.Amsterdam).Truncate(time.Millisecond), nil
}

// optTime sets *dst from an optional RFC 3339 field.
func optTime(field string, p *string, dst *time.Time) error {
	if p == nil {
		return nil
	}
	t, err := parseTime(field, *p)
	if err != nil {
		return err
	}
	*dst = t
	return nil
}

// parseDate reads a yyyy-MM-dd date as Amsterdam midnight.
func parseDate(field, s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, school.Amsterdam)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, &fieldError{field: field, msg: `want a date such as "2024-03-04"`}
	}
	return t, nil
}

// timeOut writes a time as RFC 3339 in Amsterdam; the zero time as "".
func timeOut(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(school.Amsterdam).Format(time.RFC3339Nano)
}

// dateOut writes a date as yyyy-MM-dd; the zero time as "".
func dateOut(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return school.FormatDate(t)
}

// ids is a list for the wire: never null.
func ids(xs []school.ID) []school.ID {
	if xs == nil {
		return []school.ID{}
	}
	return xs
}

// randomHex is n random bytes in hex, for secrets and passwords.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newUUID is a random version-4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// resource is one kind of entity the admin creates, reads, changes and
// deletes under /_opensom/<path>. E is the entity, In its input: pointer
// fields, nil where the caller sent nothing.
type resource[E, In any] struct {
	entity school.Entity
	path   string
	// load reads the entity of a school.
	load func(ctx context.Context, schoolID, id school.ID) (E, error)
	// fill applies the input to e (the zero value when isNew, the stored
	// entity otherwise), with defaults for a new one, and checks it.
	fill func(ctx context.Context, e *E, in In, isNew bool) error
	// put writes e and returns what was stored.
	put func(ctx context.Context, e E) (E, error)
	// out is e on the wire.
	out func(ctx context.Context, e E) (any, error)
	// refs names the fields of the input that refer to other entities.
	refs refFields
	// noDelete leaves DELETE out (switches and the like).
	noDelete bool
}

// register mounts the resource's routes on m.
func register[E, In any](a *Admin, m *http.ServeMux, res resource[E, In]) {
	base := "/_opensom/" + res.path
	m.HandleFunc("POST "+base, a.handle(res.create(a)))
	m.HandleFunc("GET "+base+"/{id}", a.handle(res.get(a)))
	m.HandleFunc("PATCH "+base+"/{id}", a.handle(res.patch(a)))
	if !res.noDelete {
		m.HandleFunc("DELETE "+base+"/{id}", a.handle(res.delete(a)))
	}
}

func (res resource[E, In]) create(a *Admin) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in In
		if err := decodeInput(r, &in); err != nil {
			return err
		}

		var e E
		if err := res.fill(r.Context(), &e, in, true); err != nil {
			return res.refs.named(err)
		}

		stored, err := res.put(r.Context(), e)
		if err != nil {
			return res.refs.named(err)
		}
		return res.answer(a, w, r, http.StatusCreated, stored, "created")
	}
}

func (res resource[E, In]) get(a *Admin) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := badParam(r); err != nil {
			return err
		}
		e, err := res.byPath(a, r)
		if err != nil {
			return err
		}
		return res.answer(a, w, r, http.StatusOK, e, "")
	}
}

func (res resource[E, In]) patch(a *Admin) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in In
		if err := decodeInput(r, &in); err != nil {
			return err
		}

		e, err := res.byPath(a, r)
		if err != nil {
			return err
		}

		if err := res.fill(r.Context(), &e, in, false); err != nil {
			return res.refs.named(err)
		}

		stored, err := res.put(r.Context(), e)
		if err != nil {
			return res.refs.named(err)
		}
		return res.answer(a, w, r, http.StatusOK, stored, "changed")
	}
}

func (res resource[E, In]) delete(a *Admin) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := noBody(r); err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		sid, err := a.schoolOf(r.Context(), res.entity, id)
		if err != nil {
			return err
		}

		if err := a.store.Delete(r.Context(), res.entity, sid, id); err != nil {
			return err
		}
		a.log.Info("admin deleted", "route", r.Pattern, "entity", string(res.entity), "id", id)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// byPath loads the entity whose id is in the path.
func (res resource[E, In]) byPath(a *Admin, r *http.Request) (E, error) {
	var zero E
	id, err := pathID(r, "id")
	if err != nil {
		return zero, err
	}
	sid, err := a.schoolOf(r.Context(), res.entity, id)
	if err != nil {
		return zero, err
	}
	return res.load(r.Context(), sid, id)
}

// answer writes the entity; a change is logged with what it was.
func (res resource[E, In]) answer(a *Admin, w http.ResponseWriter, r *http.Request,
	status int, e E, did string) error {
	out, err := res.out(r.Context(), e)
	if err != nil {
		return err
	}
	if did != "" {
		a.log.Info("admin "+did, "route", r.Pattern, "entity", string(res.entity))
	}
	writeJSON(w, status, out)
	return nil
}
