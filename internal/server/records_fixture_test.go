package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// The records fixture: the case fixture plus a pupil S4 in another class
// of school A that teacher T does not teach, T's and an administrator's
// accounts, lessons a week before and after the fixture week, and the
// records of issue 4 (absences, homework, messages, holidays). Names are
// invented.
const (
	s4                  school.ID = 1100001003
	classA2             school.ID = 1100000503
	groupNL             school.ID = 1100000504 // lesson group of S1 and S2
	adminStaff          school.ID = 1100000402
	accS4, accT, accAdm school.ID = 1100003005, 1100003006, 1100003007
	lessonBefore        school.ID = 1100300100 // 2024-02-26 08:30, class A
	lessonAfter         school.ID = 1100300101 // 2024-03-11 08:30, class A
	guideA              school.ID = 1100400001
	guideB              school.ID = 1100400002
	hwBefore, hwOn      school.ID = 1100500001, 1100500002
	hwAfter, hwDay      school.ID = 1100500003, 1100500004
	hwWeek, hwOfB       school.ID = 1100500005, 1100500006
	reasonSick, reasonB school.ID = 1100600001, 1100600002
	reportS1, reportS3  school.ID = 1100700001, 1100700002
	obsAbsent, obsLate  school.ID = 1100800001, 1100800002
	obsNoHomework       school.ID = 1100800003
	measureS1           school.ID = 1100900001
	convS1              school.ID = 1101000001
	holidaySpring       school.ID = 1101100001
	nonexistent         school.ID = 1199999999
)

func recordFixture(t testing.TB) *school.World {
	t.Helper()
	w := fixture(t)
	hash := w.Accounts[0].PasswordHash
	w.Staff = append(w.Staff, school.Staff{ID: adminStaff, SchoolID: schoolA,
		UUID: "00000000-0000-4000-8000-0000000004a2", Number: 502, Abbrev: "bhr",
		Name: school.Name{First: "Gerrit", Last: "Beheer"}, Initials: "G.", Gender: "MAN"})
	w.Pupils = append(w.Pupils, pupil(s4, schoolA, branchA, 40003, "Mees", "", "Kamp"))
	w.Groups = append(w.Groups,
		school.Group{ID: classA2, SchoolID: schoolA, YearID: yearA,
			UUID: "00000000-0000-4000-8000-0000000005a2", Name: "3vwo-b", PupilIDs: []school.ID{s4}},
		school.Group{ID: groupNL, SchoolID: schoolA, YearID: yearA, SubjectID: subjNL,
			UUID: "00000000-0000-4000-8000-0000000005a3", Name: "4h-netl1",
			PupilIDs: []school.ID{s1, s2}})
	w.Accounts = append(w.Accounts,
		school.Account{ID: accS4, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-000000006005",
			Username: "s4", PasswordHash: hash, Role: school.RolePupil, PersonID: s4},
		school.Account{ID: accT, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-000000006006",
			Username: "t1", PasswordHash: hash, Role: school.RoleStaff, PersonID: teacherA},
		school.Account{ID: accAdm, SchoolID: schoolA, UUID: "00000000-0000-4000-8000-000000006007",
			Username: "beheer", PasswordHash: hash, Role: school.RoleAdmin, PersonID: adminStaff})

	at := func(d, h, m int) time.Time { return time.Date(2024, 3, d, h, m, 0, 0, school.Amsterdam) }
	before := time.Date(2024, 2, 26, 8, 30, 0, 0, school.Amsterdam)
	for _, l := range []school.Lesson{
		{ID: lessonBefore, Start: before}, {ID: lessonAfter, Start: at(11, 8, 30)}} {
		l.SchoolID, l.BranchID, l.GroupID, l.SubjectID = schoolA, branchA, classA, subjNL
		l.StaffIDs, l.End, l.BeginHour, l.EndHour = []school.ID{teacherA}, l.Start.Add(50*time.Minute), 1, 1
		l.Location, l.Kind, l.Title, l.Status = "B12", "Les", "B12 - 4havo-a - tvm", school.StatusActive
		w.Lessons = append(w.Lessons, l)
	}

	w.Holidays = []school.Holiday{{ID: holidaySpring, SchoolID: schoolA, Name: "Voorjaarsvakantie",
		From: school.Date(2024, 2, 17), To: school.Date(2024, 2, 25)}}
	w.LessonHours = []school.LessonHour{{SchoolID: schoolA, Number: 1, Begin: "08:30", End: "09:20"},
		{SchoolID: schoolA, Number: 2, Begin: "09:20", End: "10:10"}}
	w.AbsenceReasons = []school.AbsenceReason{
		{ID: reasonSick, SchoolID: schoolA, Abbrev: "ZK", Description: "Ziek", Kind: "Absent",
			Authorised: true},
		{ID: reasonB, SchoolID: schoolB, Abbrev: "ON", Description: "Ongeoorloofd", Kind: "Absent"}}
	w.AbsenceReports = []school.AbsenceReport{
		{ID: reportS1, SchoolID: schoolA, PupilID: s1, ReasonID: reasonSick, Entered: at(4, 7, 45),
			Start: at(4, 8, 30), End: at(4, 15, 55), BeginHour: 1, EndHour: 8, Handled: true,
			Remarks: "Koorts"},
		{ID: reportS3, SchoolID: schoolB, PupilID: s3, ReasonID: reasonB, Entered: at(4, 7, 45),
			Start: at(4, 8, 30)}}
	obs := func(id, lesson school.ID, start time.Time, kind, reg string) school.Observation {
		return school.Observation{ID: id, SchoolID: schoolA, PupilID: s1, LessonID: lesson,
			StaffID: teacherA, Kind: kind, Registration: reg, Entered: start.Add(5 * time.Minute),
			Start: start, End: start.Add(50 * time.Minute), BeginHour: 1, EndHour: 1}
	}
	w.Observations = []school.Observation{
		obs(obsAbsent, firstLesson, at(4, 8, 30), "Afwezig", school.RegAbsent),
		obs(obsLate, firstLesson+3, at(5, 8, 30), "Aanwezig", school.RegLate),
		obs(obsNoHomework, firstLesson+6, at(6, 8, 30), "Aanwezig", school.RegNoHomework)}
	w.Observations[0].ReasonID, w.Observations[0].Authorised = reasonSick, true
	w.Measures = []school.Measure{{ID: measureS1, SchoolID: schoolA, PupilID: s1,
		Name: "Melden om 8 uur", Date: school.Date(2024, 3, 7), Automatic: true, Cause: "3x te laat"}}

	w.StudyGuides = []school.StudyGuide{
		{ID: guideA, SchoolID: schoolA, GroupID: classA, UUID: "00000000-0000-4000-8000-0000000007a1",
			Name: "Nederlands 4havo-a"},
		{ID: guideB, SchoolID: schoolB, GroupID: classB, UUID: "00000000-0000-4000-8000-0000000007b1",
			Name: "wiskunde 4havo-z"}}
	hw := func(id school.ID, kind school.HomeworkKind, lesson school.ID, due time.Time) school.Homework {
		y, wk := due.ISOWeek()
		return school.Homework{ID: id, SchoolID: schoolA, GuideID: guideA, GroupID: classA,
			ItemID: id + 1000, YearID: yearA, Kind: kind, LessonID: lesson, Due: due, ISOYear: y,
			WeekFrom: wk, WeekTo: wk, Topic: "Lezen hoofdstuk 3", Type: "HUISWERK",
			Description: "<p>Lees hoofdstuk 3.</p>", Created: due.AddDate(0, 0, -7), Order: int(id % 10)}
	}
	w.Homework = []school.Homework{
		hw(hwBefore, school.HomeworkLesson, lessonBefore, before),
		hw(hwOn, school.HomeworkLesson, firstLesson, at(4, 8, 30)),
		hw(hwAfter, school.HomeworkLesson, lessonAfter, at(11, 8, 30)),
		hw(hwDay, school.HomeworkDay, 0, school.Date(2024, 3, 8)),
		hw(hwWeek, school.HomeworkWeek, 0, school.Date(2024, 3, 4)),
		hw(hwOfB, school.HomeworkLesson, firstLesson+16, at(4, 8, 30)),
	}
	w.Homework[4].WeekTo = 11
	w.Homework[5].SchoolID, w.Homework[5].GuideID, w.Homework[5].GroupID = schoolB, guideB, classB
	w.Homework[5].YearID = yearB
	w.Conversations = []school.Conversation{{ID: convS1, SchoolID: schoolA, SenderID: teacherA,
		Subject: "Excursie", Body: "<p>Vrijdag gaan we naar het museum.</p>", Sent: at(1, 10, 0),
		Recipients: []school.ID{accS1, accP1}}}
	return w
}

// loginToken logs in without the openid scope, so that no id token is
// made: enough for REST calls, for every role. (The id token of a school
// administrator needs auth to know the role; see the README.)
func (e *env) loginToken(t testing.TB, tenant, user string) string {
	t.Helper()
	code, body := e.post(t, url.Values{"grant_type": {"password"}, "scope": {"offline_access"},
		"username": {tenant + `\` + user}, "password": {password}, "client_id": {legacyClient}})
	if code != 200 {
		t.Fatalf("login %s: %d %s", user, code, body)
	}
	var ta tokenAnswer
	if err := json.Unmarshal(body, &ta); err != nil {
		t.Fatal(err)
	}
	return ta.AccessToken
}

// do sends any request with a bearer token (none when empty) and JSON
// Accept; headers are name, value pairs.
func (e *env) do(t testing.TB, method, path, token, body string,
	headers ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
