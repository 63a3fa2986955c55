package world_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/world"
)

// now is a Wednesday in the school year 2024/2025, outside the holidays.
var now = time.Date(2025, time.March, 5, 10, 0, 0, 0, school.Amsterdam)

func load(t *testing.T, text string) *school.World {
	t.Helper()
	w, err := world.Load("w.yaml", []byte(text), world.Options{Now: now})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return w
}

// base is a school with a little of everything, that bad files add to.
const base = `schools:
  - name: Testschool
    subjects: [{abbrev: wi, name: wiskunde}, {abbrev: ne}]
    staff: [{abbrev: jvr, name: Jan de Vries}]
    classes: [{name: 4A}]
    groups: [{name: 4A-wi, subject: wi, classes: 4A}]
    pupils:
      - {name: Emma de Jong, number: 101, class: 4A, password: geheim}
      - {name: Daan Bos, number: 102, class: 4A}
`

// TestBadFiles: every problem names the file, the line and the field, all
// problems come at once, and no world comes with them.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"not yaml", "schools:\n  - name: x\n    city: [a\n", []string{
			"w.yaml:2: not valid YAML: did not find expected ',' or ']'"}},
		{"empty", "", []string{"w.yaml: the file is empty: want a mapping with schools"}},
		{"no schools", "version: 1\n", []string{"w.yaml: schools: want at least one school"}},
		{"unknown version", "version: 2\nschools: [{name: x}]\n", []string{
			"w.yaml:1: version: version 2 is not known: this opensom reads version 1"}},
		{"unknown field", base + "    colour: red\n", []string{
			"w.yaml:10: schools[0].colour: unknown field"}},
		{"unknown nested field", base + "    measures: [{pupil: 101, name: x, date: today, " +
			"when: now}]\n", []string{"w.yaml:10: schools[0].measures[0].when: unknown field"}},
		{"field twice", "schools:\n  - name: a\n    name: b\n", []string{
			"w.yaml:3: schools[0].name: given twice"}},
		{"wrong type", "schools:\n  - name: a\n    pupils: {name: x}\n", []string{
			"w.yaml:3: schools[0].pupils: want a list, got a mapping"}},
		{"not a number", "schools:\n  - name: a\n    pupils: [{name: x, number: abc}]\n",
			[]string{`w.yaml:3: schools[0].pupils[0].number: want a whole number, got "abc"`}},
		{"not a bool", "schools:\n  - name: a\n    passwordGrant: yes\n", []string{
			`w.yaml:3: schools[0].passwordGrant: want true or false, got "yes"`}},
		{"school without name", "schools:\n  - city: Zeist\n", []string{
			"w.yaml:2: schools[0].name: required"}},
		{"same tenant", "schools:\n  - name: A\n    tenant: a\n  - name: B\n    tenant: a\n",
			[]string{`w.yaml:5: schools[1].tenant: tenant "a" is taken by schools[0]; ` +
				"give each school its own"}},
		{"bad tenant", "schools:\n  - name: A\n    tenant: Het A\n", []string{
			`w.yaml:3: schools[0].tenant: want lower-case letters and digits only, got "Het A"`}},
		{"bad uuid", "schools:\n  - name: A\n    uuid: 1234\n", []string{
			`w.yaml:3: schools[0].uuid: want a UUID such as 0b0c1e0a-...-..., got "1234"`}},
		{"same id", "schools:\n  - name: A\n    id: 5\n  - name: B\n    id: 5\n", []string{
			"w.yaml:5: schools[1].id: id 5 is taken by schools[0]"}},
		{"class not there", base + "      - {name: Sem Smit, class: 4B}\n", []string{
			`w.yaml:10: schools[0].pupils[2].class: no group "4B"`}},
		{"class is a lesson group", base + "      - {name: Sem Smit, class: 4A-wi}\n", []string{
			`w.yaml:10: schools[0].pupils[2].class: "4A-wi" is a lesson group, not a class; ` +
				"list it under groups"}},
		{"pupil group not there", base + "      - {name: Sem Smit, groups: [4A-wi, 4A-du]}\n",
			[]string{`w.yaml:10: schools[0].pupils[2].groups[1]: no group "4A-du"`}},
		{"same number", base + "      - {name: Sem Smit, number: 101}\n", []string{
			"w.yaml:10: schools[0].pupils[2].number: number 101 is taken by schools[0].pupils[0]"}},
		{"same username", base + "      - {name: Sem Smit, username: '101', password: x}\n",
			[]string{`w.yaml:10: schools[0].pupils[2].username: username "101" is taken by ` +
				"another account of this school"}},
		{"username without password", base + "      - {name: Sem Smit, username: sem}\n",
			[]string{"w.yaml:10: schools[0].pupils[2].password: required with username, " +
				"accountId or accountUuid (or give passwordHash)"}},
		{"password and hash", base + "      - {name: Sem Smit, password: a, passwordHash: b}\n",
			[]string{"w.yaml:10: schools[0].pupils[2].passwordHash: give password or " +
				"passwordHash, not both"}},
		{"bad gender", base + "      - {name: Sem Smit, gender: x}\n", []string{
			`w.yaml:10: schools[0].pupils[2].gender: want Man or Vrouw, got "x"`}},
		{"parent without password", base + "    parents: [{name: Karin de Jong, children: 101}]\n",
			[]string{"w.yaml:10: schools[0].parents[0].password: required: a parent is an " +
				"account (or give passwordHash)"}},
		{"parent of nobody", base + "    parents:\n      - name: Karin\n        children: [101, 109]\n" +
			"        password: x\n", []string{
			"w.yaml:12: schools[0].parents[0].children[1]: no pupil with number 109"}},
		{"ambiguous pupil name", base + "      - {name: Emma de Jong, number: 103}\n" +
			"    measures: [{pupil: Emma de Jong, name: x, date: today}]\n", []string{
			`w.yaml:11: schools[0].measures[0].pupil: 2 pupils are called "Emma de Jong": ` +
				"name one by its number"}},
		{"staff role", "schools:\n  - name: A\n    staff:\n      - {abbrev: x, name: X Y, " +
			"role: baas, password: p}\n", []string{
			`w.yaml:4: schools[0].staff[0].role: want medewerker or beheerder, got "baas"`}},
		{"same staff", base + "    staff: []\n", []string{"w.yaml:10: schools[0].staff: given twice"}},
		{"year ends before it starts", "schools:\n  - name: A\n    years:\n" +
			"      - {from: 2025-08-01, to: 2025-01-01}\n", []string{
			"w.yaml:4: schools[0].years[0].to: the year ends (2025-01-01) before it starts " +
				"(2025-08-01)"}},
		{"years overlap", "schools:\n  - name: A\n    years: [{name: 2023/2024}, " +
			"{name: 2024/2025, from: 2024-07-01}]\n", []string{
			"w.yaml:3: schools[0].years[1]: year 2024/2025 overlaps year 2023/2024"}},
		{"bad date", "schools:\n  - name: A\n    holidays: [{name: x, from: 2025-02-30}]\n",
			[]string{`w.yaml:3: schools[0].holidays[0].from: want a date such as 2025-03-04, ` +
				`got "2025-02-30"`}},
		{"bad relative date", "schools:\n  - name: A\n    holidays: [{name: x, from: today+3x}]\n",
			[]string{"w.yaml:3: schools[0].holidays[0].from: want an offset such as +3d or -2w " +
				`after today, got "+3x"`}},
		{"bad lesson hour", "schools:\n  - name: A\n    lessonHours: [08:30-09:20, 09:10-10:00, " +
			"11-12]\n", []string{
			"w.yaml:3: schools[0].lessonHours[1]: hour 2 begins before hour 1 ends",
			`w.yaml:3: schools[0].lessonHours[2]: want a time such as 08:30, got "11"`}},
		{"unknown switch", "schools:\n  - name: A\n    switches:\n      cijfersAan: false\n",
			[]string{`w.yaml:4: schools[0].switches.cijfersAan: no switch "cijfersAan" ` +
				"(docs/world-files.md lists them)"}},
		{"lesson group without subject", "schools:\n  - name: A\n    groups: [{name: g}]\n",
			[]string{"w.yaml:3: schools[0].groups[0].subject: required for a lesson group"}},
		{"group twice", base + "    groups: [{name: 4A, subject: wi}]\n", []string{
			"w.yaml:10: schools[0].groups: given twice"}},
		{"timetable", base + "    timetable:\n" +
			"      - {day: funday, hour: 1, group: 4A-wi}\n" +
			"      - {day: monday, hour: 12, group: 4A-wi, teacher: zzz}\n" +
			"      - {day: monday, hour: 1, group: 4B}\n" +
			"      - {day: monday, hour: 1, time: '08:00-09:00', group: 4A}\n" +
			"      - {day: monday, hour: 2, endHour: 1, group: 4A}\n" +
			"      - {day: monday, hour: 3, group: 4A, weeks: some}\n" +
			"      - {day: monday, hour: 3, group: 4A-wi, subject: ne}\n" +
			"      - {day: monday, hour: 4, group: 4A, from: 2025-03-01, to: 2025-02-01}\n",
			[]string{
				`w.yaml:11: schools[0].timetable[0].day: want a weekday such as monday, got "funday"`,
				`w.yaml:12: schools[0].timetable[1].teacher: no staff member "zzz"`,
				"w.yaml:12: schools[0].timetable[1].hour: no lesson hour 12: the school has " +
					"hours 1 to 8",
				`w.yaml:13: schools[0].timetable[2].group: no group "4B"`,
				"w.yaml:14: schools[0].timetable[3].time: give hour or time, not both",
				"w.yaml:15: schools[0].timetable[4].endHour: want 2 to 8, got 1",
				`w.yaml:16: schools[0].timetable[5].weeks: want all, odd or even, got "some"`,
				"w.yaml:17: schools[0].timetable[6].subject: the lesson group's subject is its " +
					"own; leave subject out",
				"w.yaml:18: schools[0].timetable[7].to: the range ends (2025-02-01) before it " +
					"starts (2025-03-01)",
			}},
		{"two lessons at once", base + "    timetable: [{day: monday, hour: 1, group: 4A}]\n" +
			"    lessons: [{date: 2025-03-03, hour: 1, group: 4A}]\n", []string{
			`w.yaml:11: schools[0].lessons[0]: group "4A" already has a lesson at ` +
				"2025-03-03 08:30 (schools[0].timetable[0])"}},
		{"changes", base + "    timetable: [{day: monday, hour: 1, group: 4A}, " +
			"{day: monday, hour: 2, group: 4A}]\n" +
			"    changes:\n" +
			"      - {group: 4A, date: 2025-03-04, cancelled: true}\n" +
			"      - {group: 4A, date: 2025-03-03, cancelled: true}\n" +
			"      - {group: 4A, date: 2025-03-03, hour: 5, room: B2}\n" +
			"      - {group: 4A, date: 2025-03-03, hour: 1}\n" +
			"      - {group: 4A, date: 2025-03-03, hour: 2, moveTo: {hour: 9}}\n",
			[]string{
				`w.yaml:12: schools[0].changes[0]: group "4A" has no lesson on 2025-03-04`,
				`w.yaml:13: schools[0].changes[1].hour: group "4A" has 2 lessons on ` +
					"2025-03-03: say which by its hour",
				`w.yaml:14: schools[0].changes[2]: group "4A" has no lesson in hour 5 on 2025-03-03`,
				"w.yaml:15: schools[0].changes[3]: changes nothing: give cancelled, room, " +
					"teacher, title or moveTo",
				"w.yaml:16: schools[0].changes[4].moveTo.hour: no lesson hour 9: the school " +
					"has hours 1 to 8",
			}},
		{"tests", base + "    tests:\n" +
			"      - {group: 4A, name: t, date: 2025-01-10, grades: {101: 7}}\n" +
			"      - {group: 4A-wi, date: 2025-01-10, grades: {101: 7}}\n" +
			"      - group: 4A-wi\n" +
			"        name: SO 1\n" +
			"        date: 2025-01-10\n" +
			"        type: Toets\n" +
			"        weight: -1\n" +
			"        resit: Vaak\n" +
			"        grades:\n" +
			"          101: 10.5\n" +
			"          102: 7.25\n" +
			"          Sem Smit: 6\n" +
			"      - group: 4A-wi\n" +
			"        name: SO 1\n" +
			"        date: 2025-01-12\n" +
			"        grades: {101: 7}\n" +
			"      - group: 4A-wi\n" +
			"        name: SO 2\n" +
			"        date: 2025-01-12\n" +
			"        grades: {101: {value: 4, resit: 6}, 102: {value: 6, label: V}, 103: 5}\n",
			[]string{
				`w.yaml:11: schools[0].tests[0].group: "4A" is a class without subject: tests ` +
					"belong to lesson groups",
				"w.yaml:12: schools[0].tests[1].name: required",
				`w.yaml:16: schools[0].tests[2].type: want a column type such as Toetskolom or ` +
					`Werkstukcijferkolom, got "Toets"`,
				"w.yaml:17: schools[0].tests[2].weight: want 0 to 100, got -1",
				"w.yaml:18: schools[0].tests[2].resit: want Geen, EenKeerHoogste, EenKeerLaatste, " +
					`EenkeerGemiddeld, TweeKeerHoogste, TweeKeerLaatste or TweeKeerGemiddeld, got "Vaak"`,
				"w.yaml:20: schools[0].tests[2].grades.101: grade 10.5 out of range 1.0 to 10.0",
				"w.yaml:21: schools[0].tests[2].grades.102: grade 7.25 has more than one decimal",
				`w.yaml:22: schools[0].tests[2].grades.Sem Smit: no pupil "Sem Smit"`,
				`w.yaml:24: schools[0].tests[3].name: group "4A-wi" already has a test "SO 1" ` +
					"(schools[0].tests[2])",
				`w.yaml:30: schools[0].tests[4].grades.101.resit: test "SO 2" allows 0 re-sit(s) ` +
					"(its resit is Geen), got 1",
				"w.yaml:30: schools[0].tests[4].grades.102.label: give value or label, not both",
				"w.yaml:30: schools[0].tests[4].grades.103: no pupil with number 103",
			}},
		{"grade of a pupil outside the group", base + "      - {name: Sem Smit, number: 103}\n" +
			"    tests: [{group: 4A-wi, name: t, date: 2025-01-10, grades: {103: 7}}]\n", []string{
			`w.yaml:11: schools[0].tests[0].grades.103: pupil 103 is not in group "4A-wi"`}},
		{"records", base + "    absences: [{pupil: 101, reason: XX, from: today}, " +
			"{pupil: 101, reason: ZK, from: today, to: today-1d}]\n" +
			"    observations: [{pupil: 101, group: 4A-wi, date: today, registration: Weg}]\n" +
			"    homework: [{group: 4A-wi, date: today, topic: x, kind: maand}, " +
			"{group: 4A-wi, date: today, type: SO}]\n" +
			"    messages: [{from: xyz, to: [101, nobody], subject: s}]\n",
			[]string{
				`w.yaml:10: schools[0].absences[0].reason: no absence reason "XX"`,
				"w.yaml:10: schools[0].absences[1].to: the absence ends before it starts",
				"w.yaml:11: schools[0].observations[0].registration: want Afwezig, TeLaat, " +
					`Verwijderd, HuiswerkNietGemaakt or MateriaalNietInOrde, got "Weg"`,
				`w.yaml:12: schools[0].homework[0].kind: want lesson, day or week, got "maand"`,
				"w.yaml:12: schools[0].homework[1].topic: required",
				`w.yaml:12: schools[0].homework[1].type: want HUISWERK, TOETS or GROTE_TOETS, got "SO"`,
				`w.yaml:13: schools[0].messages[0].from: no staff member "xyz"`,
				`w.yaml:13: schools[0].messages[0].to[1]: no account "nobody"`,
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := world.Load("w.yaml", []byte(tc.text), world.Options{Now: now})
			if w != nil {
				t.Errorf("a world came with the problems")
			}
			var e *world.Errors
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *world.Errors", err)
			}
			got := e.Lines()
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "),
					strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestManyProblems: a file full of mistakes reports MaxProblems of them and
// counts the rest.
func TestManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("schools:\n  - name: A\n    pupils:\n")
	for range world.MaxProblems + 7 {
		b.WriteString("      - {name: x, colour: red}\n")
	}
	_, err := world.Load("w.yaml", []byte(b.String()), world.Options{Now: now})
	var e *world.Errors
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *world.Errors", err)
	}
	if len(e.Problems) != world.MaxProblems || e.More != 7 {
		t.Errorf("%d problems and %d more, want %d and 7", len(e.Problems), e.More,
			world.MaxProblems)
	}
	if last := e.Lines()[world.MaxProblems]; last != "w.yaml: and 7 more problem(s)" {
		t.Errorf("last line = %q", last)
	}
}

// TestUnreadableFile: a file that is not there is a problem of the file.
func TestUnreadableFile(t *testing.T) {
	_, err := world.LoadFile(t.TempDir()+"/none.yaml", world.Options{Now: now})
	var e *world.Errors
	if !errors.As(err, &e) || len(e.Problems) != 1 ||
		!strings.Contains(e.Problems[0].Msg, "cannot read the file") {
		t.Fatalf("err = %v, want one problem: cannot read the file", err)
	}
}
