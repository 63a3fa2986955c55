package world

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"
)

// TestSchemaKeys: docs/world.schema.json knows exactly the keys that the
// document types read, object by object, so that the two cannot drift.
func TestSchemaKeys(t *testing.T) {
	b, err := os.ReadFile("../../docs/world.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var sch struct {
		Properties map[string]any            `json:"properties"`
		Defs       map[string]map[string]any `json:"$defs"`
	}
	if err := json.Unmarshal(b, &sch); err != nil {
		t.Fatal(err)
	}
	props := func(def map[string]any) []string {
		var out []string
		for k := range def["properties"].(map[string]any) {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	oneOf := func(name string, i int) map[string]any {
		return sch.Defs[name]["oneOf"].([]any)[i].(map[string]any)
	}
	change := sch.Defs["change"]["properties"].(map[string]any)["moveTo"].(map[string]any)
	tests := []struct {
		name string
		typ  reflect.Type
		def  map[string]any
	}{
		{"file", reflect.TypeFor[fileDoc](), map[string]any{"properties": sch.Properties}},
		{"school", reflect.TypeFor[schoolDoc](), sch.Defs["school"]},
		{"oidc", reflect.TypeFor[oidcDoc](), sch.Defs["oidc"]},
		{"branch", reflect.TypeFor[branchDoc](), sch.Defs["branch"]},
		{"year", reflect.TypeFor[yearDoc](), sch.Defs["year"]},
		{"holiday", reflect.TypeFor[holidayDoc](), sch.Defs["holiday"]},
		{"subject", reflect.TypeFor[subjectDoc](), sch.Defs["subject"]},
		{"staff", reflect.TypeFor[staffDoc](), sch.Defs["staff"]},
		{"group", reflect.TypeFor[groupDoc](), sch.Defs["group"]},
		{"pupil", reflect.TypeFor[pupilDoc](), sch.Defs["pupil"]},
		{"parent", reflect.TypeFor[parentDoc](), sch.Defs["parent"]},
		{"slot", reflect.TypeFor[slotDoc](), sch.Defs["slot"]},
		{"lesson", reflect.TypeFor[lessonDoc](), sch.Defs["lesson"]},
		{"change", reflect.TypeFor[changeDoc](), sch.Defs["change"]},
		{"moveTo", reflect.TypeFor[whenDoc](), change},
		{"test", reflect.TypeFor[testDoc](), sch.Defs["test"]},
		{"reason", reflect.TypeFor[reasonDoc](), sch.Defs["reason"]},
		{"absence", reflect.TypeFor[absenceDoc](), sch.Defs["absence"]},
		{"observation", reflect.TypeFor[observeDoc](), sch.Defs["observation"]},
		{"measure", reflect.TypeFor[measureDoc](), sch.Defs["measure"]},
		{"homework", reflect.TypeFor[homeworkDoc](), sch.Defs["homework"]},
		{"message", reflect.TypeFor[messageDoc](), sch.Defs["message"]},
		{"name", reflect.TypeFor[nameDoc](), oneOf("personName", 1)},
		{"grade", reflect.TypeFor[gradeDoc](), oneOf("gradeValue", 2)},
	}
	for _, tc := range tests {
		var keys []string
		for k := range fields(tc.typ) {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if got := props(tc.def); !slices.Equal(got, keys) {
			t.Errorf("%s: the schema has keys %v, the loader reads %v", tc.name, got, keys)
		}
	}
	// A class is a group without subject and classes.
	class := props(sch.Defs["class"])
	group := props(sch.Defs["group"])
	for _, k := range class {
		if !slices.Contains(group, k) {
			t.Errorf("class: key %q is not a group key", k)
		}
	}
}
