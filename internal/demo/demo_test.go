package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

const testSeed = 20240801

// testNow lies in the 2026/2027 school year, after the spring holiday.
var testNow = time.Date(2027, time.March, 15, 10, 0, 0, 0, school.Amsterdam)

func generate(t testing.TB, seed int64, now time.Time) *school.World {
	t.Helper()
	w, err := Generate(Options{Seed: seed, Now: now})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return w
}

func worldHash(t *testing.T, w *school.World) string {
	t.Helper()
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatalf("marshal world: %v", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// star is the star pupil: the person of the first account.
func star(t *testing.T, w *school.World) school.Pupil {
	t.Helper()
	a := w.Accounts[0]
	if a.Role != school.RolePupil {
		t.Fatalf("first account has role %q, want the star pupil's", a.Role)
	}
	for _, p := range w.Pupils {
		if p.ID == a.PersonID {
			return p
		}
	}
	t.Fatalf("first account's pupil %d not found", a.PersonID)
	return school.Pupil{}
}

func isAverage(g school.Grade) bool {
	return g.Type == school.ColumnPeriodAverage || g.Type == school.ColumnReportAverage
}

func TestGenerateNeedsNow(t *testing.T) {
	if _, err := Generate(Options{Seed: 1}); err == nil {
		t.Fatal("Generate without Now: no error")
	}
}

func TestDeterministic(t *testing.T) {
	a := generate(t, testSeed, testNow)
	b := generate(t, testSeed, testNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two worlds from the same options differ")
	}
	if ha, hb := worldHash(t, a), worldHash(t, b); ha != hb {
		t.Fatalf("serialised worlds differ: %s vs %s", ha, hb)
	}
	// The time of day does not matter, only the date.
	for _, now := range []time.Time{school.DateOf(testNow), testNow.Add(13 * time.Hour)} {
		if !reflect.DeepEqual(a, generate(t, testSeed, now)) {
			t.Errorf("the world at %v differs from the one at %v", now, testNow)
		}
	}
	c := generate(t, testSeed+1, testNow)
	if worldHash(t, a) == worldHash(t, c) {
		t.Fatal("another seed gives the same world")
	}
	if reflect.DeepEqual(pupilNames(a), pupilNames(c)) {
		t.Error("another seed gives the same pupil names")
	}
	if reflect.DeepEqual(gradeValues(a), gradeValues(c)) {
		t.Error("another seed gives the same grades")
	}
}

func pupilNames(w *school.World) []school.Name {
	var ns []school.Name
	for _, p := range w.Pupils {
		ns = append(ns, p.Name)
	}
	return ns
}

func gradeValues(w *school.World) []int {
	var vs []int
	for _, g := range w.Grades {
		vs = append(vs, g.Tenths)
	}
	return vs
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name     string
		now      time.Time
		yearName string
	}{
		{"summer before the first lesson", school.Date(2026, time.August, 10), "2026/2027"},
		{"first school week", time.Date(2026, 8, 26, 9, 0, 0, 0, school.Amsterdam), "2026/2027"},
		{"mid year", testNow, "2026/2027"},
		{"end of year", time.Date(2027, 7, 31, 23, 0, 0, 0, school.Amsterdam), "2026/2027"},
		{"another year", time.Date(2031, 1, 12, 12, 0, 0, 0, school.Amsterdam), "2030/2031"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := generate(t, testSeed, tc.now)
			if len(w.Schools) != 2 {
				t.Fatalf("%d schools, want 2", len(w.Schools))
			}
			for _, s := range w.Schools {
				if n := countWhere(w.Subjects, func(x school.Subject) bool {
					return x.SchoolID == s.ID
				}); n < 12 {
					t.Errorf("%s: %d subjects, want >= 12", s.Tenant, n)
				}
				if n := countWhere(w.Pupils, func(p school.Pupil) bool {
					return p.SchoolID == s.ID
				}); n < 30 {
					t.Errorf("%s: %d pupils, want >= 30", s.Tenant, n)
				}
				var current []school.SchoolYear
				for _, y := range w.Years {
					if y.SchoolID == s.ID && y.Current(tc.now) {
						current = append(current, y)
					}
				}
				if len(current) != 1 || current[0].Name != tc.yearName {
					t.Errorf("%s: current years %+v, want one named %s", s.Tenant, current, tc.yearName)
				}
			}
			st := star(t, w)
			if n := countWhere(w.Grades, func(g school.Grade) bool {
				return g.PupilID == st.ID
			}); n < 245 {
				t.Errorf("star pupil has %d grades, want >= 245", n)
			}
		})
	}
}

func countWhere[T any](xs []T, ok func(T) bool) int {
	n := 0
	for _, x := range xs {
		if ok(x) {
			n++
		}
	}
	return n
}

func TestSchools(t *testing.T) {
	w := generate(t, testSeed, testNow)
	a, b := w.Schools[0], w.Schools[1]
	if a.UUID == b.UUID || a.Name == b.Name || a.Tenant == b.Tenant || a.Abbrev == b.Abbrev {
		t.Errorf("schools not distinct: %+v, %+v", a, b)
	}
	for _, s := range w.Schools {
		if s.City != strings.ToUpper(s.City) || s.City == "" {
			t.Errorf("%s: city %q not upper case", s.Tenant, s.City)
		}
	}
	if len(a.OIDCURLs) != 0 || len(b.OIDCURLs) != 1 {
		t.Fatalf("oidc urls: %d and %d, want 0 and 1", len(a.OIDCURLs), len(b.OIDCURLs))
	}
	if !strings.Contains(b.OIDCURLs[0].URL, ".example/") {
		t.Errorf("oidc url %q is not on an .example host", b.OIDCURLs[0].URL)
	}
	for _, p := range w.Pupils {
		if !strings.HasSuffix(p.Email, ".example") {
			t.Errorf("pupil %d: email %q not on an .example domain", p.ID, p.Email)
		}
	}
}

// TestAverages recomputes every average column from the grades it covers.
func TestAverages(t *testing.T) {
	w := generate(t, testSeed, testNow)
	counts := map[string]int{}
	for _, avg := range w.Grades {
		if !isAverage(avg) {
			continue
		}
		counts[avg.Type]++
		var in []school.Grade
		for _, g := range w.Grades {
			if isAverage(g) || g.PupilID != avg.PupilID || g.SubjectID != avg.SubjectID ||
				g.StudyYear != avg.StudyYear {
				continue
			}
			if avg.Type == school.ColumnPeriodAverage && g.Period != avg.Period {
				continue
			}
			in = append(in, g)
		}
		got, ok := school.Average(in)
		if !ok || got != avg.Tenths || avg.Current != avg.Tenths ||
			!avg.HasReportTenths || avg.ReportTenths != avg.Tenths {
			t.Errorf("average %d (%s, period %d): stored %d/%d/%d, recomputed %d (ok %v)",
				avg.ID, avg.Type, avg.Period, avg.Tenths, avg.Current, avg.ReportTenths, got, ok)
		}
		if avg.Weight != 0 {
			t.Errorf("average %d has weight %d", avg.ID, avg.Weight)
		}
	}
	st := star(t, w)
	subjects := map[school.ID]bool{}
	for _, g := range w.Grades {
		if g.PupilID == st.ID && g.Type == school.ColumnReportAverage {
			subjects[g.SubjectID] = true
		}
	}
	if counts[school.ColumnPeriodAverage] == 0 || len(subjects) < 10 {
		t.Errorf("averages: %v, star's report averages in %d subjects", counts, len(subjects))
	}
}

func TestSpecialGrades(t *testing.T) {
	w := generate(t, testSeed, testNow)
	st := star(t, w)
	var mine []school.Grade
	for _, g := range w.Grades {
		if g.PupilID == st.ID {
			mine = append(mine, g)
		}
	}
	tests := []struct {
		name string
		ok   func(g school.Grade) bool
	}{
		{"re-sit with a better first attempt", func(g school.Grade) bool {
			if g.ResitNumber != 1 {
				return false
			}
			for _, f := range mine {
				if f.ColumnID == g.ColumnID && f.ResitNumber == 0 {
					return f.ResitType == "EenKeerHoogste" &&
						f.Current == max(f.Tenths, g.Tenths) && f.Current != f.Tenths &&
						g.Entered.After(f.Entered)
				}
			}
			return false
		}},
		{"not counting", func(g school.Grade) bool { return g.NotCounting && g.HasValue }},
		{"not made", func(g school.Grade) bool { return g.NotMade && !g.HasValue && g.Tenths == 0 }},
		{"label", func(g school.Grade) bool { return g.Label != "" && !g.HasValue }},
		{"assignment", func(g school.Grade) bool { return g.Type == school.ColumnAssignment }},
		{"heavy test", func(g school.Grade) bool { return g.Weight == 5 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if countWhere(mine, tc.ok) == 0 {
				t.Errorf("the star pupil has no %s grade", tc.name)
			}
		})
	}
	kinds := map[string]bool{}
	for _, g := range mine {
		kinds[g.TestKind] = true
		if !isAverage(g) && (g.Weight < 1 || g.Weight > 5) {
			t.Errorf("grade %d has weight %d", g.ID, g.Weight)
		}
	}
	for _, k := range []string{"SO", "PW", "PO", "MO"} {
		if !kinds[k] {
			t.Errorf("no %s grade", k)
		}
	}
}

func TestEntered(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
	}{
		{"mid year", testNow},
		// On a school morning, nothing of that day is entered yet.
		{"school morning", time.Date(2026, 10, 7, 10, 3, 0, 0, school.Amsterdam)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := generate(t, testSeed, tc.now)
			schoolDay := map[time.Time]bool{}
			y := YearOf(tc.now)
			for _, year := range []int{y - 1, y} {
				for _, d := range SchoolDays(year) {
					schoolDay[d] = true
				}
			}
			withMillis := 0
			for _, g := range w.Grades {
				e := g.Entered.In(school.Amsterdam)
				if e.After(tc.now) {
					t.Fatalf("grade %d entered %v, after now %v", g.ID, e, tc.now)
				}
				if !schoolDay[school.DateOf(e)] {
					t.Fatalf("grade %d entered on %v, not a school day", g.ID, e)
				}
				if e.Hour() < 8 || e.Hour() >= 18 {
					t.Fatalf("grade %d entered at %v, outside the working day", g.ID, e)
				}
				if e.Nanosecond() != 0 {
					withMillis++
				}
				if e.Nanosecond()%int(time.Millisecond) != 0 {
					t.Fatalf("grade %d entered at %v: finer than a millisecond", g.ID, e)
				}
			}
			if withMillis < len(w.Grades)/2 {
				t.Errorf("only %d of %d grades have milliseconds", withMillis, len(w.Grades))
			}
		})
	}
}

func TestFamilyAndStaff(t *testing.T) {
	w := generate(t, testSeed, testNow)
	first := w.Schools[0].ID
	if len(w.Accounts) < 3 {
		t.Fatalf("%d accounts", len(w.Accounts))
	}
	roles := []school.Role{school.RolePupil, school.RoleParent, school.RoleStaff}
	for i, r := range roles {
		if w.Accounts[i].Role != r || w.Accounts[i].SchoolID != first {
			t.Fatalf("account %d: role %q in school %d, want %q in the first school",
				i, w.Accounts[i].Role, w.Accounts[i].SchoolID, r)
		}
	}
	st := star(t, w)
	parent := w.Accounts[1]
	if len(parent.PupilIDs) != 2 || parent.PupilIDs[0] != st.ID {
		t.Fatalf("parent's children %v, want the star pupil %d and one more", parent.PupilIDs, st.ID)
	}
	pupils := map[school.ID]school.Pupil{}
	for _, p := range w.Pupils {
		pupils[p.ID] = p
	}
	for _, id := range parent.PupilIDs {
		p, ok := pupils[id]
		if !ok || p.SchoolID != parent.SchoolID {
			t.Fatalf("child %d missing or in another school", id)
		}
		if p.Name.Last != parent.Name.Last || p.Name.Prefix != parent.Name.Prefix {
			t.Errorf("child %v does not share the parent's name %v", p.Name, parent.Name)
		}
	}
	isParent := func(a school.Account) bool { return a.Role == school.RoleParent }
	if countWhere(w.Accounts, isParent) != 1 {
		t.Error("want exactly one parent account")
	}

	// The staff account is a teacher of the star pupil's class.
	staff := w.Accounts[2]
	starGroups := map[school.ID]bool{}
	for _, g := range w.Groups {
		for _, id := range g.PupilIDs {
			if id == st.ID {
				starGroups[g.ID] = true
			}
		}
	}
	teaches := countWhere(w.Lessons, func(l school.Lesson) bool {
		return starGroups[l.GroupID] && len(l.StaffIDs) > 0 && l.StaffIDs[0] == staff.PersonID
	})
	if teaches == 0 {
		t.Errorf("staff account %d does not teach the star pupil's class", staff.PersonID)
	}
}

func TestAccounts(t *testing.T) {
	w := generate(t, testSeed, testNow)
	pupilAccounts := map[school.ID]int{}
	usernames := map[string]bool{}
	pattern := regexp.MustCompile(`^[a-z]+-[a-z]+-[0-9]{2}$`)
	for _, a := range w.Accounts {
		key := fmt.Sprint(a.SchoolID, "/", a.Username)
		if usernames[key] {
			t.Errorf("username %q twice in school %d", a.Username, a.SchoolID)
		}
		usernames[key] = true
		if a.Role == school.RolePupil {
			pupilAccounts[a.PersonID]++
		}
		if !pattern.MatchString(a.DemoPassword) {
			t.Errorf("account %s: password %q not of the readable form", a.Username, a.DemoPassword)
		}
		ok, err := passwd.Verify(a.PasswordHash, a.DemoPassword)
		if err != nil || !ok {
			t.Errorf("account %s: hash does not verify (%v)", a.Username, err)
		}
	}
	for _, p := range w.Pupils {
		if pupilAccounts[p.ID] != 1 {
			t.Errorf("pupil %d has %d pupil accounts, want 1", p.ID, pupilAccounts[p.ID])
		}
	}
}

func TestLessons(t *testing.T) {
	w := generate(t, testSeed, testNow)
	y := YearOf(testNow)
	var free []Holiday
	free = append(free, Holidays(y-1)...)
	free = append(free, Holidays(y)...)
	from, to := school.Date(y, time.August, 1), school.Date(y+1, time.August, 1)
	usual := usualRooms(w)
	groupPupils := map[school.ID][]school.ID{}
	for _, g := range w.Groups {
		groupPupils[g.ID] = g.PupilIDs
	}
	type at struct {
		who   school.ID
		start time.Time
	}
	booked := map[at]bool{}
	var cancelled, moved int
	for _, l := range w.Lessons {
		for _, id := range append(append([]school.ID(nil), l.StaffIDs...), groupPupils[l.GroupID]...) {
			if booked[at{id, l.Start}] {
				t.Fatalf("lesson %d: %d is in two lessons at %v", l.ID, id, l.Start)
			}
			booked[at{id, l.Start}] = true
		}
		start := l.Start.In(school.Amsterdam)
		if wd := start.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Fatalf("lesson %d on a %v", l.ID, wd)
		}
		if h := inHoliday(start, free); h != "" {
			t.Fatalf("lesson %d at %v in the %s", l.ID, start, h)
		}
		if start.Before(from) || !start.Before(to) {
			t.Fatalf("lesson %d at %v outside the current year", l.ID, start)
		}
		if l.BeginHour < 1 || l.BeginHour > 8 || l.EndHour != l.BeginHour {
			t.Fatalf("lesson %d hours %d-%d", l.ID, l.BeginHour, l.EndHour)
		}
		if d := l.End.Sub(l.Start); d != 50*time.Minute {
			t.Fatalf("lesson %d lasts %v", l.ID, d)
		}
		want := LessonHours[l.BeginHour-1].Begin
		if start.Hour() != want.Hour || start.Minute() != want.Minute {
			t.Fatalf("lesson %d hour %d starts at %v, want %v", l.ID, l.BeginHour, start, want)
		}
		if !strings.HasPrefix(l.Title, l.Location+" - ") || strings.Count(l.Title, " - ") != 2 {
			t.Errorf("lesson %d title %q does not match room %q", l.ID, l.Title, l.Location)
		}
		if l.Status == school.StatusCancelled {
			cancelled++
		}
		if l.Location != usual[l.GroupID] {
			moved++
		}
	}
	if cancelled == 0 || moved == 0 {
		t.Errorf("%d cancelled and %d moved lessons, want some of each", cancelled, moved)
	}
	if cancelled > len(w.Lessons)/100 || moved > len(w.Lessons)/100 {
		t.Errorf("%d cancelled and %d moved lessons of %d: more than a few",
			cancelled, moved, len(w.Lessons))
	}
}

// usualRooms is the most frequent room of each group.
func usualRooms(w *school.World) map[school.ID]string {
	counts := map[school.ID]map[string]int{}
	for _, l := range w.Lessons {
		if counts[l.GroupID] == nil {
			counts[l.GroupID] = map[string]int{}
		}
		counts[l.GroupID][l.Location]++
	}
	usual := map[school.ID]string{}
	for g, byRoom := range counts {
		best := 0
		for room, n := range byRoom {
			if n > best {
				usual[g], best = room, n
			}
		}
	}
	return usual
}

func inHoliday(t time.Time, hs []Holiday) string {
	d := school.DateOf(t)
	for _, h := range hs {
		if !d.Before(h.From) && !d.After(h.To) {
			return h.Name
		}
	}
	return ""
}

// TestDaylightSaving checks that the first hour starts at 08:30 local time
// on both sides of the autumn and the spring clock change.
func TestDaylightSaving(t *testing.T) {
	w := generate(t, testSeed, testNow)
	tests := []struct {
		name    string
		from    time.Time
		utcHour int // of the first hour's start
		offset  int // seconds east of UTC
	}{
		{"october, summer time", school.Date(2026, time.October, 12), 6, 2 * 3600},
		{"october, after the change", school.Date(2026, time.October, 26), 7, 3600},
		{"march, winter time", school.Date(2027, time.March, 22), 7, 3600},
		{"march, after the change", school.Date(2027, time.March, 29), 6, 2 * 3600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			to := tc.from.AddDate(0, 0, 5)
			n := 0
			for _, l := range w.Lessons {
				if l.Start.Before(tc.from) || !l.Start.Before(to) || l.BeginHour != 1 {
					continue
				}
				n++
				u := l.Start.UTC()
				if u.Hour() != tc.utcHour || u.Minute() != 30 {
					t.Errorf("lesson %d starts %v UTC, want %02d:30", l.ID, u, tc.utcHour)
				}
				if _, off := l.Start.Zone(); off != tc.offset {
					t.Errorf("lesson %d offset %d, want %d", l.ID, off, tc.offset)
				}
				if l.End.Sub(l.Start) != 50*time.Minute {
					t.Errorf("lesson %d lasts %v", l.ID, l.End.Sub(l.Start))
				}
			}
			if n == 0 {
				t.Fatal("no first-hour lessons in the week")
			}
		})
	}
}

// TestIDs checks that every id is large and unique across the world, that
// every reference resolves within its own school, and that UUIDs are
// unique and shaped like version 4.
func TestIDs(t *testing.T) {
	w := generate(t, testSeed, testNow)
	seen := map[school.ID]string{}
	add := func(kind string, id school.ID) {
		if id < 1_000_000_000 {
			t.Errorf("%s id %d below 10^9", kind, id)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("%s id %d already used by a %s", kind, id, other)
		}
		seen[id] = kind
	}
	owner := map[school.ID]school.ID{} // entity -> school
	uuids := map[string]bool{}
	uuidShape := regexp.MustCompile(
		`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	entity := func(kind string, id, schoolID school.ID, uuid string) {
		add(kind, id)
		owner[id] = schoolID
		if uuid == "" && kind == "year" {
			return
		}
		if !uuidShape.MatchString(uuid) || uuids[uuid] {
			t.Errorf("%s %d: uuid %q malformed or repeated", kind, id, uuid)
		}
		uuids[uuid] = true
	}
	for _, s := range w.Schools {
		entity("school", s.ID, s.ID, s.UUID)
	}
	for _, b := range w.Branches {
		entity("branch", b.ID, b.SchoolID, b.UUID)
	}
	for _, y := range w.Years {
		entity("year", y.ID, y.SchoolID, "")
	}
	for _, s := range w.Subjects {
		entity("subject", s.ID, s.SchoolID, s.UUID)
	}
	for _, s := range w.Staff {
		entity("staff", s.ID, s.SchoolID, s.UUID)
	}
	for _, p := range w.Pupils {
		entity("pupil", p.ID, p.SchoolID, p.UUID)
	}
	for _, g := range w.Groups {
		entity("group", g.ID, g.SchoolID, g.UUID)
	}
	for _, a := range w.Accounts {
		entity("account", a.ID, a.SchoolID, a.UUID)
	}
	for _, l := range w.Lessons {
		add("lesson", l.ID)
	}
	columns := map[school.ID]bool{}
	for _, g := range w.Grades {
		add("grade", g.ID)
		columns[g.ColumnID] = true
	}
	for c := range columns {
		add("column", c)
	}

	ref := func(what string, id, schoolID school.ID) {
		if s, ok := owner[id]; !ok || s != schoolID {
			t.Errorf("%s %d does not resolve in school %d", what, id, schoolID)
		}
	}
	for _, p := range w.Pupils {
		ref("pupil's branch", p.BranchID, p.SchoolID)
	}
	for _, g := range w.Groups {
		ref("group's year", g.YearID, g.SchoolID)
		if g.SubjectID != 0 {
			ref("group's subject", g.SubjectID, g.SchoolID)
		}
		for _, id := range g.PupilIDs {
			ref("group's pupil", id, g.SchoolID)
		}
	}
	for _, l := range w.Lessons {
		ref("lesson's group", l.GroupID, l.SchoolID)
		ref("lesson's subject", l.SubjectID, l.SchoolID)
		ref("lesson's branch", l.BranchID, l.SchoolID)
		for _, id := range l.StaffIDs {
			ref("lesson's teacher", id, l.SchoolID)
		}
	}
	for _, g := range w.Grades {
		ref("grade's pupil", g.PupilID, g.SchoolID)
		ref("grade's subject", g.SubjectID, g.SchoolID)
	}
	for _, a := range w.Accounts {
		if a.PersonID != 0 {
			ref("account's person", a.PersonID, a.SchoolID)
		}
		for _, id := range a.PupilIDs {
			ref("account's child", id, a.SchoolID)
		}
	}
}

func TestHolidays(t *testing.T) {
	for _, year := range []int{2024, 2025, 2026, 2027, 2028, 2031} {
		hs := Holidays(year)
		names := []string{"Herfstvakantie", "Kerstvakantie", "Voorjaarsvakantie",
			"Meivakantie", "Zomervakantie"}
		if len(hs) != len(names) {
			t.Fatalf("%d: %d holidays", year, len(hs))
		}
		// Each holiday must hold these dates, and its first Monday must be
		// in this ISO week (0: any).
		must := []struct {
			dates []time.Time
			week  int
		}{
			{nil, 43},
			{[]time.Time{
				school.Date(year, time.December, 25), school.Date(year+1, time.January, 1),
			}, 0},
			{nil, 8},
			{[]time.Time{school.Date(year+1, time.April, 27)}, 0},
			{[]time.Time{school.Date(year+1, time.August, 1)}, 29},
		}
		for i, h := range hs {
			if h.Name != names[i] {
				t.Errorf("%d: holiday %d is %q, want %q", year, i, h.Name, names[i])
			}
			if h.From.Weekday() != time.Saturday || h.To.Weekday() != time.Sunday {
				t.Errorf("%d %s: %v to %v, want Saturday to Sunday", year, h.Name, h.From, h.To)
			}
			if i > 0 && !hs[i-1].To.Before(h.From) {
				t.Errorf("%d %s overlaps the one before", year, h.Name)
			}
			for _, d := range must[i].dates {
				if d.Before(h.From) || d.After(h.To) {
					t.Errorf("%d %s (%s to %s) misses %s", year, h.Name,
						school.FormatDate(h.From), school.FormatDate(h.To), school.FormatDate(d))
				}
			}
			if _, wk := h.From.AddDate(0, 0, 2).ISOWeek(); must[i].week != 0 && wk != must[i].week {
				t.Errorf("%d %s starts in week %d, want %d", year, h.Name, wk, must[i].week)
			}
		}
		if days := hs[4].To.Sub(hs[4].From).Hours() / 24; days < 43 || days > 44 {
			t.Errorf("%d summer lasts %v days", year, days)
		}
	}
	// One year pinned to the calendar: the pattern gives these dates.
	got := Holidays(2026)[0]
	if school.FormatDate(got.From) != "2026-10-17" || school.FormatDate(got.To) != "2026-10-25" {
		t.Errorf("autumn 2026: %s to %s", school.FormatDate(got.From), school.FormatDate(got.To))
	}
}

func TestEasterSunday(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"},
		{2027, "2027-03-28"}, {2028, "2028-04-16"}, {2038, "2038-04-25"},
	}
	for _, tc := range tests {
		if got := school.FormatDate(easterSunday(tc.year)); got != tc.want {
			t.Errorf("easter %d = %s, want %s", tc.year, got, tc.want)
		}
	}
}

func TestLessonHours(t *testing.T) {
	if len(LessonHours) != dayHours || LessonHours[0].Begin.String() != "08:30" {
		t.Fatalf("grid %v", LessonHours)
	}
	minutes := func(c Clock) int { return c.Hour*60 + c.Minute }
	for i, h := range LessonHours {
		if h.Number != i+1 || minutes(h.End)-minutes(h.Begin) != 50 {
			t.Errorf("hour %+v", h)
		}
		if i == 0 {
			continue
		}
		gap := minutes(h.Begin) - minutes(LessonHours[i-1].End)
		want := 0
		switch i {
		case 2:
			want = 15
		case 4:
			want = 30
		}
		if gap != want {
			t.Errorf("break before hour %d: %d minutes, want %d", h.Number, gap, want)
		}
	}
}

// nameFields are the fields of the seed document that hold person names.
var nameFields = regexp.MustCompile(
	`"(roepnaam|achternaam|voornaam|voorvoegsel|tussenvoegsel|gebruikersnaam)"\s*:\s*"([^"]*)"`)

// TestNoSeedNames checks that no person name from the seed document, and
// no school name from it, is used anywhere in the world.
func TestNoSeedNames(t *testing.T) {
	doc, err := os.ReadFile("../../../shared/seed/somtoday-api-docs.txt")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("seed document ../../../shared/seed/somtoday-api-docs.txt absent: not checked")
	}
	if err != nil {
		t.Fatal(err)
	}
	capitalised := regexp.MustCompile(`\p{Lu}\p{Ll}+`)
	banned := map[string]bool{}
	for _, m := range nameFields.FindAllStringSubmatch(string(doc), -1) {
		for _, word := range capitalised.FindAllString(m[2], -1) {
			banned[strings.ToLower(word)] = true
		}
	}
	if len(banned) == 0 {
		t.Fatal("no names found in the seed document: the pattern is out of date")
	}
	schoolNames := regexp.MustCompile(`"naam"\s*:\s*"([^"]*)"`)
	var seedSchools []string
	for _, m := range schoolNames.FindAllStringSubmatch(string(doc), -1) {
		seedSchools = append(seedSchools, m[1])
	}

	w := generate(t, testSeed, testNow)
	var texts []string
	name := func(n school.Name) { texts = append(texts, n.First, n.Prefix, n.Last) }
	for _, p := range w.Pupils {
		name(p.Name)
		texts = append(texts, p.Email)
	}
	for _, s := range w.Staff {
		name(s.Name)
	}
	for _, a := range w.Accounts {
		name(a.Name)
		texts = append(texts, a.Username)
	}
	for _, s := range w.Schools {
		texts = append(texts, s.Name, s.City, s.Tenant)
		for _, seed := range seedSchools {
			if strings.EqualFold(seed, s.Name) {
				t.Errorf("school name %q is in the seed document", s.Name)
			}
		}
	}
	letters := regexp.MustCompile(`\p{L}+`)
	for _, text := range texts {
		for _, word := range letters.FindAllString(text, -1) {
			if banned[strings.ToLower(word)] {
				t.Errorf("%q uses a name from the seed document", text)
			}
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		generate(b, testSeed, testNow)
	}
}
