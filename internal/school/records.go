package school

import (
	"context"
	"time"
)

// RoleAdmin is a school administrator: an account that may read every
// pupil of its school. PersonID points at a staff member, as for
// RoleStaff. "beheerder" is opensom's own word; the real service's role
// names for administrators are not documented.
const RoleAdmin Role = "beheerder"

// Switch names: the restricties booleans of the account endpoint (spec
// 5.5). Those that opensom enforces have a constant; the rest are stored
// and shown only.
const (
	SwitchGrades     = "cijfersBekijkenAan"
	SwitchHomework   = "huiswerkBekijkenAan"
	SwitchStudyGuide = "studiewijzerAan"
	SwitchAbsences   = "absentiesBekijkenAan"
	SwitchMeasures   = "absentieMaatregelBekijkenAan"
	SwitchTimetable  = "roosterBekijkenAan"
	SwitchICal       = "roosterBeschikbaarIcalAan"
	SwitchMessages   = "berichtenBekijkenAan"
	SwitchSubjects   = "vakkenBekijkenAan"
	SwitchPhoto      = "pasfotoLeerlingTonenAan"
)

// SwitchNames are the restricties booleans in the order the wire writes
// them, each with its value for a school that stored nothing.
var SwitchNames = []struct {
	Name    string
	Default bool
}{
	{"mobieleAppAan", true}, {"studiewijzerAan", true}, {"berichtenVerzendenAan", true},
	{"leermiddelenAan", true}, {"adviezenTokenAan", false},
	{"opmerkingRapportCijferTonenAan", true}, {"periodeGemiddeldeTonenResultaatAan", true},
	{"rapportGemiddeldeTonenResultaatAan", true}, {"rapportCijferTonenResultaatAan", true},
	{"toetssoortgemiddeldenAan", true}, {"seResultaatAan", true},
	{"stamgroepLeerjaarAan", true}, {"emailWijzigenAan", true}, {"mobielWijzigenAan", true},
	{"wachtwoordWijzigenAan", true}, {"absentiesBekijkenAan", true},
	{"absentieConstateringBekijkenAan", true}, {"absentieMaatregelBekijkenAan", true},
	{"absentieMeldingBekijkenAan", true}, {"berichtenBekijkenAan", true},
	{"cijfersBekijkenAan", true}, {"huiswerkBekijkenAan", true}, {"nieuwsBekijkenAan", true},
	{"pasfotoLeerlingTonenAan", true}, {"pasfotoMedewerkerTonenAan", true},
	{"profielBekijkenAan", true}, {"roosterBekijkenAan", true},
	{"roosterBeschikbaarIcalAan", true}, {"vakkenBekijkenAan", true},
	{"lesurenVerbergenSettingAan", false},
}

// Switch is one stored switch of a school. Only switches that differ from
// their default need a row.
type Switch struct {
	SchoolID ID
	Name     string
	On       bool
}

// Switches are a school's switches by name.
type Switches map[string]bool

// SwitchesOf merges stored rows over the defaults.
func SwitchesOf(rows []Switch) Switches {
	s := make(Switches, len(SwitchNames))
	for _, n := range SwitchNames {
		s[n.Name] = n.Default
	}
	for _, r := range rows {
		s[r.Name] = r.On
	}
	return s
}

// On reports whether a switch is on; unknown names are off.
func (s Switches) On(name string) bool { return s[name] }

// Holiday is a vakantie of a school; From and To are inclusive local dates.
type Holiday struct {
	ID       ID
	SchoolID ID
	Name     string
	From, To time.Time
}

// LessonHour is one lesuur of a school's daily grid; Begin and End are
// local clock times "08:30".
type LessonHour struct {
	SchoolID   ID
	Number     int
	Begin, End string
}

// AbsenceReason is an absentiereden.
type AbsenceReason struct {
	ID          ID
	SchoolID    ID
	Abbrev      string // afkorting, e.g. "ZK"
	Description string // omschrijving, e.g. "Ziek"
	Kind        string // absentieSoort, e.g. "Absent"
	Authorised  bool   // geoorloofd
}

// AbsenceReport is an absentiemelding: a pupil reported absent for a
// time, by a parent or staff.
type AbsenceReport struct {
	ID         ID
	SchoolID   ID
	PupilID    ID
	ReasonID   ID
	StaffID    ID // eigenaar; zero when a parent reported it
	Entered    time.Time
	Start, End time.Time // End is zero when open-ended
	BeginHour  int
	EndHour    int
	Handled    bool
	Remarks    string
}

// Observation registrations: what a teacher noted in a lesson.
const (
	RegAbsent     = "Afwezig"
	RegLate       = "TeLaat"
	RegRemoved    = "Verwijderd"
	RegNoHomework = "HuiswerkNietGemaakt"
	RegNoMaterial = "MateriaalNietInOrde"
)

// Observation is a waarneming: a teacher's note on a pupil in one lesson.
// The lesson's times and hours are copied in, so that lists need no join.
type Observation struct {
	ID           ID
	SchoolID     ID
	PupilID      ID
	LessonID     ID
	ReasonID     ID     // zero when none
	StaffID      ID     // ingevoerdDoor
	Kind         string // waarnemingSoort: "Aanwezig" or "Afwezig"
	Registration string // one of the Reg constants
	Authorised   bool   // geoorloofd
	Handled      bool   // afgehandeld
	Entered      time.Time
	Start, End   time.Time
	BeginHour    int
	EndHour      int
}

// Measure is a maatregeltoekenning: a consequence given to a pupil.
type Measure struct {
	ID        ID
	SchoolID  ID
	PupilID   ID
	Name      string // maatregel omschrijving, e.g. "Melden om 8 uur"
	Date      time.Time
	Done      bool // nagekomen
	Remarks   string
	Automatic bool   // automatischToegekend
	Cause     string // veroorzaaktDoor, e.g. "3x te laat"
}

// StudyGuide is a studiewijzer of one lesson group.
type StudyGuide struct {
	ID       ID
	SchoolID ID
	GroupID  ID
	UUID     string
	Name     string
}

// HomeworkKind says how an assignment is placed in time.
type HomeworkKind string

// The three toekenning lists.
const (
	HomeworkLesson HomeworkKind = "afspraak" // on a lesson
	HomeworkDay    HomeworkKind = "dag"      // on a day
	HomeworkWeek   HomeworkKind = "week"     // on a span of weeks
)

// Homework is a study guide item assigned to a lesson group: one item of
// one of the three toekenning lists.
type Homework struct {
	ID       ID
	SchoolID ID
	GuideID  ID
	GroupID  ID
	ItemID   ID // studiewijzerItem id
	YearID   ID // schooljaar
	Kind     HomeworkKind
	LessonID ID // for HomeworkLesson
	// Due is the lesson's start, the day's midnight, or the Monday of
	// WeekFrom; it is what begintNaOfOp compares with.
	Due              time.Time
	ISOYear          int // of Due
	WeekFrom, WeekTo int // ISO weeks; both Due's week except for week items
	Topic            string
	Type             string // HUISWERK, TOETS or GROTE_TOETS
	Description      string // HTML
	Created          time.Time
	Order            int // sortering
}

// HomeworkDone is a pupil's "done" tick on an assignment (RSWIGemaakt).
type HomeworkDone struct {
	ID         ID
	SchoolID   ID
	HomeworkID ID
	PupilID    ID
	Done       bool
}

// HomeworkQuery selects the assignments of one kind for the lesson groups
// of some pupils. Zero fields do not filter.
type HomeworkQuery struct {
	SchoolID ID
	PupilIDs []ID
	Kind     HomeworkKind
	From     time.Time // Due on or after
	ISOYear  int       // with Week: jaarWeek
	Week     int       // an ISO week the item covers
	YearID   ID
	Page     Page
}

// ICalLink is the secret of an account's calendar feed URL.
type ICalLink struct {
	AccountID ID
	SchoolID  ID
	Secret    string
	Created   time.Time
}

// Conversation is a message thread (boodschap conversatie) sent by a
// staff member to accounts.
type Conversation struct {
	ID         ID
	SchoolID   ID
	SenderID   ID // staff
	Subject    string
	Body       string // HTML
	Sent       time.Time
	Recipients []ID // account ids, in order
}

// ConversationView is a conversation as one recipient sees it.
type ConversationView struct {
	Conversation
	Read bool
}

// Records is what the Store keeps beyond people, lessons and grades:
// switches, absences, homework, holidays, messages and calendar links.
// Reads take the school id and never return another school's rows.
type Records interface {
	// SchoolPupilIDs lists every pupil of a school, by id.
	SchoolPupilIDs(ctx context.Context, schoolID ID) ([]ID, error)
	// PupilByUUID finds a pupil in any school, for capability URLs.
	PupilByUUID(ctx context.Context, uuid string) (Pupil, error)
	// PupilGroups lists the groups any of the pupils is in, by id, each
	// with all its members.
	PupilGroups(ctx context.Context, schoolID ID, pupilIDs []ID) ([]Group, error)
	Switches(ctx context.Context, schoolID ID) (Switches, error)
	Holidays(ctx context.Context, schoolID ID) ([]Holiday, error)
	LessonHours(ctx context.Context, schoolID ID) ([]LessonHour, error)

	AbsenceReasons(ctx context.Context, schoolID ID) ([]AbsenceReason, error)
	// AbsenceReports lists the reports of the pupils whose start lies in
	// [from, to) (zero bounds are open), by start then id.
	AbsenceReports(ctx context.Context, schoolID ID, pupilIDs []ID, from, to time.Time,
		p Page) ([]AbsenceReport, int, error)
	// Observations lists the observations of the pupils whose start lies
	// in [from, to), by start then id.
	Observations(ctx context.Context, schoolID ID, pupilIDs []ID, from, to time.Time,
		p Page) ([]Observation, int, error)
	Measures(ctx context.Context, schoolID ID, pupilIDs []ID) ([]Measure, error)

	// StudyGuides lists the guides of the groups of the pupils, by id.
	StudyGuides(ctx context.Context, schoolID ID, pupilIDs []ID) ([]StudyGuide, error)
	StudyGuide(ctx context.Context, schoolID, id ID) (StudyGuide, error)
	// Homework lists assignments by Due, then id.
	Homework(ctx context.Context, q HomeworkQuery) ([]Homework, int, error)
	HomeworkItem(ctx context.Context, schoolID, id ID) (Homework, error)
	// HomeworkDone lists the ticks of the pupils on the assignments.
	HomeworkDone(ctx context.Context, schoolID ID, homeworkIDs, pupilIDs []ID) ([]HomeworkDone, error)
	HomeworkDoneByID(ctx context.Context, schoolID, id ID) (HomeworkDone, error)
	// SetHomeworkDone creates or updates the tick of (HomeworkID, PupilID)
	// and returns it with its id.
	SetHomeworkDone(ctx context.Context, d HomeworkDone) (HomeworkDone, error)

	// Conversations lists what an account received, newest first.
	Conversations(ctx context.Context, schoolID, accountID ID, p Page) ([]ConversationView, int, error)
	// MarkConversationRead sets the read state of one received conversation.
	MarkConversationRead(ctx context.Context, schoolID, accountID, id ID, read bool) error

	// SetLessonStatus cancels a lesson or restores it; the lesson keeps its
	// id and times, as decisions.md says of cancelled lessons.
	SetLessonStatus(ctx context.Context, schoolID, lessonID ID, status LessonStatus) error

	// ICalLink loads the calendar secret of an account, in any school.
	ICalLink(ctx context.Context, accountID ID) (ICalLink, error)
	// SetICalLink stores (or replaces) an account's calendar secret.
	SetICalLink(ctx context.Context, l ICalLink) error
	// DeleteICalLink revokes it; revoking none is no error.
	DeleteICalLink(ctx context.Context, schoolID, accountID ID) error
}
