package admin_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// Each kind of entity is created with the least input, answers its id and
// defaults, and reads back the same.
func TestEditCreate(t *testing.T) {
	er := newEditRig(t)
	tests := []struct {
		path, body string
		want       obj
	}{
		{"/_opensom/pupils", `{"school_id":1001,"first_name":"Vier","last_name":"Nieuw"}`,
			obj{"school_id": num(schA), "branch_id": num(brA), "number": 104.0,
				"first_name": "Vier", "last_name": "Nieuw", "birth_date": "2010-03-10",
				"gender": "Vrouw", "group_ids": []any{}}},
		{"/_opensom/staff", `{"school_id":1001,"first_name":"Anna","last_name":"de Vries"}`,
			obj{"abbrev": "ade", "initials": "A.", "number": 2.0, "gender": "VROUW"}},
		{"/_opensom/subjects", `{"school_id":1001,"abbrev":"fi","name":"filosofie"}`,
			obj{"abbrev": "fi", "name": "filosofie", "school_id": num(schA)}},
		{"/_opensom/groups", `{"school_id":1001,"name":"3a-wi","subject_id":4002,` +
			`"pupil_ids":[7002,7001,7002]}`,
			obj{"year_id": num(yrA), "subject_id": num(subWI),
				"pupil_ids": []any{num(pup1), num(pup2)}}},
		{"/_opensom/accounts", `{"role":"leerling","person_id":7002,"password":"geheim-2"}`,
			obj{"school_id": num(schA), "username": "102", "password": "geheim-2",
				"role": "leerling", "pupil_ids": []any{}}},
		{"/_opensom/accounts", `{"role":"ouder","pupil_ids":[7002,7001],"username":"ouder.test",` +
			`"last_name":"Test"}`,
			obj{"school_id": num(schA), "role": "ouder", "person_id": 0.0,
				"pupil_ids": []any{num(pup2), num(pup1)}}},
		{"/_opensom/lessons", `{"group_id":6001,"start":"2025-03-12T10:10:00+01:00",` +
			`"staff_ids":[5001],"location":"B2"}`,
			obj{"school_id": num(schA), "branch_id": num(brA), "subject_id": 0.0,
				"end": "2025-03-12T11:00:00+01:00", "kind": "Les", "status": "ACTIEF",
				"title": "B2 - 3a - tes"}},
		{"/_opensom/grades", `{"pupil_id":7001,"subject_id":4001,"value":"7,5"}`,
			obj{"value": "7,5", "weight": 1.0, "type": "Toetskolom", "period": 3.0,
				"study_year": 3.0, "seq": 3.0, "entered": editNowRFC, "in_progress": true,
				"in_exam": false}},
		{"/_opensom/grades", `{"pupil_id":7002,"subject_id":4002,"value":"V","weight":0,` +
			`"type":"Advieskolom","entered":"2024-11-20T09:00:00+01:00"}`,
			obj{"value": "V", "weight": 0.0, "type": "Advieskolom", "period": 2.0,
				"study_year": 1.0, "seq": 1.0}},
		{"/_opensom/grades", `{"pupil_id":7001,"subject_id":4001,"not_made":true,` +
			`"exam_weight":2,"description":"PW"}`,
			obj{"value": "", "not_made": true, "in_exam": true, "exam_weight": 2.0}},
		{"/_opensom/homework", `{"lesson_id":9001,"topic":"Lezen"}`,
			obj{"kind": "afspraak", "group_id": num(grpNL), "due": monday0830,
				"iso_year": 2025.0, "week_from": 11.0, "type": "HUISWERK", "year_id": num(yrA)}},
		{"/_opensom/homework", `{"group_id":6001,"date":"2025-03-14","type":"TOETS"}`,
			obj{"kind": "dag", "lesson_id": 0.0, "due": "2025-03-14T00:00:00+01:00",
				"topic": "Huiswerk", "type": "TOETS"}},
		{"/_opensom/homework", `{"group_id":6001,"week":"2025-W12","until_week":"2025-W13"}`,
			obj{"kind": "week", "due": "2025-03-17T00:00:00+01:00", "week_from": 12.0,
				"week_to": 13.0}},
		{"/_opensom/absences", `{"pupil_id":7001,"reason":"ZK","remarks":"griep"}`,
			obj{"reason_id": num(reasonZK), "start": editNowRFC, "end": "",
				"entered": editNowRFC, "handled": false}},
		{"/_opensom/observations", `{"pupil_id":7001,"lesson_id":9001,"registration":"TeLaat",` +
			`"reason":"TL"}`,
			obj{"kind": "Aanwezig", "staff_id": num(teachT), "start": monday0830,
				"reason_id": num(reasonTL), "authorised": false}},
		{"/_opensom/observations", `{"pupil_id":7002,"lesson_id":9002,"registration":"Afwezig",` +
			`"reason":"ZK"}`,
			obj{"kind": "Afwezig", "authorised": true, "begin_hour": 1.0}},
	}
	for _, tc := range tests {
		t.Run(tc.path+" "+tc.body, func(t *testing.T) {
			before := er.state(t)
			got := er.created(t, tc.path, tc.body)
			fields(t, "answer", got, tc.want)
			var read obj
			er.call(t, "GET", fmt.Sprintf("%s/%.0f", tc.path, got["id"]), "", 200, &read)
			fields(t, "read back", read, got)
			if v := er.state(t).version; v <= before.version {
				t.Errorf("the data version did not move")
			}
		})
	}
}

// Accounts made here log in with the password given or answered.
func TestEditAccountPassword(t *testing.T) {
	er := newEditRig(t)
	acc := er.created(t, "/_opensom/accounts", `{"role":"medewerker","person_id":5001,`+
		`"username":"t2"}`)
	pw, _ := acc["password"].(string)
	if len(pw) < 8 {
		t.Fatalf("made-up password %q", pw)
	}
	stored, err := er.store.Account(context.Background(), schA, school.ID(acc["id"].(float64)))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := passwd.Verify(stored.PasswordHash, pw); err != nil || !ok {
		t.Fatalf("the answered password does not verify: %v", err)
	}
	var changed obj
	er.call(t, "PATCH", fmt.Sprintf("/_opensom/accounts/%.0f", acc["id"]),
		`{"password":"nieuw-1"}`, 200, &changed)
	stored, _ = er.store.Account(context.Background(), schA, stored.ID)
	if ok, _ := passwd.Verify(stored.PasswordHash, "nieuw-1"); !ok || changed["password"] != "nieuw-1" {
		t.Fatalf("changed password: %v", changed)
	}
}

// Changes keep what is not sent.
func TestEditPatch(t *testing.T) {
	er := newEditRig(t)
	tests := []struct {
		path, body string
		want       obj
	}{
		{"/_opensom/pupils/7001", `{"email":"een@test.invalid","mobile":""}`,
			obj{"email": "een@test.invalid", "first_name": "Een", "number": 101.0,
				"group_ids": []any{num(grpClass), num(grpNL)}}},
		{"/_opensom/staff/5001", `{"abbrev":"ttt"}`, obj{"abbrev": "ttt", "first_name": "Teun"}},
		{"/_opensom/subjects/4002", `{"name":"wiskunde A"}`, obj{"name": "wiskunde A",
			"abbrev": "wi"}},
		{"/_opensom/groups/6001", `{"pupil_ids":[7003]}`, obj{"pupil_ids": []any{num(pup3)},
			"name": "3a"}},
		{"/_opensom/accounts/8001", `{"username":"een"}`, obj{"username": "een",
			"person_id": num(pup1)}},
		{"/_opensom/lessons/9002", `{"staff_ids":[],"title":"vrij"}`,
			obj{"staff_ids": []any{}, "title": "vrij", "start": "2025-03-11T09:20:00+01:00"}},
		{"/_opensom/grades/10001", `{"value":"8,0","weight":4}`, obj{"value": "8,0",
			"weight": 4.0, "column_id": num(grade1 + 100), "seq": 1.0}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			var got obj
			er.call(t, "PATCH", tc.path, tc.body, 200, &got)
			fields(t, "answer", got, tc.want)
			var read obj
			er.call(t, "GET", tc.path, "", 200, &read)
			fields(t, "read back", read, tc.want)
		})
	}
}

// Bad input is a 400 naming the field, an unknown id a 404 naming it, a
// taken key a 409 naming it; none changes anything.
func TestEditRefused(t *testing.T) {
	er := newEditRig(t)
	tests := []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"no body", "POST", "/_opensom/pupils", ``, 400, "body"},
		{"not JSON", "POST", "/_opensom/pupils", `{"first_name":`, 400, "body"},
		{"an array", "POST", "/_opensom/subjects", `[]`, 400, "body"},
		{"trailing data", "POST", "/_opensom/subjects", `{"abbrev":"x","name":"y"} {}`, 400, "body"},
		{"unknown field", "POST", "/_opensom/pupils", `{"last_name":"x","shoe_size":41}`, 400,
			"shoe_size"},
		{"query parameter", "POST", "/_opensom/pupils?dry=1", `{"last_name":"x"}`, 400, "dry"},
		{"wrong type", "POST", "/_opensom/pupils", `{"last_name":7}`, 400, "last_name"},
		{"no last name", "POST", "/_opensom/pupils", `{"school_id":1001,"first_name":"x"}`, 400,
			"last_name"},
		{"blank last name", "POST", "/_opensom/pupils", `{"school_id":1001,"last_name":" "}`, 400,
			"last_name"},
		{"two schools, none named", "POST", "/_opensom/pupils", `{"last_name":"x"}`, 400,
			"school_id"},
		{"unknown school", "POST", "/_opensom/pupils", `{"school_id":9,"last_name":"x"}`, 404,
			"school_id"},
		{"other school's branch", "POST", "/_opensom/pupils",
			`{"school_id":1001,"last_name":"x","branch_id":2002}`, 404, "branch_id"},
		{"bad gender", "POST", "/_opensom/pupils", `{"school_id":1001,"last_name":"x",` +
			`"gender":"X"}`, 400, "gender"},
		{"bad birth date", "POST", "/_opensom/pupils", `{"school_id":1001,"last_name":"x",` +
			`"birth_date":"2010-02-30"}`, 400, "birth_date"},
		{"zero number", "POST", "/_opensom/staff", `{"school_id":1001,"last_name":"x",` +
			`"number":0}`, 400, "number"},
		{"long name", "POST", "/_opensom/subjects", `{"school_id":1001,"abbrev":"x","name":"` +
			strings.Repeat("n", 201) + `"}`, 400, "name"},
		{"blank name on a change", "PATCH", "/_opensom/subjects/4001", `{"name":""}`, 400, "name"},
		{"blank last name on a change", "PATCH", "/_opensom/pupils/7001", `{"last_name":" "}`, 400,
			"last_name"},
		{"blank photo token", "PATCH", "/_opensom/pupils/7001", `{"photo_token":""}`, 400,
			"photo_token"},
		{"move school", "PATCH", "/_opensom/pupils/7001", `{"school_id":1002}`, 400, "school_id"},
		{"unknown pupil", "PATCH", "/_opensom/pupils/424242", `{"email":""}`, 404, "id"},
		{"get unknown", "GET", "/_opensom/grades/424242", ``, 404, "id"},
		{"not an id", "GET", "/_opensom/grades/abc", ``, 400, "id"},
		{"a grade's id as a lesson", "GET", "/_opensom/lessons/10001", ``, 404, "id"},
		{"group of another school's pupil", "POST", "/_opensom/groups",
			`{"school_id":1001,"name":"x","pupil_ids":[7004]}`, 404, "pupil_ids"},
		{"group of another school's subject", "PATCH", "/_opensom/groups/6001",
			`{"subject_id":4003}`, 404, "subject_id"},
		{"account without role", "POST", "/_opensom/accounts", `{"person_id":7002}`, 400, "role"},
		{"account of a bad role", "POST", "/_opensom/accounts",
			`{"role":"directeur","person_id":7002}`, 400, "role"},
		{"pupil account without pupil", "POST", "/_opensom/accounts", `{"role":"leerling"}`, 400,
			"person_id"},
		{"pupil account of a teacher", "POST", "/_opensom/accounts",
			`{"role":"leerling","person_id":5001}`, 404, "person_id"},
		{"parent without children", "POST", "/_opensom/accounts",
			`{"role":"ouder","username":"o"}`, 400, "pupil_ids"},
		{"children of two schools", "POST", "/_opensom/accounts",
			`{"role":"ouder","username":"o","pupil_ids":[7001,7004]}`, 404, "pupil_ids"},
		{"parent without username", "POST", "/_opensom/accounts",
			`{"role":"ouder","pupil_ids":[7001]}`, 400, "username"},
		{"taken username", "POST", "/_opensom/accounts",
			`{"role":"leerling","person_id":7002,"username":"tes"}`, 409, "username"},
		{"taken pupil number", "POST", "/_opensom/pupils",
			`{"school_id":1001,"first_name":"Nieuw","last_name":"Test","number":102}`, 409, "number"},
		{"pupil number changed to a taken one", "PATCH", "/_opensom/pupils/7001",
			`{"number":103}`, 409, "number"},
		{"taken staff number", "POST", "/_opensom/staff",
			`{"school_id":1001,"first_name":"Nieuw","last_name":"Test","number":1}`, 409, "number"},
		{"username with a backslash", "POST", "/_opensom/accounts",
			`{"role":"leerling","person_id":7002,"username":"a\\b"}`, 400, "username"},
		{"short password", "PATCH", "/_opensom/accounts/8001", `{"password":"abc"}`, 400,
			"password"},
		{"lesson without group", "POST", "/_opensom/lessons", `{"start":"` + monday0830 + `"}`, 400,
			"group_id"},
		{"lesson without start", "POST", "/_opensom/lessons", `{"group_id":6001}`, 400, "start"},
		{"lesson of an unknown group", "POST", "/_opensom/lessons",
			`{"group_id":424242,"start":"` + monday0830 + `"}`, 404, "group_id"},
		{"lesson ends before it starts", "POST", "/_opensom/lessons",
			`{"group_id":6001,"start":"` + monday0830 + `","end":"2025-03-10T08:00:00+01:00"}`,
			400, "end"},
		{"lesson time without zone", "POST", "/_opensom/lessons",
			`{"group_id":6001,"start":"2025-03-10T08:30:00"}`, 400, "start"},
		{"lesson of another school's teacher", "POST", "/_opensom/lessons",
			`{"group_id":6001,"start":"` + monday0830 + `","staff_ids":[5002]}`, 404, "staff_ids"},
		{"lesson of a bad status", "PATCH", "/_opensom/lessons/9001", `{"status":"WEG"}`, 400,
			"status"},
		{"lesson to another group", "PATCH", "/_opensom/lessons/9001", `{"group_id":6001}`, 400,
			"group_id"},
		{"hours reversed", "PATCH", "/_opensom/lessons/9001", `{"begin_hour":3,"end_hour":2}`, 400,
			"end_hour"},
		{"grade without pupil", "POST", "/_opensom/grades", `{"subject_id":4001,"value":"7"}`, 400,
			"pupil_id"},
		{"grade without value", "POST", "/_opensom/grades", `{"pupil_id":7001,"subject_id":4001}`,
			400, "value"},
		{"grade of two decimals", "POST", "/_opensom/grades",
			`{"pupil_id":7001,"subject_id":4001,"value":"7,55"}`, 400, "value"},
		{"grade above ten", "POST", "/_opensom/grades",
			`{"pupil_id":7001,"subject_id":4001,"value":"10,1"}`, 400, "value"},
		{"grade as a number", "POST", "/_opensom/grades",
			`{"pupil_id":7001,"subject_id":4001,"value":7.5}`, 400, "value"},
		{"grade of a long label", "POST", "/_opensom/grades",
			`{"pupil_id":7001,"subject_id":4001,"value":"GOED!"}`, 400, "value"},
		{"grade of an unknown pupil", "POST", "/_opensom/grades",
			`{"pupil_id":424242,"subject_id":4001,"value":"7"}`, 404, "pupil_id"},
		{"grade of another school's subject", "POST", "/_opensom/grades",
			`{"pupil_id":7001,"subject_id":4003,"value":"7"}`, 404, "subject_id"},
		{"grade of a bad type", "POST", "/_opensom/grades",
			`{"pupil_id":7001,"subject_id":4001,"value":"7","type":"Gok"}`, 400, "type"},
		{"grade weight", "POST", "/_opensom/grades",
			`{"pupil_id":7001,"subject_id":4001,"value":"7","weight":-1}`, 400, "weight"},
		{"grade period", "PATCH", "/_opensom/grades/10001", `{"period":5}`, 400, "period"},
		{"grade to another pupil", "PATCH", "/_opensom/grades/10001", `{"pupil_id":7002}`, 400,
			"pupil_id"},
		{"homework placed twice", "POST", "/_opensom/homework",
			`{"lesson_id":9001,"date":"2025-03-12","group_id":6001}`, 400, "lesson_id"},
		{"homework placed nowhere", "POST", "/_opensom/homework", `{"topic":"x"}`, 400,
			"lesson_id"},
		{"homework on a day without group", "POST", "/_opensom/homework",
			`{"date":"2025-03-12"}`, 400, "group_id"},
		{"homework on a lesson and a group", "POST", "/_opensom/homework",
			`{"lesson_id":9001,"group_id":6001}`, 400, "group_id"},
		{"homework on an unknown lesson", "POST", "/_opensom/homework",
			`{"lesson_id":424242}`, 404, "lesson_id"},
		{"homework in week 54", "POST", "/_opensom/homework",
			`{"group_id":6001,"week":"2025-W54"}`, 400, "week"},
		{"homework in week 53 of 2025", "POST", "/_opensom/homework",
			`{"group_id":6001,"week":"2025-W53"}`, 400, "week"},
		{"homework until an earlier week", "POST", "/_opensom/homework",
			`{"group_id":6001,"week":"2025-W12","until_week":"2025-W11"}`, 400, "until_week"},
		{"homework of a bad type", "POST", "/_opensom/homework",
			`{"group_id":6001,"date":"2025-03-12","type":"LEZEN"}`, 400, "type"},
		{"homework moved", "PATCH", "/_opensom/homework/424242", `{"topic":"x"}`, 404, "id"},
		{"absence without reason", "POST", "/_opensom/absences", `{"pupil_id":7001}`, 400,
			"reason"},
		{"absence of another school's reason", "POST", "/_opensom/absences",
			`{"pupil_id":7001,"reason":"XX"}`, 400, "reason"},
		{"absence of an unknown pupil", "POST", "/_opensom/absences",
			`{"pupil_id":424242,"reason":"ZK"}`, 404, "pupil_id"},
		{"absence ending before it starts", "POST", "/_opensom/absences",
			`{"pupil_id":7001,"reason":"ZK","end":"2025-03-10T09:00:00+01:00"}`, 400, "end"},
		{"absence of another school's teacher", "POST", "/_opensom/absences",
			`{"pupil_id":7001,"reason":"ZK","staff_id":5002}`, 404, "staff_id"},
		{"observation without registration", "POST", "/_opensom/observations",
			`{"pupil_id":7001,"lesson_id":9001}`, 400, "registration"},
		{"observation of a bad registration", "POST", "/_opensom/observations",
			`{"pupil_id":7001,"lesson_id":9001,"registration":"Ziek"}`, 400, "registration"},
		{"observation of a pupil not in the lesson", "POST", "/_opensom/observations",
			`{"pupil_id":7002,"lesson_id":9001,"registration":"TeLaat"}`, 400, "pupil_id"},
		{"observation of another school's pupil", "POST", "/_opensom/observations",
			`{"pupil_id":7004,"lesson_id":9001,"registration":"TeLaat"}`, 404, "pupil_id"},
		{"observation of an unknown lesson", "POST", "/_opensom/observations",
			`{"pupil_id":7001,"lesson_id":424242,"registration":"TeLaat"}`, 404, "lesson_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			er.refused(t, tc.method, tc.path, tc.body, tc.status, tc.field)
		})
	}
}

// Deleting what others refer to is a 409 that says what, and changes
// nothing; the rest goes, and is then unknown.
func TestEditDelete(t *testing.T) {
	er := newEditRig(t)
	before := er.state(t)
	resp, b := er.admin(t, "DELETE", "/_opensom/pupils/7001", "")
	if resp.StatusCode != 409 {
		t.Fatalf("delete a pupil with grades: %d %s", resp.StatusCode, b)
	}
	want := `"field":"id","referenced_by":[{"what":"grades","count":2,"ids":[10001,10002]},` +
		`{"what":"groups","count":2,"ids":[6001,6002]},{"what":"accounts","count":1,"ids":[8001]}]`
	if !bytes.Contains(b, []byte(want)) {
		t.Fatalf("409 body %s\nwant it to hold %s", b, want)
	}
	er.unchanged(t, before)
	er.refused(t, "DELETE", "/_opensom/subjects/4001", "", 409, "id")
	er.refused(t, "DELETE", "/_opensom/groups/6002", "", 409, "id")
	er.refused(t, "DELETE", "/_opensom/staff/5001", "", 409, "id")
	er.refused(t, "DELETE", "/_opensom/pupils/7001?force=1", "", 400, "force")
	er.refused(t, "DELETE", "/_opensom/pupils/7003", `{"x":1}`, 400, "x")

	for _, path := range []string{"/_opensom/grades/10002", "/_opensom/pupils/7003",
		"/_opensom/accounts/8001", "/_opensom/lessons/9002"} {
		er.call(t, "DELETE", path, "", 204, nil)
		er.refused(t, "GET", path, "", 404, "id")
		er.refused(t, "DELETE", path, "", 404, "id")
	}
}

// Members come and go one at a time, and the pupil shows its groups.
func TestEditMembers(t *testing.T) {
	er := newEditRig(t)
	var g obj
	er.call(t, "PUT", "/_opensom/groups/6002/pupils/7003", "", 200, &g)
	fields(t, "after PUT", g, obj{"pupil_ids": []any{num(pup1), num(pup3)}})
	er.call(t, "PUT", "/_opensom/groups/6002/pupils/7003", "", 200, &g)
	er.call(t, "DELETE", "/_opensom/groups/6002/pupils/7001", "", 200, &g)
	fields(t, "after DELETE", g, obj{"pupil_ids": []any{num(pup3)}})
	var p obj
	er.call(t, "GET", "/_opensom/pupils/7003", "", 200, &p)
	fields(t, "pupil", p, obj{"group_ids": []any{num(grpNL)}})

	er.refused(t, "PUT", "/_opensom/groups/6002/pupils/7004", "", 404, "pupil")
	er.refused(t, "PUT", "/_opensom/groups/6002/pupils/424242", "", 404, "pupil")
	er.refused(t, "PUT", "/_opensom/groups/424242/pupils/7001", "", 404, "id")
	er.refused(t, "PUT", "/_opensom/groups/6002/pupils/x", "", 400, "pupil")
}

// A lesson is cancelled and reinstated with its id and times, and moved
// in time and room; its homework moves along.
func TestEditLessonDay(t *testing.T) {
	er := newEditRig(t)
	hw := er.created(t, "/_opensom/homework", `{"lesson_id":9001}`)

	var l obj
	er.call(t, "POST", "/_opensom/lessons/9001/cancel", "", 200, &l)
	fields(t, "cancelled", l, obj{"id": num(lesMon), "status": "VERVALLEN", "start": monday0830})
	er.call(t, "POST", "/_opensom/lessons/9001/cancel", "{}", 200, &l)
	er.call(t, "POST", "/_opensom/lessons/9001/reinstate", "", 200, &l)
	fields(t, "reinstated", l, obj{"status": "ACTIEF"})

	er.call(t, "POST", "/_opensom/lessons/9001/move",
		`{"start":"2025-03-10T13:00:00+01:00","location":"B7"}`, 200, &l)
	fields(t, "moved", l, obj{"start": "2025-03-10T13:00:00+01:00",
		"end": "2025-03-10T13:50:00+01:00", "location": "B7", "title": "B7 - 3a - tes"})
	var h obj
	er.call(t, "GET", fmt.Sprintf("/_opensom/homework/%.0f", hw["id"]), "", 200, &h)
	fields(t, "homework of the moved lesson", h, obj{"due": "2025-03-10T13:00:00+01:00"})

	er.refused(t, "POST", "/_opensom/lessons/9001/move", `{}`, 400, "body")
	er.refused(t, "POST", "/_opensom/lessons/9001/move", `{"group_id":6001}`, 400, "group_id")
	er.refused(t, "POST", "/_opensom/lessons/9001/move", `{"end":"2025-03-10T12:00:00+01:00"}`,
		400, "end")
	er.refused(t, "POST", "/_opensom/lessons/424242/cancel", "", 404, "id")
	er.refused(t, "POST", "/_opensom/lessons/9001/cancel", `{"why":"ziek"}`, 400, "why")
	er.refused(t, "POST", "/_opensom/lessons/9001/cancel?now=1", "", 400, "now")
}

// The schools are listed, and their switches read and set by id or uuid.
func TestEditSwitches(t *testing.T) {
	er := newEditRig(t)
	var list struct{ Schools []obj }
	er.call(t, "GET", "/_opensom/schools", "", 200, &list)
	if len(list.Schools) != 2 || list.Schools[0]["uuid"] != uuidSchA {
		t.Fatalf("schools %v", list.Schools)
	}
	var sw struct{ Switches map[string]bool }
	er.call(t, "PATCH", "/_opensom/schools/"+uuidSchA+"/switches",
		`{"cijfersBekijkenAan":false,"roosterBekijkenAan":true}`, 200, &sw)
	if sw.Switches["cijfersBekijkenAan"] || !sw.Switches["roosterBekijkenAan"] ||
		len(sw.Switches) != len(school.SwitchNames) {
		t.Fatalf("switches %v", sw.Switches)
	}
	er.call(t, "GET", "/_opensom/schools/1001/switches", "", 200, &sw)
	if sw.Switches["cijfersBekijkenAan"] {
		t.Fatal("the switch did not stay off")
	}
	er.refused(t, "PATCH", "/_opensom/schools/1001/switches", `{"cijfersAan":false}`, 400,
		"cijfersAan")
	er.refused(t, "PATCH", "/_opensom/schools/1001/switches", `{"cijfersBekijkenAan":"nee"}`,
		400, "cijfersBekijkenAan")
	er.refused(t, "PATCH", "/_opensom/schools/1001/switches", `{"cijfersBekijkenAan":null}`,
		400, "cijfersBekijkenAan")
	er.refused(t, "PATCH", "/_opensom/schools/1001/switches", `{}`, 400, "body")
	er.refused(t, "PATCH", "/_opensom/schools/9/switches", `{"cijfersBekijkenAan":true}`, 404,
		"school")
	er.refused(t, "GET", "/_opensom/schools/nope/switches", "", 404, "school")
}

// Snapshots save, list, restore and delete by name.
func TestEditSnapshots(t *testing.T) {
	er := newEditRig(t)
	var snap obj
	er.call(t, "POST", "/_opensom/snapshots/begin", "", 201, &snap)
	fields(t, "saved", snap, obj{"name": "begin", "schools": 2.0, "pupils": 4.0,
		"created": editNowRFC})
	saved := er.state(t)
	er.call(t, "POST", "/_opensom/snapshots/begin", "", 200, nil)

	er.call(t, "POST", "/_opensom/lessons/9001/cancel", "", 200, nil)
	er.call(t, "DELETE", "/_opensom/grades/10001", "", 204, nil)
	er.created(t, "/_opensom/subjects", `{"school_id":1002,"abbrev":"x","name":"x"}`)

	er.call(t, "POST", "/_opensom/snapshots/begin/restore", "", 200, &snap)
	fields(t, "restored", snap, obj{"name": "begin", "pupils": 4.0})
	after := er.state(t)
	if after.version <= saved.version {
		t.Error("restore did not move the data version")
	}
	if !reflect.DeepEqual(after.world, saved.world) {
		t.Fatal("restore did not bring the saved data back")
	}

	var list struct{ Snapshots []obj }
	er.call(t, "POST", "/_opensom/snapshots/a.b_c-1", "", 201, nil)
	er.call(t, "GET", "/_opensom/snapshots", "", 200, &list)
	if len(list.Snapshots) != 2 || list.Snapshots[0]["name"] != "a.b_c-1" {
		t.Fatalf("list %v", list.Snapshots)
	}
	er.call(t, "DELETE", "/_opensom/snapshots/a.b_c-1", "", 204, nil)

	for _, tc := range []struct {
		method, path, body string
		status             int
		field              string
	}{
		{"POST", "/_opensom/snapshots/-x", "", 400, "name"},
		{"POST", "/_opensom/snapshots/" + strings.Repeat("x", 65), "", 400, "name"},
		{"POST", "/_opensom/snapshots/a%20b", "", 400, "name"},
		{"POST", "/_opensom/snapshots/x", `{"all":true}`, 400, "all"},
		{"POST", "/_opensom/snapshots/nope/restore", "", 404, "name"},
		{"POST", "/_opensom/snapshots/begin/restore?dry=1", "", 400, "dry"},
		{"DELETE", "/_opensom/snapshots/nope", "", 404, "name"},
		{"GET", "/_opensom/snapshots?name=x", "", 400, "name"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			er.refused(t, tc.method, tc.path, tc.body, tc.status, tc.field)
		})
	}
}

// failing is a store whose writes fail with an error that tells what a
// client must never read.
type failing struct {
	school.Store
}

var errSecret = errors.New("pq: relation secret_table_xyz does not exist")

func (failing) PutSubject(context.Context, school.Subject) (school.Subject, error) {
	return school.Subject{}, errSecret
}

func (failing) SaveSnapshot(context.Context, string, time.Time) (school.SnapshotInfo, bool,
	error) {
	return school.SnapshotInfo{}, false, errSecret
}

func (failing) Delete(context.Context, school.Entity, school.ID, school.ID) error {
	return fmt.Errorf("delete: %w", errSecret)
}

// A store's failure is a 500 that says nothing of it, logged once at
// Error with the route.
func TestEditInternalError(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	er := newEditRig(t)
	rg := newRig(t, func(o *admin.Options) {
		o.Store, o.Log = failing{er.store}, log
	})
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/_opensom/subjects", `{"school_id":1001,"abbrev":"x","name":"y"}`},
		{"POST", "/_opensom/snapshots/s", ""},
		{"DELETE", "/_opensom/grades/10001", ""},
	} {
		logs.Reset()
		resp, b := rg.admin(t, c.method, c.path, c.body)
		if resp.StatusCode != 500 || strings.TrimSpace(string(b)) != `{"error":"internal error"}` {
			t.Fatalf("%s %s: %d %s, want 500 and the fixed body", c.method, c.path,
				resp.StatusCode, b)
		}
		if !strings.Contains(logs.String(), "secret_table_xyz") ||
			!strings.Contains(logs.String(), `"level":"ERROR"`) ||
			!strings.Contains(logs.String(), `"route":"`+c.method+" /_opensom/") {
			t.Fatalf("log %s: want the cause at Error with the route", logs.String())
		}
	}
}

// Every kind of entity lives through a create, a change and a delete,
// after which its id is unknown.
func TestEditLifecycle(t *testing.T) {
	er := newEditRig(t)
	tests := []struct {
		path, create, change string
		want                 obj
	}{
		{"/_opensom/pupils", `{"school_id":1002,"last_name":"Weg"}`, `{"gender":"Man"}`,
			obj{"gender": "Man", "branch_id": num(brB)}},
		{"/_opensom/staff", `{"school_id":1002,"last_name":"Weg"}`, `{"initials":"W."}`,
			obj{"initials": "W.", "abbrev": "we"}},
		{"/_opensom/subjects", `{"school_id":1002,"abbrev":"x","name":"x"}`, `{"abbrev":"y"}`,
			obj{"abbrev": "y"}},
		{"/_opensom/groups", `{"school_id":1002,"name":"x"}`, `{"pupil_ids":[7004]}`,
			obj{"pupil_ids": []any{num(pupB)}, "year_id": num(yrB)}},
		{"/_opensom/accounts", `{"role":"ouder","pupil_ids":[7004],"username":"o"}`,
			`{"first_name":"Olga"}`, obj{"first_name": "Olga", "school_id": num(schB)}},
		{"/_opensom/lessons", `{"group_id":6003,"start":"2025-03-13T10:00:00+01:00"}`,
			`{"end":"2025-03-13T12:00:00+01:00","begin_hour":2,"end_hour":3}`,
			obj{"end": "2025-03-13T12:00:00+01:00", "end_hour": 3.0, "subject_id": 0.0}},
		{"/_opensom/grades", `{"pupil_id":7004,"subject_id":4003,"value":"5"}`,
			`{"value":"5,5","not_counting":true}`, obj{"value": "5,5", "not_counting": true}},
		{"/_opensom/homework", `{"lesson_id":9003}`, `{"topic":"Kaart","description":"<p>x</p>"}`,
			obj{"topic": "Kaart", "lesson_id": num(lesB)}},
		{"/_opensom/absences", `{"pupil_id":7004,"reason":"ZK","end":"2025-03-11T10:00:00+01:00"}`,
			`{"end":"","handled":true}`, obj{"end": "", "handled": true, "reason_id": num(reasonB)}},
		{"/_opensom/observations", `{"pupil_id":7004,"lesson_id":9003,"registration":"TeLaat"}`,
			`{"registration":"Verwijderd","handled":true}`,
			obj{"registration": "Verwijderd", "kind": "Afwezig", "staff_id": num(teachB)}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			path := fmt.Sprintf("%s/%.0f", tc.path, er.created(t, tc.path, tc.create)["id"])
			var got obj
			er.call(t, "PATCH", path, tc.change, 200, &got)
			fields(t, "changed", got, tc.want)
			er.call(t, "DELETE", path, "", 204, nil)
			er.refused(t, "GET", path, "", 404, "id")
			er.refused(t, "PATCH", path, tc.change, 404, "id")
		})
	}
}

// What places an entity cannot change: a new one is made instead.
func TestEditPlacementFixed(t *testing.T) {
	er := newEditRig(t)
	hw := fmt.Sprintf("/_opensom/homework/%.0f",
		er.created(t, "/_opensom/homework", `{"group_id":6001,"date":"2025-03-12"}`)["id"])
	abs := fmt.Sprintf("/_opensom/absences/%.0f",
		er.created(t, "/_opensom/absences", `{"pupil_id":7001,"reason":"ZK"}`)["id"])
	obs := fmt.Sprintf("/_opensom/observations/%.0f", er.created(t, "/_opensom/observations",
		`{"pupil_id":7001,"lesson_id":9001,"registration":"TeLaat"}`)["id"])
	for _, tc := range []struct{ path, body, field string }{
		{hw, `{"date":"2025-03-13"}`, "date"},
		{hw, `{"lesson_id":9001}`, "lesson_id"},
		{hw, `{"until_week":"2025-W13"}`, "until_week"},
		{abs, `{"pupil_id":7002}`, "pupil_id"},
		{abs, `{"reason":"XX"}`, "reason"},
		{obs, `{"lesson_id":9002}`, "lesson_id"},
		{obs, `{"registration":"Weg"}`, "registration"},
	} {
		t.Run(tc.path+" "+tc.body, func(t *testing.T) {
			er.refused(t, "PATCH", tc.path, tc.body, 400, tc.field)
		})
	}
}
