package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// The fixture world of the case tests: school A with pupils S1 and S2 and
// their parent P1, school B with pupil S3. All names are invented.
const (
	schoolA, schoolB  school.ID = 1100000001, 1100000002
	branchA, branchB  school.ID = 1100000101, 1100000102
	yearA, yearB      school.ID = 1100000201, 1100000202
	subjNL, subjEN    school.ID = 1100000301, 1100000302
	subjB             school.ID = 1100000303
	teacherA          school.ID = 1100000401
	classA, classB    school.ID = 1100000501, 1100000502
	s1, s2, s3        school.ID = 1100001001, 1100001002, 1100002001
	accS1, accS2      school.ID = 1100003001, 1100003002
	accP1, accS3      school.ID = 1100003003, 1100003004
	uuidA                       = "00000000-0000-4000-8000-0000000000a1"
	uuidB                       = "00000000-0000-4000-8000-0000000000b2"
	firstGrade                  = 1100100000
	s2Grade1                    = 1100200001
	s2Grade2                    = 1100200002
	firstLesson                 = 1100300000
	password                    = "test-wachtwoord-1"
	gradesOfS1                  = 245
	sameMillisecondS1           = 150
)

// fixtureNow is the clock of the case tests: a Wednesday in March 2024.
var fixtureNow = time.Date(2024, 3, 6, 12, 0, 0, 0, school.Amsterdam)

func fixture(t testing.TB) *school.World {
	t.Helper()
	hash, err := passwd.Hash(password, passwd.Demo)
	if err != nil {
		t.Fatal(err)
	}
	w := &school.World{
		Schools: []school.School{
			{ID: schoolA, UUID: uuidA, Name: "Testschool Noord", City: "ASSEN", Tenant: "noord", Abbrev: "TSN"},
			{ID: schoolB, UUID: uuidB, Name: "Testschool Zuid", City: "VENLO", Tenant: "zuid", Abbrev: "TSZ",
				OIDCURLs: []school.OIDCURL{{Description: "Zuid IdP", URL: "https://idp.zuid.example/v2.0"}}},
		},
		Branches: []school.Branch{
			{ID: branchA, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-0000000001a1", Name: "Noord Hoofdgebouw"},
			{ID: branchB, SchoolID: schoolB, UUID: "00000000-0000-4000-8000-0000000001b2", Name: "Zuid Centrum"},
		},
		Years: []school.SchoolYear{
			{ID: yearA, SchoolID: schoolA, Name: "2023/2024", From: school.Date(2023, 8, 1), To: school.Date(2024, 7, 31)},
			{ID: yearB, SchoolID: schoolB, Name: "2023/2024", From: school.Date(2023, 8, 1), To: school.Date(2024, 7, 31)},
		},
		Subjects: []school.Subject{
			{ID: subjNL, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-0000000003a1", Abbrev: "netl",
				Name: "Nederlandse taal en literatuur"},
			{ID: subjEN, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-0000000003a2", Abbrev: "entl",
				Name: "Engelse taal en literatuur"},
			{ID: subjB, SchoolID: schoolB, UUID: "00000000-0000-4000-8000-0000000003b1", Abbrev: "wisA",
				Name: "wiskunde A"},
		},
		Staff: []school.Staff{{ID: teacherA, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-0000000004a1",
			Number: 501, Abbrev: "tvm", Name: school.Name{First: "Tineke", Last: "Mulder"}, Initials: "T.",
			Gender: "VROUW"}},
		Groups: []school.Group{
			{ID: classA, SchoolID: schoolA, YearID: yearA, UUID: "00000000-0000-4000-8000-0000000005a1",
				Name: "4havo-a", PupilIDs: []school.ID{s1, s2}},
			{ID: classB, SchoolID: schoolB, YearID: yearB, UUID: "00000000-0000-4000-8000-0000000005b1",
				Name: "4havo-z", PupilIDs: []school.ID{s3}},
		},
		Pupils: []school.Pupil{
			pupil(s1, schoolA, branchA, 40001, "Noor", "", "Bakker"),
			pupil(s2, schoolA, branchA, 40002, "Daan", "", "Bakker"),
			pupil(s3, schoolB, branchB, 50001, "Fenna", "van", "Dijk"),
		},
		Accounts: []school.Account{
			{ID: accS1, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-000000006001", Username: "s1",
				PasswordHash: hash, Role: school.RolePupil, PersonID: s1},
			{ID: accS2, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-000000006002", Username: "s2",
				PasswordHash: hash, Role: school.RolePupil, PersonID: s2},
			{ID: accP1, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-000000006003", Username: "p1",
				PasswordHash: hash, Role: school.RoleParent, Name: school.Name{First: "Ilse", Last: "Bakker"},
				PupilIDs: []school.ID{s2, s1}},
			{ID: accS3, SchoolID: schoolB, UUID: "00000000-0000-4000-8000-000000006004", Username: "s3",
				PasswordHash: hash, Role: school.RolePupil, PersonID: s3},
		},
	}
	w.Grades = fixtureGrades()
	w.Lessons = fixtureLessons()
	return w
}

func pupil(id, schoolID, branchID school.ID, nr int64, first, prefix, last string) school.Pupil {
	return school.Pupil{ID: id, SchoolID: schoolID, BranchID: branchID,
		UUID:   fmt.Sprintf("00000000-0000-4000-8000-%012d", id),
		Number: nr, Name: school.Name{First: first, Prefix: prefix, Last: last},
		Email: fmt.Sprintf("%d@leerling.test.example", nr), BirthDate: school.Date(2008, 5, 17),
		Gender: "Vrouw"}
}

// fixtureGrades gives S1 245 grades, the first 150 entered in the same
// millisecond, and S2 the two grades of case C13.
func fixtureGrades() []school.Grade {
	same := time.Date(2023, 10, 2, 9, 15, 0, 123e6, time.UTC)
	var out []school.Grade
	for i := range gradesOfS1 {
		entered := same
		if i >= sameMillisecondS1 {
			entered = same.Add(time.Duration(i) * time.Hour)
		}
		// Ids are not in entry order, so that sorting by id and by time differ.
		id := school.ID(firstGrade + (i*7919)%gradesOfS1)
		out = append(out, grade(id, s1, subjNL, 50+i%50, entered))
	}
	out = append(out,
		grade(s2Grade1, s2, subjEN, 68, mustUTC("2018-10-31T16:32:15.218Z")),
		grade(s2Grade2, s2, subjEN, 79, mustUTC("2019-09-10T11:41:11.805Z")))
	return out
}

func grade(id, pupilID, subjectID school.ID, tenths int, entered time.Time) school.Grade {
	return school.Grade{ID: id, SchoolID: schoolA, PupilID: pupilID, SubjectID: subjectID,
		ColumnID: id + 5000000, Type: school.ColumnTest, Tenths: tenths, Current: tenths,
		HasValue: true, Entered: entered, Weight: 2, Period: 1, StudyYear: 4,
		Description: "SO hoofdstuk 2", Seq: 1, TestKind: "SO", ResitType: "Geen", InProgress: true}
}

func mustUTC(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixtureLessons: hours 1 to 3 on Monday to Friday 2024-03-04..08 for
// class A, an activity on Saturday 2024-03-09 at 00:30, and one lesson of
// the other school on the same Monday.
func fixtureLessons() []school.Lesson {
	var out []school.Lesson
	id := school.ID(firstLesson)
	for day := 4; day <= 8; day++ {
		for hour := 1; hour <= 3; hour++ {
			start := time.Date(2024, 3, day, 8, 30+(hour-1)*50, 0, 0, school.Amsterdam)
			out = append(out, school.Lesson{ID: id, SchoolID: schoolA, BranchID: branchA,
				GroupID: classA, SubjectID: subjNL, StaffIDs: []school.ID{teacherA}, Start: start,
				End: start.Add(50 * time.Minute), BeginHour: hour, EndHour: hour, Location: "B12",
				Kind: "Les", Title: "B12 - 4havo-a - tvm", Status: school.StatusActive})
			id++
		}
	}
	sat := time.Date(2024, 3, 9, 0, 30, 0, 0, school.Amsterdam)
	out = append(out, school.Lesson{ID: id, SchoolID: schoolA, BranchID: branchA, GroupID: classA,
		Start: sat, End: sat.Add(2 * time.Hour), Kind: "Activiteit", Title: "Nachtexcursie",
		Status: school.StatusActive})
	mon := time.Date(2024, 3, 4, 8, 30, 0, 0, school.Amsterdam)
	out = append(out, school.Lesson{ID: id + 1, SchoolID: schoolB, BranchID: branchB, GroupID: classB,
		SubjectID: subjB, Start: mon, End: mon.Add(50 * time.Minute), BeginHour: 1, EndHour: 1,
		Kind: "Les", Title: "Z1 - 4havo-z", Status: school.StatusActive})
	return out
}
