package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/opensom/opensom/internal/school"
)

// Subjects, groups and their members, the schools and their switches.

type subjectInput struct {
	SchoolID *school.ID `json:"school_id"`
	UUID     *string    `json:"uuid"`
	Abbrev   *string    `json:"abbrev"`
	Name     *string    `json:"name"`
}

type subjectOut struct {
	ID       school.ID `json:"id"`
	SchoolID school.ID `json:"school_id"`
	UUID     string    `json:"uuid"`
	Abbrev   string    `json:"abbrev"`
	Name     string    `json:"name"`
}

func (a *Admin) subjects() resource[school.Subject, subjectInput] {
	return resource[school.Subject, subjectInput]{
		entity: school.EntitySubject, path: "subjects",
		load: a.store.Subject,
		fill: func(ctx context.Context, s *school.Subject, in subjectInput, isNew bool) error {
			if isNew {
				sid, err := a.schoolFor(ctx, in.SchoolID)
				if err != nil {
					return err
				}
				s.SchoolID, s.UUID = sid, newUUID()
			}
			if err := sameSchool(in.SchoolID, s.SchoolID); err != nil {
				return err
			}
			if err := text("uuid", in.UUID, 64, notBlank, &s.UUID); err != nil {
				return err
			}
			if err := text("abbrev", in.Abbrev, 20, need(isNew), &s.Abbrev); err != nil {
				return err
			}
			return text("name", in.Name, 200, need(isNew), &s.Name)
		},
		put: a.store.PutSubject,
		out: func(_ context.Context, s school.Subject) (any, error) {
			return subjectOut{ID: s.ID, SchoolID: s.SchoolID, UUID: s.UUID, Abbrev: s.Abbrev,
				Name: s.Name}, nil
		},
		refs: refFields{school.EntitySchool: "school_id"},
	}
}

type groupInput struct {
	SchoolID  *school.ID   `json:"school_id"`
	YearID    *school.ID   `json:"year_id"`
	UUID      *string      `json:"uuid"`
	Name      *string      `json:"name"`
	SubjectID *school.ID   `json:"subject_id"`
	PupilIDs  *[]school.ID `json:"pupil_ids"`
}

type groupOut struct {
	ID        school.ID   `json:"id"`
	SchoolID  school.ID   `json:"school_id"`
	YearID    school.ID   `json:"year_id"`
	UUID      string      `json:"uuid"`
	Name      string      `json:"name"`
	SubjectID school.ID   `json:"subject_id"`
	PupilIDs  []school.ID `json:"pupil_ids"`
}

// maxMembers bounds the pupil_ids of one call.
const maxMembers = 5000

func (a *Admin) groups() resource[school.Group, groupInput] {
	return resource[school.Group, groupInput]{
		entity: school.EntityGroup, path: "groups",
		load: a.store.Group,
		fill: a.fillGroup,
		put:  a.store.PutGroup,
		out: func(_ context.Context, g school.Group) (any, error) {
			return groupOut{ID: g.ID, SchoolID: g.SchoolID, YearID: g.YearID, UUID: g.UUID,
				Name: g.Name, SubjectID: g.SubjectID, PupilIDs: ids(g.PupilIDs)}, nil
		},
		refs: refFields{school.EntitySchool: "school_id", school.EntityYear: "year_id",
			school.EntitySubject: "subject_id", school.EntityPupil: "pupil_ids"},
	}
}

// fillGroup applies a group's input. A new group gets a fresh uuid and
// the school year of today (else the latest); subject_id 0 or none makes
// a class group (stamgroep), a subject a lesson group (lesgroep).
func (a *Admin) fillGroup(ctx context.Context, g *school.Group, in groupInput, isNew bool) error {
	if isNew {
		sid, err := a.schoolFor(ctx, in.SchoolID)
		if err != nil {
			return err
		}
		g.SchoolID, g.UUID = sid, newUUID()
	}
	if err := sameSchool(in.SchoolID, g.SchoolID); err != nil {
		return err
	}
	if err := text("uuid", in.UUID, 64, notBlank, &g.UUID); err != nil {
		return err
	}
	if err := text("name", in.Name, 100, need(isNew), &g.Name); err != nil {
		return err
	}
	if in.SubjectID != nil {
		g.SubjectID = *in.SubjectID
	}
	if in.PupilIDs != nil {
		if len(*in.PupilIDs) > maxMembers {
			return &fieldError{field: "pupil_ids", msg: fmt.Sprintf("at most %d", maxMembers)}
		}
		g.PupilIDs = slices.Compact(slices.Sorted(slices.Values(*in.PupilIDs)))
	}
	if in.YearID != nil {
		g.YearID = *in.YearID
		return nil
	}
	if !isNew {
		return nil
	}
	y, err := a.currentYear(ctx, g.SchoolID)
	if err != nil {
		return err
	}
	g.YearID = y.ID
	return nil
}

// currentYear is the school's year of today by the sandbox clock, else
// its latest.
func (a *Admin) currentYear(ctx context.Context, schoolID school.ID) (school.SchoolYear, error) {
	years, err := a.store.SchoolYears(ctx, schoolID)
	if err != nil {
		return school.SchoolYear{}, err
	}
	if len(years) == 0 {
		return school.SchoolYear{}, &fieldError{field: "year_id",
			msg: "required: the school has no school year"}
	}
	now := a.clock.Now()
	for _, y := range years {
		if y.Current(now) {
			return y, nil
		}
	}
	return years[len(years)-1], nil
}

// setMember handles PUT and DELETE /_opensom/groups/{id}/pupils/{pupil}.
func (a *Admin) setMember(in bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := noBody(r); err != nil {
			return err
		}
		groupID, err := pathID(r, "id")
		if err != nil {
			return err
		}
		pupilID, err := pathID(r, "pupil")
		if err != nil {
			return err
		}
		sid, err := a.schoolOf(r.Context(), school.EntityGroup, groupID)
		if err != nil {
			return err
		}

		err = a.store.SetMember(r.Context(), sid, groupID, pupilID, in)
		if err != nil {
			return refFields{school.EntityPupil: "pupil", school.EntityGroup: "id"}.named(err)
		}

		g, err := a.store.Group(r.Context(), sid, groupID)
		if err != nil {
			return err
		}
		a.log.Info("admin group members changed", "route", r.Pattern, "group", groupID,
			"pupil", pupilID, "in", in)
		return a.groups().answer(a, w, r, http.StatusOK, g, "")
	}
}

type schoolOut struct {
	ID     school.ID `json:"id"`
	UUID   string    `json:"uuid"`
	Name   string    `json:"name"`
	Tenant string    `json:"tenant"`
}

// listSchools answers GET /_opensom/schools: the ids that school_id and
// the switches take.
func (a *Admin) listSchools(w http.ResponseWriter, r *http.Request) error {
	if err := badParam(r); err != nil {
		return err
	}
	schools, err := a.store.Schools(r.Context())
	if err != nil {
		return err
	}
	out := make([]schoolOut, len(schools))
	for i, s := range schools {
		out[i] = schoolOut{ID: s.ID, UUID: s.UUID, Name: s.Name, Tenant: s.Tenant}
	}
	writeJSON(w, http.StatusOK, map[string][]schoolOut{"schools": out})
	return nil
}

// pathSchool reads {school} of the path: a school's id or uuid.
func (a *Admin) pathSchool(r *http.Request) (school.ID, error) {
	raw := r.PathValue("school")
	var (
		s   school.School
		err error
	)
	if n, perr := strconv.ParseInt(raw, 10, 64); perr == nil {
		s, err = a.store.School(r.Context(), school.ID(n))
	} else {
		s, err = a.store.SchoolByUUID(r.Context(), raw)
	}
	if errors.Is(err, school.ErrNotFound) {
		return 0, &notFoundError{field: "school", msg: "no school with that id or uuid"}
	}
	return s.ID, err
}

func (a *Admin) getSwitches(w http.ResponseWriter, r *http.Request) error {
	if err := badParam(r); err != nil {
		return err
	}
	sid, err := a.pathSchool(r)
	if err != nil {
		return err
	}
	return a.switchesAnswer(w, r, sid)
}

// patchSwitches sets the switches named in the body; each must be one of
// the restricties booleans.
func (a *Admin) patchSwitches(w http.ResponseWriter, r *http.Request) error {
	var in map[string]json.RawMessage
	if err := decodeInput(r, &in); err != nil {
		return err
	}
	set, err := switchInput(in)
	if err != nil {
		return err
	}
	sid, err := a.pathSchool(r)
	if err != nil {
		return err
	}

	if err := a.store.SetSwitches(r.Context(), sid, set); err != nil {
		return err
	}
	a.log.Info("admin switches set", "route", r.Pattern, "switches", len(set))
	return a.switchesAnswer(w, r, sid)
}

// switchInput checks the body of a switches PATCH, in name order so that
// the first bad one is always the same.
func switchInput(in map[string]json.RawMessage) (school.Switches, error) {
	if len(in) == 0 {
		return nil, &fieldError{field: "body", msg: "name at least one switch"}
	}
	known := map[string]bool{}
	for _, n := range school.SwitchNames {
		known[n.Name] = true
	}
	set := school.Switches{}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		if !known[name] {
			return nil, &fieldError{field: name, msg: "not a switch (restricties)"}
		}
		var on *bool
		if err := json.Unmarshal(in[name], &on); err != nil || on == nil {
			return nil, &fieldError{field: name, msg: "want true or false"}
		}
		set[name] = *on
	}
	return set, nil
}

func (a *Admin) switchesAnswer(w http.ResponseWriter, r *http.Request, sid school.ID) error {
	sw, err := a.store.Switches(r.Context(), sid)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"school_id": sid, "switches": sw})
	return nil
}
