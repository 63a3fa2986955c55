package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// Ids of the records fixture.
const (
	reasonA   school.ID = 2100000001
	reasonB   school.ID = 2100000002
	reportA1  school.ID = 2200000001
	reportB1  school.ID = 2200000002
	obsA1     school.ID = 2300000001
	obsA1Late school.ID = 2300000002
	guideMath school.ID = 2400000001
	guideB    school.ID = 2400000002
	hwMath    school.ID = 2500000001
	hwMathDay school.ID = 2500000002
	hwB       school.ID = 2500000003
	convA     school.ID = 2600000001
	holidayA  school.ID = 2700000001
	measureA1 school.ID = 2800000001
)

// recordsWorld is the fixture world with the records of migration 0004.
func recordsWorld() *school.World {
	w := world()
	w.Switches = []school.Switch{{SchoolID: schoolB, Name: school.SwitchGrades, On: false}}
	w.Holidays = []school.Holiday{{ID: holidayA, SchoolID: schoolA, Name: "Voorjaarsvakantie",
		From: school.Date(2024, 2, 17), To: school.Date(2024, 2, 25)}}
	w.LessonHours = []school.LessonHour{
		{SchoolID: schoolA, Number: 2, Begin: "09:20", End: "10:10"},
		{SchoolID: schoolA, Number: 1, Begin: "08:30", End: "09:20"},
	}
	w.AbsenceReasons = []school.AbsenceReason{
		{ID: reasonA, SchoolID: schoolA, Abbrev: "ZK", Description: "Ziek", Kind: "Absent",
			Authorised: true},
		{ID: reasonB, SchoolID: schoolB, Abbrev: "ON", Description: "Ongeoorloofd", Kind: "Absent"},
	}
	w.AbsenceReports = []school.AbsenceReport{
		{ID: reportA1, SchoolID: schoolA, PupilID: pupilA1, ReasonID: reasonA,
			Entered: amsterdam(2024, 3, 4, 7, 0, 0, 0), Start: amsterdam(2024, 3, 4, 8, 30, 0, 0),
			BeginHour: 1, EndHour: 8, Handled: true, Remarks: "griep"},
		{ID: reportB1, SchoolID: schoolB, PupilID: pupilB1, ReasonID: reasonB,
			Entered: amsterdam(2024, 3, 4, 7, 0, 0, 0), Start: amsterdam(2024, 3, 4, 8, 30, 0, 0),
			End: amsterdam(2024, 3, 4, 12, 0, 0, 0)},
	}
	w.Observations = []school.Observation{
		{ID: obsA1Late, SchoolID: schoolA, PupilID: pupilA1, LessonID: weekday[1],
			StaffID: teacherA2, Kind: "Aanwezig", Registration: school.RegLate,
			Entered: amsterdam(2024, 3, 5, 8, 40, 0, 0), Start: amsterdam(2024, 3, 5, 8, 30, 0, 0),
			End: amsterdam(2024, 3, 5, 9, 20, 0, 0), BeginHour: 1, EndHour: 1},
		{ID: obsA1, SchoolID: schoolA, PupilID: pupilA1, LessonID: weekday[0], ReasonID: reasonA,
			StaffID: teacherA2, Kind: "Afwezig", Registration: school.RegAbsent, Authorised: true,
			Entered: amsterdam(2024, 3, 4, 8, 40, 0, 0), Start: amsterdam(2024, 3, 4, 8, 30, 0, 0),
			End: amsterdam(2024, 3, 4, 9, 20, 0, 0), BeginHour: 1, EndHour: 1},
	}
	w.Measures = []school.Measure{{ID: measureA1, SchoolID: schoolA, PupilID: pupilA1,
		Name: "Melden", Date: school.Date(2024, 3, 6), Automatic: true, Cause: "te laat"}}
	w.StudyGuides = []school.StudyGuide{
		{ID: guideMath, SchoolID: schoolA, GroupID: mathA, UUID: "sw-1", Name: "wiskunde"},
		{ID: guideB, SchoolID: schoolB, GroupID: classB, UUID: "sw-2", Name: "ak"},
	}
	hw := func(id, guide, group school.ID, kind school.HomeworkKind, due time.Time) school.Homework {
		y, wk := due.ISOWeek()
		return school.Homework{ID: id, SchoolID: schoolA, GuideID: guide, GroupID: group,
			ItemID: id + 50, YearID: yearA1, Kind: kind, Due: due, ISOYear: y, WeekFrom: wk,
			WeekTo: wk, Topic: "opgaven", Type: "HUISWERK", Description: "<p>maken</p>",
			Created: due.AddDate(0, 0, -7), Order: 1}
	}
	w.Homework = []school.Homework{
		hw(hwMathDay, guideMath, mathA, school.HomeworkDay, school.Date(2024, 3, 8)),
		hw(hwMath, guideMath, mathA, school.HomeworkLesson, amsterdam(2024, 3, 4, 8, 30, 0, 0)),
		hw(hwB, guideB, classB, school.HomeworkLesson, amsterdam(2024, 3, 5, 8, 30, 0, 0)),
	}
	w.Homework[1].LessonID = mathMonday
	w.Homework[2].SchoolID, w.Homework[2].YearID = schoolB, yearB1
	w.Conversations = []school.Conversation{{ID: convA, SchoolID: schoolA, SenderID: teacherA1,
		Subject: "Ouderavond", Body: "<p>Welkom</p>", Sent: amsterdam(2024, 3, 1, 10, 0, 0, 0),
		Recipients: []school.ID{accPupil, accParent}}}
	return w
}

// RunRecords runs the suite of school.Records; open must return a new,
// empty, migrated store and close it when t ends.
func RunRecords(t *testing.T, open func(t *testing.T) school.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s school.Store)
	}{
		{"ReadsStayInTheirSchool", testRecordReads},
		{"HomeworkFilters", testHomeworkFilters},
		{"HomeworkTicks", testHomeworkTicks},
		{"ConversationsRead", testConversationsRead},
		{"CalendarLinks", testCalendarLinks},
		{"LessonStatus", testLessonStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			if err := s.Import(context.Background(), recordsWorld()); err != nil {
				t.Fatalf("import: %v", err)
			}
			tt.fn(t, s)
		})
	}
}

func testRecordReads(t *testing.T, s school.Store) {
	ctx := context.Background()
	ids, err := s.SchoolPupilIDs(ctx, schoolA)
	if err != nil || len(ids) != 3 || ids[0] != pupilA1 || ids[2] != pupilA3 {
		t.Fatalf("SchoolPupilIDs = %v, %v", ids, err)
	}
	sw, err := s.Switches(ctx, schoolB)
	if err != nil || sw.On(school.SwitchGrades) || !sw.On(school.SwitchHomework) {
		t.Fatalf("switches of B: %v, %v", sw, err)
	}
	if sw, _ := s.Switches(ctx, schoolA); !sw.On(school.SwitchGrades) {
		t.Fatal("school A's grades are off without a stored switch")
	}
	hours, err := s.LessonHours(ctx, schoolA)
	if err != nil || len(hours) != 2 || hours[0].Number != 1 || hours[0].Begin != "08:30" {
		t.Fatalf("lesson hours %+v, %v", hours, err)
	}
	if hs, err := s.Holidays(ctx, schoolB); err != nil || len(hs) != 0 {
		t.Fatalf("holidays of B: %+v, %v", hs, err)
	}
	reports, total, err := s.AbsenceReports(ctx, schoolA, []school.ID{pupilA1, pupilB1},
		time.Time{}, time.Time{}, school.Page{})
	if err != nil || total != 1 || len(reports) != 1 || reports[0].ID != reportA1 ||
		!reports[0].End.IsZero() || !reports[0].Handled {
		t.Fatalf("reports of A: %+v, %d, %v", reports, total, err)
	}
	obs, total, err := s.Observations(ctx, schoolA, []school.ID{pupilA1},
		school.Date(2024, 3, 4), school.Date(2024, 3, 5), school.Page{})
	if err != nil || total != 1 || obs[0].ID != obsA1 || !obs[0].Authorised {
		t.Fatalf("observations of 4 March: %+v, %d, %v", obs, total, err)
	}
	obs, total, _ = s.Observations(ctx, schoolA, []school.ID{pupilA1}, time.Time{}, time.Time{},
		school.Page{Offset: 1, Limit: 1})
	if total != 2 || len(obs) != 1 || obs[0].ID != obsA1Late {
		t.Fatalf("second page of observations: %+v, %d", obs, total)
	}
	ms, err := s.Measures(ctx, schoolA, []school.ID{pupilA1})
	if err != nil || len(ms) != 1 || !ms[0].Automatic || !ms[0].Date.Equal(school.Date(2024, 3, 6)) {
		t.Fatalf("measures %+v, %v", ms, err)
	}
	if _, err := s.StudyGuide(ctx, schoolA, guideB); !errors.Is(err, school.ErrNotFound) {
		t.Fatalf("another school's guide: %v, want ErrNotFound", err)
	}
	groups, err := s.PupilGroups(ctx, schoolA, []school.ID{pupilA1})
	if err != nil || len(groups) != 2 || groups[0].ID != classA || len(groups[0].PupilIDs) != 2 {
		t.Fatalf("groups of A1: %+v, %v", groups, err)
	}
	p, err := s.PupilByUUID(ctx, "pu-Okke")
	if err != nil || p.ID != pupilB1 || p.PhotoToken != "foto-Okke" {
		t.Fatalf("pupil by uuid: %+v, %v", p, err)
	}
	if _, err := s.PupilByUUID(ctx, "no-such-uuid"); !errors.Is(err, school.ErrNotFound) {
		t.Fatalf("unknown uuid: %v, want ErrNotFound", err)
	}
}

func testHomeworkFilters(t *testing.T, s school.Store) {
	ctx := context.Background()
	tests := []struct {
		name string
		q    school.HomeworkQuery
		want []school.ID
	}{
		{"lesson kind", school.HomeworkQuery{Kind: school.HomeworkLesson}, []school.ID{hwMath}},
		{"day kind", school.HomeworkQuery{Kind: school.HomeworkDay}, []school.ID{hwMathDay}},
		{"from after", school.HomeworkQuery{Kind: school.HomeworkLesson,
			From: school.Date(2024, 3, 5)}, nil},
		{"week", school.HomeworkQuery{Kind: school.HomeworkDay, ISOYear: 2024, Week: 10},
			[]school.ID{hwMathDay}},
		{"other week", school.HomeworkQuery{Kind: school.HomeworkDay, Week: 11}, nil},
		{"other year", school.HomeworkQuery{Kind: school.HomeworkDay, YearID: yearA0}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.SchoolID = schoolA
			tc.q.PupilIDs = []school.ID{pupilA1, pupilB1}
			got, total, err := s.Homework(ctx, tc.q)
			if err != nil || total != len(tc.want) || len(got) != len(tc.want) {
				t.Fatalf("got %+v, %d, %v; want %v", got, total, err, tc.want)
			}
			for i := range got {
				if got[i].ID != tc.want[i] {
					t.Fatalf("got %d, want %d", got[i].ID, tc.want[i])
				}
			}
		})
	}
	if got, _, _ := s.Homework(ctx, school.HomeworkQuery{SchoolID: schoolA,
		PupilIDs: []school.ID{pupilA2}, Kind: school.HomeworkLesson}); len(got) != 0 {
		t.Fatalf("A2 is in no maths group, got %+v", got)
	}
}

func testHomeworkTicks(t *testing.T, s school.Store) {
	ctx := context.Background()
	v0, _ := s.DataVersion(ctx)
	d, err := s.SetHomeworkDone(ctx, school.HomeworkDone{SchoolID: schoolA, HomeworkID: hwMath,
		PupilID: pupilA1, Done: true})
	if err != nil || d.ID == 0 || !d.Done {
		t.Fatalf("first tick: %+v, %v", d, err)
	}
	again, err := s.SetHomeworkDone(ctx, school.HomeworkDone{SchoolID: schoolA,
		HomeworkID: hwMath, PupilID: pupilA1, Done: false})
	if err != nil || again.ID != d.ID || again.Done {
		t.Fatalf("second tick: %+v, %v; want the same id, undone", again, err)
	}
	if v1, _ := s.DataVersion(ctx); v1 != v0+2 {
		t.Fatalf("data version %d -> %d, want two bumps", v0, v1)
	}
	got, err := s.HomeworkDoneByID(ctx, schoolA, d.ID)
	if err != nil || got.Done || got.PupilID != pupilA1 {
		t.Fatalf("tick by id: %+v, %v", got, err)
	}
	list, err := s.HomeworkDone(ctx, schoolA, []school.ID{hwMath, hwMathDay}, []school.ID{pupilA1})
	if err != nil || len(list) != 1 {
		t.Fatalf("ticks: %+v, %v", list, err)
	}
	for name, bad := range map[string]school.HomeworkDone{
		"pupil not in the group": {SchoolID: schoolA, HomeworkID: hwMath, PupilID: pupilA2},
		"other school":           {SchoolID: schoolA, HomeworkID: hwB, PupilID: pupilB1},
	} {
		if _, err := s.SetHomeworkDone(ctx, bad); !errors.Is(err, school.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
}

func testConversationsRead(t *testing.T, s school.Store) {
	ctx := context.Background()
	cs, total, err := s.Conversations(ctx, schoolA, accParent, school.Page{})
	if err != nil || total != 1 || cs[0].Read || len(cs[0].Recipients) != 2 {
		t.Fatalf("conversations: %+v, %d, %v", cs, total, err)
	}
	if err := s.MarkConversationRead(ctx, schoolA, accParent, convA, true); err != nil {
		t.Fatal(err)
	}
	cs, _, _ = s.Conversations(ctx, schoolA, accParent, school.Page{})
	other, _, _ := s.Conversations(ctx, schoolA, accPupil, school.Page{})
	if !cs[0].Read || other[0].Read {
		t.Fatalf("read state: parent %v, pupil %v; want true, false", cs[0].Read, other[0].Read)
	}
	if err := s.MarkConversationRead(ctx, schoolA, accStaff, convA, true); !errors.Is(err,
		school.ErrNotFound) {
		t.Fatalf("marking another's conversation: %v, want ErrNotFound", err)
	}
}

func testCalendarLinks(t *testing.T, s school.Store) {
	ctx := context.Background()
	if _, err := s.ICalLink(ctx, accPupil); !errors.Is(err, school.ErrNotFound) {
		t.Fatalf("no link yet: %v", err)
	}
	l := school.ICalLink{AccountID: accPupil, SchoolID: schoolA, Secret: "s1",
		Created: amsterdam(2024, 3, 1, 9, 0, 0, 0)}
	if err := s.SetICalLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	l.Secret = "s2"
	if err := s.SetICalLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	got, err := s.ICalLink(ctx, accPupil)
	if err != nil || got.Secret != "s2" || got.SchoolID != schoolA || !got.Created.Equal(l.Created) {
		t.Fatalf("link %+v, %v", got, err)
	}
	if err := s.DeleteICalLink(ctx, schoolB, accPupil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ICalLink(ctx, accPupil); err != nil {
		t.Fatal("another school's revoke removed the link")
	}
	if err := s.DeleteICalLink(ctx, schoolA, accPupil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ICalLink(ctx, accPupil); !errors.Is(err, school.ErrNotFound) {
		t.Fatalf("revoked link: %v", err)
	}
}

func testLessonStatus(t *testing.T, s school.Store) {
	ctx := context.Background()
	before, _ := s.Lesson(ctx, schoolA, weekday[0])
	if err := s.SetLessonStatus(ctx, schoolA, weekday[0], school.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Lesson(ctx, schoolA, weekday[0])
	if after.Status != school.StatusCancelled || !after.Start.Equal(before.Start) {
		t.Fatalf("after cancelling: %+v", after)
	}
	if err := s.SetLessonStatus(ctx, schoolB, weekday[0], school.StatusCancelled); !errors.Is(err,
		school.ErrNotFound) {
		t.Fatalf("another school's lesson: %v, want ErrNotFound", err)
	}
}
