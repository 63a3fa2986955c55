// Package school holds opensom's domain: schools and the people, groups,
// lessons and grades in them, the sentinel errors every layer shares, and
// the Store interface that the SQL package implements. It depends on no
// database driver and on no HTTP code.
package school

import (
	"errors"
	"time"
)

// ID is the numeric identity of every entity. Ids are positive, large (ten
// digits or more, like the real service's) and stable for the same seed.
type ID int64

// Sentinel errors. Store methods wrap them with %w; callers test with
// errors.Is.
var (
	// ErrNotFound: no such entity in this school.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique key is already taken.
	ErrConflict = errors.New("conflict")
	// ErrTokenReused: a refresh token was presented after it had been
	// rotated and outside the grace window.
	ErrTokenReused = errors.New("refresh token reused")
	// ErrTokenRevoked: the token's family has been revoked or has expired.
	ErrTokenRevoked = errors.New("refresh token revoked")
)

// Role is the kind of person behind an account, in the API's own words.
type Role string

// The roles an account can have.
const (
	RolePupil  Role = "leerling"
	RoleParent Role = "ouder"
	RoleStaff  Role = "medewerker"
)

// OIDCURL is an external identity provider a school offers at login.
type OIDCURL struct {
	Description string // omschrijving
	URL         string
	DomainHint  string
}

// School is one tenant: an instelling of organisaties.json.
type School struct {
	ID     ID
	UUID   string
	Name   string // naam
	City   string // plaats, upper case
	Tenant string // somtoday_tenant, a short lower-case code
	Abbrev string // somtoday_organisatie_afkorting
	// PasswordGrantOff turns the password grant off for this school; it then
	// answers the real service's "disabled for insecure clients" error.
	PasswordGrantOff bool
	OIDCURLs         []OIDCURL
}

// Branch is a vestiging of a school.
type Branch struct {
	ID       ID
	SchoolID ID
	UUID     string
	Name     string
}

// SchoolYear runs from From to To inclusive, both local dates at midnight
// in Europe/Amsterdam.
type SchoolYear struct {
	ID       ID
	SchoolID ID
	Name     string // "2024/2025"
	From, To time.Time
}

// Current reports whether the local date of now falls inside the year.
func (y SchoolYear) Current(now time.Time) bool {
	d := DateOf(now)
	return !d.Before(y.From) && !d.After(y.To)
}

// Subject is a vak.
type Subject struct {
	ID       ID
	SchoolID ID
	UUID     string
	Abbrev   string // afkorting, e.g. "wisB"
	Name     string // naam, e.g. "wiskunde B"
}

// Person names, shared by pupils and staff.
type Name struct {
	First  string // roepnaam
	Prefix string // voorvoegsel, e.g. "van der"; may be empty
	Last   string // achternaam
}

// Pupil is a leerling.
type Pupil struct {
	ID        ID
	SchoolID  ID
	BranchID  ID
	UUID      string
	Number    int64 // leerlingnummer
	Name      Name
	Email     string
	Mobile    string // empty when unknown
	BirthDate time.Time
	Gender    string // "Man" or "Vrouw"
	// PhotoToken is the secret part of the pasfoto capability URL.
	PhotoToken string
}

// Staff is a medewerker: a teacher or another member of staff.
type Staff struct {
	ID       ID
	SchoolID ID
	UUID     string
	Number   int64
	Abbrev   string // afkorting, e.g. "jdv"
	Name     Name
	Initials string // voorletters, e.g. "J.D."
	Gender   string // "MAN" or "VROUW"
}

// Group is a class group (stamgroep, no subject) or a lesson group
// (lesgroep, one subject) in one school year.
type Group struct {
	ID        ID
	SchoolID  ID
	YearID    ID
	UUID      string
	Name      string
	SubjectID ID // zero for a stamgroep
	PupilIDs  []ID
}

// Account is a login. PersonID points at the pupil (leerling) or the staff
// member (medewerker); a parent's account lists its children in PupilIDs.
type Account struct {
	ID           ID
	SchoolID     ID
	UUID         string
	Username     string
	PasswordHash string
	Role         Role
	PersonID     ID
	Name         Name // the parent's own name; pupils and staff use PersonID
	PupilIDs     []ID // children, for RoleParent
	// DemoPassword is the clear password of a demo account, so that
	// `opensom accounts` can print it. Empty for every real account.
	DemoPassword string
}

// LessonStatus is afspraakStatus.
type LessonStatus string

// Appointment statuses.
const (
	StatusActive    LessonStatus = "ACTIEF"
	StatusCancelled LessonStatus = "VERVALLEN"
)

// Lesson is an afspraak: one appointment in the timetable of a group.
type Lesson struct {
	ID        ID
	SchoolID  ID
	BranchID  ID
	GroupID   ID
	SubjectID ID   // zero for an activity without subject
	StaffIDs  []ID // teachers, in order
	Start     time.Time
	End       time.Time
	// BeginHour and EndHour are the lesson hours (lesuren); zero for an
	// appointment outside the hour grid.
	BeginHour, EndHour int
	Location           string
	Kind               string // afspraakType naam, e.g. "Les" or "Activiteit"
	Title              string
	Status             LessonStatus
}

// Column types (the `type` of a result) that opensom generates.
const (
	ColumnTest          = "Toetskolom"
	ColumnAssignment    = "Werkstukcijferkolom"
	ColumnAdvice        = "Advieskolom"
	ColumnPeriodAverage = "PeriodeGemiddeldeKolom"
	ColumnReportAverage = "RapportGemiddeldeKolom"
	ColumnTestKindAvg   = "ToetssoortGemiddeldeKolom"
	ColumnSEAverage     = "SEGemiddeldeKolom"
)

// Grade is a resultaat: one value in one column for one pupil. Values are
// kept in tenths (78 means 7.8) so that arithmetic on them is exact.
type Grade struct {
	ID        ID
	SchoolID  ID
	PupilID   ID
	SubjectID ID
	ColumnID  ID // resultaatkolomId
	// CijferColumnID and CompositeColumnID are the cijferkolomId and
	// samengesteldeToetskolomId additionals; zero when absent.
	CijferColumnID    ID
	CompositeColumnID ID
	Type              string // column type, e.g. "Toetskolom"
	// Tenths is the value in tenths; HasValue is false for a result without
	// a number (not made, or a label).
	Tenths   int
	HasValue bool
	// Current is geldendResultaat in tenths: the value that holds after
	// re-sits (for the first attempt of a re-sat column, the better or the
	// later of the attempts, as ResitType says). Equal to Tenths otherwise.
	Current     int
	Label       string // resultaatLabelAfkorting, e.g. "V"; empty for numbers
	Entered     time.Time
	Weight      int // weging; zero on average columns
	ExamWeight  int
	Period      int
	StudyYear   int // leerjaar
	Description string
	Seq         int    // volgnummer
	TestKind    string // toetssoortnaam, e.g. "SO"; empty when none
	NotCounting bool   // teltNietmee
	NotMade     bool   // toetsNietGemaakt
	Exempt      bool   // vrijstelling
	ResitType   string // herkansingstype, e.g. "Geen"
	ResitNumber int    // herkansingsNummer; 0 for a first attempt
	InExam      bool   // isExamendossierResultaat
	InProgress  bool   // isVoortgangsdossierResultaat
	// ReportTenths is the berekendRapportCijfer of an average column.
	ReportTenths    int
	HasReportTenths bool
}
