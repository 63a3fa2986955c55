package world

// The document types: one Go struct per object of the format, with the
// keys as yaml tags. docs/world-files.md describes every key and
// docs/world.schema.json must stay in step with these types (a test
// checks every example against both). Pointers mark the optional values
// whose zero is a meaningful value, so that "left out" can be told from
// "zero".
//
// TODO: TestSchemaKeys holds the schema's keys to these types, but its
// required keys, enumerations and ranges are kept in step by hand; a check
// the loader adds or drops can leave the schema stricter or looser.

type fileDoc struct {
	Schema  string      `yaml:"$schema"`
	Version int         `yaml:"version"`
	Schools []schoolDoc `yaml:"schools"`
}

type schoolDoc struct {
	Name          string          `yaml:"name"`
	City          string          `yaml:"city"`
	Tenant        string          `yaml:"tenant"`
	Abbrev        string          `yaml:"abbrev"`
	ID            int64           `yaml:"id"`
	UUID          string          `yaml:"uuid"`
	PasswordGrant *bool           `yaml:"passwordGrant"`
	OIDC          []oidcDoc       `yaml:"oidc"`
	Averages      *bool           `yaml:"averages"`
	Branches      []branchDoc     `yaml:"branches"`
	Years         []yearDoc       `yaml:"years"`
	LessonHours   []string        `yaml:"lessonHours"`
	Holidays      []holidayDoc    `yaml:"holidays"`
	Switches      map[string]bool `yaml:"switches"`
	Subjects      []subjectDoc    `yaml:"subjects"`
	Staff         []staffDoc      `yaml:"staff"`
	Classes       []groupDoc      `yaml:"classes"`
	Groups        []groupDoc      `yaml:"groups"`
	Pupils        []pupilDoc      `yaml:"pupils"`
	Parents       []parentDoc     `yaml:"parents"`
	Timetable     []slotDoc       `yaml:"timetable"`
	Lessons       []lessonDoc     `yaml:"lessons"`
	Changes       []changeDoc     `yaml:"changes"`
	Tests         []testDoc       `yaml:"tests"`
	Reasons       []reasonDoc     `yaml:"absenceReasons"`
	Absences      []absenceDoc    `yaml:"absences"`
	Observations  []observeDoc    `yaml:"observations"`
	Measures      []measureDoc    `yaml:"measures"`
	Homework      []homeworkDoc   `yaml:"homework"`
	Messages      []messageDoc    `yaml:"messages"`
}

type oidcDoc struct {
	Description string `yaml:"description"`
	URL         string `yaml:"url"`
	DomainHint  string `yaml:"domainHint"`
}

type branchDoc struct {
	Name string `yaml:"name"`
	ID   int64  `yaml:"id"`
	UUID string `yaml:"uuid"`
}

type yearDoc struct {
	Name string `yaml:"name"`
	From string `yaml:"from"`
	To   string `yaml:"to"`
	ID   int64  `yaml:"id"`
}

type holidayDoc struct {
	Name string `yaml:"name"`
	From string `yaml:"from"`
	To   string `yaml:"to"`
	ID   int64  `yaml:"id"`
}

type subjectDoc struct {
	Abbrev string `yaml:"abbrev"`
	Name   string `yaml:"name"`
	ID     int64  `yaml:"id"`
	UUID   string `yaml:"uuid"`
}

// login is the account part shared by pupils, staff and parents.
type login struct {
	Username     string `yaml:"username"`
	Password     string `yaml:"password"`
	PasswordHash string `yaml:"passwordHash"`
	AccountID    int64  `yaml:"accountId"`
	AccountUUID  string `yaml:"accountUuid"`
}

type staffDoc struct {
	Abbrev   string  `yaml:"abbrev"`
	Name     nameDoc `yaml:"name"`
	Initials string  `yaml:"initials"`
	Gender   string  `yaml:"gender"`
	Number   int64   `yaml:"number"`
	ID       int64   `yaml:"id"`
	UUID     string  `yaml:"uuid"`
	Role     string  `yaml:"role"`
	Login    login   `yaml:",inline"`
}

// groupDoc is a class (stamgroep, under classes) or a lesson group
// (lesgroep, under groups, with a subject).
type groupDoc struct {
	Name    string  `yaml:"name"`
	Subject string  `yaml:"subject"`
	Year    string  `yaml:"year"`
	Level   int     `yaml:"level"`
	Classes strList `yaml:"classes"`
	ID      int64   `yaml:"id"`
	UUID    string  `yaml:"uuid"`
}

type pupilDoc struct {
	Name       nameDoc `yaml:"name"`
	Number     int64   `yaml:"number"`
	Gender     string  `yaml:"gender"`
	BirthDate  string  `yaml:"birthDate"`
	Email      string  `yaml:"email"`
	Mobile     string  `yaml:"mobile"`
	Branch     string  `yaml:"branch"`
	Class      string  `yaml:"class"`
	Groups     strList `yaml:"groups"`
	PhotoToken string  `yaml:"photoToken"`
	ID         int64   `yaml:"id"`
	UUID       string  `yaml:"uuid"`
	Login      login   `yaml:",inline"`
}

type parentDoc struct {
	Name     nameDoc `yaml:"name"`
	Children strList `yaml:"children"`
	Login    login   `yaml:",inline"`
}

// slotDoc is one weekly lesson of the timetable.
type slotDoc struct {
	Day     string  `yaml:"day"`
	Hour    int     `yaml:"hour"`
	EndHour int     `yaml:"endHour"`
	Time    string  `yaml:"time"`
	Group   string  `yaml:"group"`
	Subject string  `yaml:"subject"`
	Teacher strList `yaml:"teacher"`
	Room    string  `yaml:"room"`
	Kind    string  `yaml:"kind"`
	Title   string  `yaml:"title"`
	From    string  `yaml:"from"`
	To      string  `yaml:"to"`
	Weeks   string  `yaml:"weeks"`
}

// lessonDoc is one lesson outside the timetable.
type lessonDoc struct {
	Date      string  `yaml:"date"`
	Hour      int     `yaml:"hour"`
	EndHour   int     `yaml:"endHour"`
	Time      string  `yaml:"time"`
	Group     string  `yaml:"group"`
	Subject   string  `yaml:"subject"`
	Teacher   strList `yaml:"teacher"`
	Room      string  `yaml:"room"`
	Kind      string  `yaml:"kind"`
	Title     string  `yaml:"title"`
	Cancelled bool    `yaml:"cancelled"`
}

// changeDoc changes one lesson of the timetable: cancels it, moves it, or
// gives it another room or teacher.
type changeDoc struct {
	Group     string   `yaml:"group"`
	Date      string   `yaml:"date"`
	Hour      int      `yaml:"hour"`
	Cancelled bool     `yaml:"cancelled"`
	Room      string   `yaml:"room"`
	Teacher   strList  `yaml:"teacher"`
	Title     string   `yaml:"title"`
	MoveTo    *whenDoc `yaml:"moveTo"`
}

// whenDoc is where a moved lesson goes.
type whenDoc struct {
	Date    string `yaml:"date"`
	Hour    int    `yaml:"hour"`
	EndHour int    `yaml:"endHour"`
	Time    string `yaml:"time"`
}

// testDoc is a grade column of a group with the grades in it.
type testDoc struct {
	Group      string   `yaml:"group"`
	Name       string   `yaml:"name"`
	Date       string   `yaml:"date"`
	Kind       string   `yaml:"kind"`
	Type       string   `yaml:"type"`
	Weight     *int     `yaml:"weight"`
	ExamWeight int      `yaml:"examWeight"`
	Period     int      `yaml:"period"`
	Level      int      `yaml:"level"`
	Resit      string   `yaml:"resit"`
	ResitDate  string   `yaml:"resitDate"`
	InExam     bool     `yaml:"inExam"`
	InProgress *bool    `yaml:"inProgress"`
	Grades     gradeMap `yaml:"grades"`
}

type reasonDoc struct {
	Abbrev      string `yaml:"abbrev"`
	Description string `yaml:"description"`
	Kind        string `yaml:"kind"`
	Authorised  bool   `yaml:"authorised"`
	ID          int64  `yaml:"id"`
}

type absenceDoc struct {
	Pupil     string `yaml:"pupil"`
	Reason    string `yaml:"reason"`
	From      string `yaml:"from"`
	To        string `yaml:"to"`
	BeginHour int    `yaml:"beginHour"`
	EndHour   int    `yaml:"endHour"`
	By        string `yaml:"by"`
	Entered   string `yaml:"entered"`
	Handled   bool   `yaml:"handled"`
	Remarks   string `yaml:"remarks"`
}

type observeDoc struct {
	Pupil        string `yaml:"pupil"`
	Group        string `yaml:"group"`
	Date         string `yaml:"date"`
	Hour         int    `yaml:"hour"`
	Registration string `yaml:"registration"`
	Reason       string `yaml:"reason"`
	Handled      bool   `yaml:"handled"`
}

type measureDoc struct {
	Pupil     string `yaml:"pupil"`
	Name      string `yaml:"name"`
	Date      string `yaml:"date"`
	Done      bool   `yaml:"done"`
	Remarks   string `yaml:"remarks"`
	Automatic bool   `yaml:"automatic"`
	Cause     string `yaml:"cause"`
}

type homeworkDoc struct {
	Group       string `yaml:"group"`
	Kind        string `yaml:"kind"`
	Date        string `yaml:"date"`
	Hour        int    `yaml:"hour"`
	Weeks       int    `yaml:"weeks"`
	Topic       string `yaml:"topic"`
	Type        string `yaml:"type"`
	Description string `yaml:"description"`
}

type messageDoc struct {
	From    string  `yaml:"from"`
	To      strList `yaml:"to"`
	Subject string  `yaml:"subject"`
	Body    string  `yaml:"body"`
	Sent    string  `yaml:"sent"`
}
