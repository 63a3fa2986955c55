package storetest

import (
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Ids of the fixture world. Large like the real service's; every name in it
// is invented.
const (
	schoolA school.ID = 1100000001
	schoolB school.ID = 1100000002

	branchA school.ID = 1200000001
	branchB school.ID = 1200000002

	yearA1 school.ID = 1300000001 // 2023/2024
	yearA0 school.ID = 1300000002 // 2022/2023, imported after yearA1
	yearB1 school.ID = 1300000003

	subjMath  school.ID = 1400000001 // "wisB"
	subjDutch school.ID = 1400000002 // "ne"
	subjArt   school.ID = 1400000003 // "ckv"
	subjB     school.ID = 1400000004

	teacherA1 school.ID = 1500000001
	teacherA2 school.ID = 1500000002
	teacherB  school.ID = 1500000003

	pupilA1 school.ID = 1600000001
	pupilA2 school.ID = 1600000002
	pupilA3 school.ID = 1600000003 // in no lesson group
	pupilB1 school.ID = 1600000004

	classA    school.ID = 1700000001 // stamgroep of A1 and A2
	mathA     school.ID = 1700000002 // lesgroep of A1
	emptyA    school.ID = 1700000003 // no pupils
	classB    school.ID = 1700000004
	accPupil  school.ID = 1800000001
	accParent school.ID = 1800000002
	accStaff  school.ID = 1800000003
	accPupilB school.ID = 1800000004

	lessonBase school.ID = 1900000000
	gradeBase  school.ID = 2000000000
)

// amsterdam builds a local time to the millisecond.
func amsterdam(y int, m time.Month, d, hh, mm, ss, ms int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, ms*int(time.Millisecond), school.Amsterdam)
}

// world is a small world of two schools. Slices a store need not fill are
// nil, so that a read compares equal.
func world() *school.World {
	w := &school.World{
		Schools: []school.School{
			{
				ID: schoolA, UUID: "0b6f7e2a-0000-4000-8000-00000000000a",
				Name: "Lyceum De Proefkolk", City: "ZANDHOVEN", Tenant: "proefkolk",
				Abbrev: "LDP",
				OIDCURLs: []school.OIDCURL{
					{Description: "Tweede leverancier", URL: "https://idp.invalid/b",
						DomainHint: "b.invalid"},
					{Description: "Eerste leverancier", URL: "https://idp.invalid/a"},
				},
			},
			{
				ID: schoolB, UUID: "0b6f7e2a-0000-4000-8000-00000000000b",
				Name: "College Het Oefenveld", City: "MOLENDAM", Tenant: "oefenveld",
				Abbrev: "CHO", PasswordGrantOff: true,
			},
		},
		Branches: []school.Branch{
			{ID: branchA, SchoolID: schoolA, UUID: "br-a", Name: "Hoofdlocatie"},
			{ID: branchB, SchoolID: schoolB, UUID: "br-b", Name: "Dependance"},
		},
		Years: []school.SchoolYear{
			{ID: yearA1, SchoolID: schoolA, Name: "2023/2024",
				From: school.Date(2023, 8, 1), To: school.Date(2024, 7, 31)},
			{ID: yearA0, SchoolID: schoolA, Name: "2022/2023",
				From: school.Date(2022, 8, 1), To: school.Date(2023, 7, 31)},
			{ID: yearB1, SchoolID: schoolB, Name: "2023/2024",
				From: school.Date(2023, 8, 1), To: school.Date(2024, 7, 31)},
		},
		Subjects: []school.Subject{
			{ID: subjMath, SchoolID: schoolA, UUID: "vak-1", Abbrev: "wisB", Name: "wiskunde B"},
			{ID: subjDutch, SchoolID: schoolA, UUID: "vak-2", Abbrev: "ne", Name: "Nederlands"},
			{ID: subjArt, SchoolID: schoolA, UUID: "vak-3", Abbrev: "ckv", Name: "kunst"},
			{ID: subjB, SchoolID: schoolB, UUID: "vak-4", Abbrev: "ak", Name: "aardrijkskunde"},
		},
		Staff: []school.Staff{
			{ID: teacherA1, SchoolID: schoolA, UUID: "st-1", Number: 501, Abbrev: "kvr",
				Name:     school.Name{First: "Karel", Prefix: "van de", Last: "Rivier"},
				Initials: "K.", Gender: "MAN"},
			{ID: teacherA2, SchoolID: schoolA, UUID: "st-2", Number: 502, Abbrev: "mbe",
				Name:     school.Name{First: "Mirte", Last: "Beekhof"},
				Initials: "M.E.", Gender: "VROUW"},
			{ID: teacherB, SchoolID: schoolB, UUID: "st-3", Number: 503, Abbrev: "tdu",
				Name:     school.Name{First: "Teun", Last: "Duinkerk"},
				Initials: "T.", Gender: "MAN"},
		},
		Pupils: []school.Pupil{
			pupil(pupilA1, schoolA, branchA, 90001, "Fenna", "", "Zeegers",
				school.Date(2008, 3, 31)),
			pupil(pupilA2, schoolA, branchA, 90002, "Ravi", "de", "Wolk",
				school.Date(2009, 10, 27)),
			pupil(pupilA3, schoolA, branchA, 90003, "Ilse", "", "Ploeg",
				school.Date(2008, 1, 1)),
			pupil(pupilB1, schoolB, branchB, 90004, "Okke", "", "Stroom",
				school.Date(2007, 6, 15)),
		},
		Groups: []school.Group{
			{ID: classA, SchoolID: schoolA, YearID: yearA1, UUID: "gr-1", Name: "4V1",
				PupilIDs: []school.ID{pupilA2, pupilA1}},
			{ID: mathA, SchoolID: schoolA, YearID: yearA1, UUID: "gr-2", Name: "4V-wisB-1",
				SubjectID: subjMath, PupilIDs: []school.ID{pupilA1}},
			{ID: emptyA, SchoolID: schoolA, YearID: yearA1, UUID: "gr-3", Name: "leeg"},
			{ID: classB, SchoolID: schoolB, YearID: yearB1, UUID: "gr-4", Name: "5H2",
				PupilIDs: []school.ID{pupilB1}},
		},
		Accounts: []school.Account{
			{ID: accStaff, SchoolID: schoolA, UUID: "ac-3", Username: "kvr",
				PasswordHash: "hash-3", Role: school.RoleStaff, PersonID: teacherA1},
			{ID: accPupil, SchoolID: schoolA, UUID: "ac-1", Username: "90001",
				PasswordHash: "hash-1", Role: school.RolePupil, PersonID: pupilA1,
				DemoPassword: "oefen-1"},
			{ID: accParent, SchoolID: schoolA, UUID: "ac-2", Username: "ouder.zeegers",
				PasswordHash: "hash-2", Role: school.RoleParent,
				Name:     school.Name{First: "Joke", Last: "Zeegers"},
				PupilIDs: []school.ID{pupilA2, pupilA1}},
			// The same username in another school is another account.
			{ID: accPupilB, SchoolID: schoolB, UUID: "ac-4", Username: "90001",
				PasswordHash: "hash-4", Role: school.RolePupil, PersonID: pupilB1},
		},
	}
	w.Lessons = lessons()
	w.Grades = grades()
	return w
}

func pupil(id, schoolID, branchID school.ID, number int64, first, prefix, last string,
	birth time.Time) school.Pupil {
	return school.Pupil{
		ID: id, SchoolID: schoolID, BranchID: branchID, UUID: "pu-" + first,
		Number: number, Name: school.Name{First: first, Prefix: prefix, Last: last},
		Email: first + "@leerling.invalid", Gender: "Vrouw", BirthDate: birth,
		PhotoToken: "foto-" + first,
	}
}

// The lessons of the week of 2024-03-04, by id.
var (
	// The class group's lessons, Monday to Friday at 08:30.
	weekday = []school.ID{lessonBase + 1, lessonBase + 2, lessonBase + 3, lessonBase + 4,
		lessonBase + 5}
	// The math group's lesson on Monday at 08:30: the same start as the
	// class lesson, so the id breaks the tie.
	mathMonday = lessonBase + 6
	// An activity of the class on Saturday 2024-03-09 at 00:30, local.
	saturday = lessonBase + 7
	// A lesson of the previous Sunday at 23:59:59.999, local.
	sundayBefore = lessonBase + 8
	// A lesson after the switch to summer time.
	summer = lessonBase + 9
	// A lesson of school B in the same week.
	lessonOfB = lessonBase + 10
)

func lessons() []school.Lesson {
	lesson := func(id, group, subject school.ID, start time.Time,
		staff ...school.ID) school.Lesson {
		return school.Lesson{
			ID: id, SchoolID: schoolA, BranchID: branchA, GroupID: group,
			SubjectID: subject, StaffIDs: staff, Start: start,
			End: start.Add(50 * time.Minute), BeginHour: 1, EndHour: 1,
			Location: "lokaal 12", Kind: "Les", Title: "les", Status: school.StatusActive,
		}
	}
	var out []school.Lesson
	for i, id := range weekday {
		out = append(out, lesson(id, classA, subjDutch, amsterdam(2024, 3, 4+i, 8, 30, 0, 0),
			teacherA2))
	}
	out[2].Status = school.StatusCancelled
	m := lesson(mathMonday, mathA, subjMath, amsterdam(2024, 3, 4, 8, 30, 0, 0),
		teacherA2, teacherA1)
	m.EndHour, m.Location, m.Title = 2, "", "wiskunde"
	sat := lesson(saturday, classA, 0, amsterdam(2024, 3, 9, 0, 30, 0, 0))
	sat.Kind, sat.BeginHour, sat.EndHour = "Activiteit", 0, 0
	sun := lesson(sundayBefore, classA, subjDutch, amsterdam(2024, 3, 3, 23, 59, 59, 999),
		teacherA2)
	sum := lesson(summer, classA, subjDutch, amsterdam(2024, 4, 2, 9, 15, 0, 0), teacherA2)
	b := lesson(lessonOfB, classB, subjB, amsterdam(2024, 3, 5, 8, 30, 0, 0), teacherB)
	b.SchoolID, b.BranchID = schoolB, branchB
	// Out of id order on purpose: the store must sort.
	return append([]school.Lesson{b, sum, sun, sat, m}, out...)
}

// The grades of the fixture: three of A1, two of A2 (one at the same
// instant as one of A1), one of B1.
var (
	gradeA1Late   = gradeBase + 1
	gradeA1Early  = gradeBase + 2
	gradeA1Avg    = gradeBase + 3
	gradeA2       = gradeBase + 4
	gradeA2Twin   = gradeBase + 5
	gradeOfB      = gradeBase + 6
	gradeInstant1 = time.Date(2018, 10, 31, 16, 32, 15, 218e6, time.UTC)
	gradeInstant2 = time.Date(2019, 9, 10, 11, 41, 11, 805e6, time.UTC)
)

func grades() []school.Grade {
	g := func(id, pupil school.ID, entered time.Time, tenths int) school.Grade {
		return school.Grade{
			ID: id, SchoolID: schoolA, PupilID: pupil, SubjectID: subjMath,
			ColumnID: id + 500, Type: school.ColumnTest, Tenths: tenths, HasValue: true,
			Current: tenths, Entered: entered.In(school.Amsterdam), Weight: 2, Period: 1,
			StudyYear: 4, Description: "SO hoofdstuk 3", Seq: 1, TestKind: "SO",
			ResitType: "Geen",
		}
	}
	late := g(gradeA1Late, pupilA1, gradeInstant2, 79)
	late.ExamWeight, late.InExam, late.CijferColumnID, late.CompositeColumnID = 3, true, 77, 88
	late.ResitNumber, late.Current, late.ResitType = 1, 81, "Hoogste"
	early := g(gradeA1Early, pupilA1, gradeInstant1, 0)
	early.HasValue, early.Label, early.NotMade, early.NotCounting = false, "V", true, true
	early.Exempt, early.InProgress, early.TestKind = true, true, ""
	avg := g(gradeA1Avg, pupilA1, gradeInstant2.Add(time.Hour), 75)
	avg.Type, avg.Weight, avg.ReportTenths, avg.HasReportTenths =
		school.ColumnPeriodAverage, 0, 80, true
	a2 := g(gradeA2, pupilA2, gradeInstant2, 55)
	twin := g(gradeA2Twin, pupilA2, gradeInstant2, 61)
	b := g(gradeOfB, pupilB1, gradeInstant1, 90)
	b.SchoolID, b.SubjectID = schoolB, subjB
	return []school.Grade{b, twin, a2, avg, early, late}
}
