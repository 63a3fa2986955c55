package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// Pupils, staff and accounts under /_opensom/pupils, /_opensom/staff and
// /_opensom/accounts.

// schoolFor is the school an input names in school_id; without one, the
// store's only school.
func (a *Admin) schoolFor(ctx context.Context, p *school.ID) (school.ID, error) {
	if p != nil {
		if _, err := a.store.School(ctx, *p); err != nil {
			if errors.Is(err, school.ErrNotFound) {
				return 0, &notFoundError{field: "school_id", msg: fmt.Sprintf("no school %d", *p)}
			}
			return 0, err
		}
		return *p, nil
	}
	schools, err := a.store.Schools(ctx)
	if err != nil {
		return 0, err
	}
	if len(schools) != 1 {
		return 0, &fieldError{field: "school_id",
			msg: fmt.Sprintf("required: the store holds %d schools", len(schools))}
	}
	return schools[0].ID, nil
}

// sameSchool refuses a school_id that differs from the entity's school,
// on a change or where another field decides the school.
func sameSchool(p *school.ID, schoolID school.ID) error {
	if p != nil && *p != schoolID {
		return &fieldError{field: "school_id", msg: "cannot differ from the entity's school"}
	}
	return nil
}

// applyName sets the name fields given, with the rule of the last name.
func applyName(n *school.Name, first, prefix, last *string, lastRule rule) error {
	if err := text("first_name", first, 100, optional, &n.First); err != nil {
		return err
	}
	if err := text("name_prefix", prefix, 30, optional, &n.Prefix); err != nil {
		return err
	}
	return text("last_name", last, 100, lastRule, &n.Last)
}

type pupilInput struct {
	SchoolID   *school.ID `json:"school_id"`
	BranchID   *school.ID `json:"branch_id"`
	UUID       *string    `json:"uuid"`
	Number     *int64     `json:"number"`
	FirstName  *string    `json:"first_name"`
	NamePrefix *string    `json:"name_prefix"`
	LastName   *string    `json:"last_name"`
	Email      *string    `json:"email"`
	Mobile     *string    `json:"mobile"`
	BirthDate  *string    `json:"birth_date"`
	Gender     *string    `json:"gender"`
	PhotoToken *string    `json:"photo_token"`
}

type pupilOut struct {
	ID         school.ID   `json:"id"`
	SchoolID   school.ID   `json:"school_id"`
	BranchID   school.ID   `json:"branch_id"`
	UUID       string      `json:"uuid"`
	Number     int64       `json:"number"`
	FirstName  string      `json:"first_name"`
	NamePrefix string      `json:"name_prefix"`
	LastName   string      `json:"last_name"`
	Email      string      `json:"email"`
	Mobile     string      `json:"mobile"`
	BirthDate  string      `json:"birth_date"`
	Gender     string      `json:"gender"`
	PhotoToken string      `json:"photo_token"`
	GroupIDs   []school.ID `json:"group_ids"`
}

// taken wraps a put whose only unique key besides the ids is field: a
// conflict becomes a 409 naming it and the value taken.
func taken[T any](put func(context.Context, T) (T, error), field string,
	value func(T) string) func(context.Context, T) (T, error) {
	return func(ctx context.Context, x T) (T, error) {
		stored, err := put(ctx, x)
		if errors.Is(err, school.ErrConflict) {
			return stored, &conflictError{field: field, msg: "taken in this school: " + value(x)}
		}
		return stored, err
	}
}

func (a *Admin) pupils() resource[school.Pupil, pupilInput] {
	return resource[school.Pupil, pupilInput]{
		entity: school.EntityPupil, path: "pupils",
		load: a.store.Pupil,
		fill: a.fillPupil,
		put: taken(a.store.PutPupil, "number",
			func(x school.Pupil) string { return fmt.Sprint(x.Number) }),
		out:  a.pupilOut,
		refs: refFields{school.EntityBranch: "branch_id", school.EntitySchool: "school_id"},
	}
}

func (a *Admin) fillPupil(ctx context.Context, p *school.Pupil, in pupilInput, isNew bool) error {
	if err := a.placePupil(ctx, p, in, isNew); err != nil {
		return err
	}
	err := applyName(&p.Name, in.FirstName, in.NamePrefix, in.LastName, need(isNew))
	if err != nil {
		return err
	}
	if err := text("uuid", in.UUID, 64, notBlank, &p.UUID); err != nil {
		return err
	}
	if in.Number != nil {
		if *in.Number <= 0 {
			return &fieldError{field: "number", msg: "want a positive whole number"}
		}
		p.Number = *in.Number
	}
	if err := text("email", in.Email, 200, optional, &p.Email); err != nil {
		return err
	}
	if err := text("mobile", in.Mobile, 30, optional, &p.Mobile); err != nil {
		return err
	}
	if in.BirthDate != nil {
		d, err := parseDate("birth_date", *in.BirthDate)
		if err != nil {
			return err
		}
		p.BirthDate = d
	}
	if err := oneOf("gender", in.Gender, &p.Gender, "Man", "Vrouw"); err != nil {
		return err
	}
	return text("photo_token", in.PhotoToken, 64, notBlank, &p.PhotoToken)
}

// placePupil sets a pupil's school and branch, and a new pupil's
// defaults: a fresh uuid and photo token, a birth date fifteen years
// back, "Vrouw", the school's first branch.
func (a *Admin) placePupil(ctx context.Context, p *school.Pupil, in pupilInput,
	isNew bool) error {
	if !isNew {
		if err := sameSchool(in.SchoolID, p.SchoolID); err != nil {
			return err
		}
	} else {
		sid, err := a.schoolFor(ctx, in.SchoolID)
		if err != nil {
			return err
		}
		p.SchoolID, p.UUID, p.PhotoToken = sid, newUUID(), randomHex(16)
		p.BirthDate = school.DateOf(a.clock.Now()).AddDate(-15, 0, 0)
		p.Gender = "Vrouw"
	}
	if in.BranchID != nil {
		p.BranchID = *in.BranchID
		return nil
	}
	if !isNew {
		return nil
	}
	branches, err := a.store.Branches(ctx, p.SchoolID)
	if err != nil {
		return err
	}
	if len(branches) == 0 {
		return &fieldError{field: "branch_id", msg: "required: the school has no branch"}
	}
	p.BranchID = branches[0].ID
	return nil
}

func (a *Admin) pupilOut(ctx context.Context, p school.Pupil) (any, error) {
	groups, err := a.store.GroupsOfPupils(ctx, p.SchoolID, []school.ID{p.ID})
	if err != nil {
		return nil, err
	}
	return pupilOut{ID: p.ID, SchoolID: p.SchoolID, BranchID: p.BranchID, UUID: p.UUID,
		Number: p.Number, FirstName: p.Name.First, NamePrefix: p.Name.Prefix,
		LastName: p.Name.Last, Email: p.Email, Mobile: p.Mobile,
		BirthDate: dateOut(p.BirthDate), Gender: p.Gender, PhotoToken: p.PhotoToken,
		GroupIDs: ids(groups[p.ID])}, nil
}

type staffInput struct {
	SchoolID   *school.ID `json:"school_id"`
	UUID       *string    `json:"uuid"`
	Number     *int64     `json:"number"`
	Abbrev     *string    `json:"abbrev"`
	FirstName  *string    `json:"first_name"`
	NamePrefix *string    `json:"name_prefix"`
	LastName   *string    `json:"last_name"`
	Initials   *string    `json:"initials"`
	Gender     *string    `json:"gender"`
}

type staffOut struct {
	ID         school.ID `json:"id"`
	SchoolID   school.ID `json:"school_id"`
	UUID       string    `json:"uuid"`
	Number     int64     `json:"number"`
	Abbrev     string    `json:"abbrev"`
	FirstName  string    `json:"first_name"`
	NamePrefix string    `json:"name_prefix"`
	LastName   string    `json:"last_name"`
	Initials   string    `json:"initials"`
	Gender     string    `json:"gender"`
}

func (a *Admin) staff() resource[school.Staff, staffInput] {
	return resource[school.Staff, staffInput]{
		entity: school.EntityStaff, path: "staff",
		load: func(ctx context.Context, sid, id school.ID) (school.Staff, error) {
			list, err := a.store.StaffMembers(ctx, sid, []school.ID{id})
			if err != nil || len(list) == 0 {
				return school.Staff{}, errors.Join(err, school.ErrNotFound)
			}
			return list[0], nil
		},
		fill: a.fillStaff,
		put: taken(a.store.PutStaff, "number",
			func(x school.Staff) string { return fmt.Sprint(x.Number) }),
		out: func(_ context.Context, s school.Staff) (any, error) {
			return staffOut{ID: s.ID, SchoolID: s.SchoolID, UUID: s.UUID, Number: s.Number,
				Abbrev: s.Abbrev, FirstName: s.Name.First, NamePrefix: s.Name.Prefix,
				LastName: s.Name.Last, Initials: s.Initials, Gender: s.Gender}, nil
		},
		refs: refFields{school.EntitySchool: "school_id"},
	}
}

// fillStaff applies a staff member's input. A new one gets a fresh uuid,
// "VROUW", and initials and an abbreviation made from the name.
func (a *Admin) fillStaff(ctx context.Context, s *school.Staff, in staffInput, isNew bool) error {
	if isNew {
		sid, err := a.schoolFor(ctx, in.SchoolID)
		if err != nil {
			return err
		}
		s.SchoolID, s.UUID, s.Gender = sid, newUUID(), "VROUW"
	}
	if err := sameSchool(in.SchoolID, s.SchoolID); err != nil {
		return err
	}
	err := applyName(&s.Name, in.FirstName, in.NamePrefix, in.LastName, need(isNew))
	if err != nil {
		return err
	}
	if err := text("uuid", in.UUID, 64, notBlank, &s.UUID); err != nil {
		return err
	}
	if in.Number != nil {
		if *in.Number <= 0 {
			return &fieldError{field: "number", msg: "want a positive whole number"}
		}
		s.Number = *in.Number
	}
	if isNew {
		s.Abbrev, s.Initials = abbrevOf(s.Name), initialsOf(s.Name)
	}
	if err := text("abbrev", in.Abbrev, 10, notBlank, &s.Abbrev); err != nil {
		return err
	}
	if s.Abbrev == "" {
		return &fieldError{field: "abbrev", msg: "must not be empty"}
	}
	if err := text("initials", in.Initials, 20, optional, &s.Initials); err != nil {
		return err
	}
	return oneOf("gender", in.Gender, &s.Gender, "MAN", "VROUW")
}

// abbrevOf is a teacher's afkorting: the first letter of the first name
// and the first two of the last, lower case ("tmu" for Tineke Mulder).
func abbrevOf(n school.Name) string {
	var b strings.Builder
	for _, part := range []struct {
		s string
		n int
	}{{n.First, 1}, {n.Last, 2}} {
		for _, r := range part.s {
			if b.Len() >= 3 || part.n == 0 {
				break
			}
			if unicode.IsLetter(r) {
				b.WriteRune(unicode.ToLower(r))
				part.n--
			}
		}
	}
	return b.String()
}

// initialsOf is "T." for Tineke; empty without a first name.
func initialsOf(n school.Name) string {
	for _, r := range n.First {
		return string(unicode.ToUpper(r)) + "."
	}
	return ""
}

// The account roles on the wire.
var roles = []string{string(school.RolePupil), string(school.RoleParent),
	string(school.RoleStaff), string(school.RoleAdmin)}

type accountInput struct {
	SchoolID   *school.ID   `json:"school_id"`
	UUID       *string      `json:"uuid"`
	Username   *string      `json:"username"`
	Password   *string      `json:"password"`
	Role       *string      `json:"role"`
	PersonID   *school.ID   `json:"person_id"`
	FirstName  *string      `json:"first_name"`
	NamePrefix *string      `json:"name_prefix"`
	LastName   *string      `json:"last_name"`
	PupilIDs   *[]school.ID `json:"pupil_ids"`
}

type accountOut struct {
	ID         school.ID   `json:"id"`
	SchoolID   school.ID   `json:"school_id"`
	UUID       string      `json:"uuid"`
	Username   string      `json:"username"`
	Password   *string     `json:"password"`
	Role       school.Role `json:"role"`
	PersonID   school.ID   `json:"person_id"`
	FirstName  string      `json:"first_name"`
	NamePrefix string      `json:"name_prefix"`
	LastName   string      `json:"last_name"`
	PupilIDs   []school.ID `json:"pupil_ids"`
}

func (a *Admin) accountsResource() resource[school.Account, accountInput] {
	return resource[school.Account, accountInput]{
		entity: school.EntityAccount, path: "accounts",
		load: a.store.Account,
		fill: a.fillAccount,
		put: taken(a.store.PutAccount, "username",
			func(x school.Account) string { return x.Username }),
		out: func(_ context.Context, x school.Account) (any, error) {
			out := accountOut{ID: x.ID, SchoolID: x.SchoolID, UUID: x.UUID,
				Username: x.Username, Role: x.Role, PersonID: x.PersonID,
				FirstName: x.Name.First, NamePrefix: x.Name.Prefix, LastName: x.Name.Last,
				PupilIDs: ids(x.PupilIDs)}
			if x.DemoPassword != "" {
				pw := x.DemoPassword
				out.Password = &pw
			}
			return out, nil
		},
		refs: refFields{school.EntityPupil: "person_id", school.EntityStaff: "person_id",
			school.EntitySchool: "school_id"},
	}
}

// fillAccount applies an account's input. The role decides what it
// points at: a pupil (leerling), a staff member (medewerker, beheerder)
// or children (ouder, pupil_ids); the school is theirs. A new account
// gets a fresh uuid, the pupil's number or the staff member's
// abbreviation as username, and a random password unless one is given;
// the password is kept in the clear too, as the demo's are, so that
// GET answers it.
func (a *Admin) fillAccount(ctx context.Context, x *school.Account, in accountInput,
	isNew bool) error {
	if isNew && in.Role == nil {
		return &fieldError{field: "role", msg: "required: " + strings.Join(roles, ", ")}
	}
	role := string(x.Role)
	if err := oneOf("role", in.Role, &role, roles...); err != nil {
		return err
	}
	x.Role = school.Role(role)
	if err := a.accountPeople(ctx, x, in, isNew); err != nil {
		return err
	}
	if isNew {
		x.UUID = newUUID()
	}
	if err := text("uuid", in.UUID, 64, notBlank, &x.UUID); err != nil {
		return err
	}
	if err := applyName(&x.Name, in.FirstName, in.NamePrefix, in.LastName, optional); err != nil {
		return err
	}
	if err := a.accountUsername(ctx, x, in.Username); err != nil {
		return err
	}
	return a.accountPassword(x, in.Password, isNew)
}

// accountPeople sets what the account points at and its school.
func (a *Admin) accountPeople(ctx context.Context, x *school.Account, in accountInput,
	isNew bool) error {
	if in.PersonID != nil {
		x.PersonID = *in.PersonID
	}
	if in.PupilIDs != nil {
		x.PupilIDs = slices.Clone(*in.PupilIDs)
	}
	parent := x.Role == school.RoleParent
	switch {
	case parent && x.PersonID != 0:
		return &fieldError{field: "person_id", msg: "not for role ouder: give pupil_ids"}
	case parent && len(x.PupilIDs) == 0:
		return &fieldError{field: "pupil_ids", msg: "required for role ouder: its children"}
	case !parent && len(x.PupilIDs) > 0:
		return &fieldError{field: "pupil_ids", msg: "only for role ouder"}
	case !parent && x.PersonID == 0:
		return &fieldError{field: "person_id", msg: "required for role " + string(x.Role)}
	}
	if len(x.PupilIDs) > 100 {
		return &fieldError{field: "pupil_ids", msg: "at most 100"}
	}
	sid, err := a.accountSchool(ctx, x)
	if err != nil {
		return err
	}
	if !isNew && sid != x.SchoolID {
		return &fieldError{field: "person_id", msg: "must be of the account's school"}
	}
	x.SchoolID = sid
	return sameSchool(in.SchoolID, sid)
}

// accountSchool is the school of the person or the first child; the
// other children must be of it too.
func (a *Admin) accountSchool(ctx context.Context, x *school.Account) (school.ID, error) {
	e, id, field := school.EntityStaff, x.PersonID, "person_id"
	switch x.Role {
	case school.RolePupil:
		e = school.EntityPupil
	case school.RoleParent:
		e, id, field = school.EntityPupil, x.PupilIDs[0], "pupil_ids"
	}
	sid, err := a.store.SchoolOf(ctx, e, id)
	if errors.Is(err, school.ErrNotFound) {
		return 0, &notFoundError{field: field, msg: fmt.Sprintf("no %s %d", e, id)}
	}
	if err != nil {
		return 0, err
	}
	found, err := a.store.Pupils(ctx, sid, x.PupilIDs)
	if err != nil {
		return 0, err
	}
	if len(found) != len(slices.Compact(slices.Sorted(slices.Values(x.PupilIDs)))) {
		return 0, &notFoundError{field: "pupil_ids",
			msg: "every child must be a pupil of one school"}
	}
	return sid, nil
}

// accountUsername sets the username, or a new account's default.
func (a *Admin) accountUsername(ctx context.Context, x *school.Account, p *string) error {
	if p != nil {
		if err := text("username", p, 100, required, &x.Username); err != nil {
			return err
		}
		if strings.ContainsAny(x.Username, `\`) || strings.TrimSpace(x.Username) != x.Username {
			return &fieldError{field: "username",
				msg: "no backslash and no spaces at either end"}
		}
		return nil
	}
	if x.Username != "" {
		return nil
	}
	switch x.Role {
	case school.RolePupil:
		p, err := a.store.Pupil(ctx, x.SchoolID, x.PersonID)
		if err != nil {
			return err
		}
		x.Username = fmt.Sprint(p.Number)
	case school.RoleStaff, school.RoleAdmin:
		list, err := a.store.StaffMembers(ctx, x.SchoolID, []school.ID{x.PersonID})
		if err != nil || len(list) == 0 {
			return errors.Join(err, school.ErrNotFound)
		}
		x.Username = list[0].Abbrev
	default:
		return &fieldError{field: "username", msg: "required for role ouder"}
	}
	return nil
}

// accountPassword hashes a given password, or a new account's random one.
func (a *Admin) accountPassword(x *school.Account, p *string, isNew bool) error {
	pw := ""
	switch {
	case p != nil:
		if len(*p) < 4 || len(*p) > 128 {
			return &fieldError{field: "password", msg: "want 4 to 128 bytes"}
		}
		pw = *p
	case isNew:
		pw = randomHex(6)
	default:
		return nil
	}
	hash, err := passwd.Hash(pw, a.cost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	x.PasswordHash, x.DemoPassword = hash, pw
	return nil
}
