package world_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/opensom/opensom/internal/world"
)

// schema compiles docs/world.schema.json.
func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../../docs/world.schema.json")
	if err != nil {
		t.Fatalf("compile the schema: %v", err)
	}
	return sch
}

// validate checks a YAML or JSON text against the schema.
func validate(t *testing.T, sch *jsonschema.Schema, text []byte) error {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(toJSON(t, text)))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(doc)
}

// TestExamples: every example validates against the schema and loads, on
// a fixed day and today.
func TestExamples(t *testing.T) {
	sch := schema(t)
	files, err := filepath.Glob("../../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("examples: %v, want the minimal and the full one at least", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, sch, text); err != nil {
				t.Errorf("does not validate against docs/world.schema.json: %v", err)
			}
			for _, at := range []time.Time{now, time.Now()} {
				w, err := world.Load(f, text, world.Options{Now: at})
				if err != nil {
					t.Fatalf("load on %s: %v", at.Format(time.DateOnly), err)
				}
				if len(w.Schools) == 0 || len(w.Accounts) == 0 {
					t.Errorf("load on %s: no school or no account", at.Format(time.DateOnly))
				}
			}
		})
	}
}

// TestSchemaRefuses: the schema is as strict as the loader about keys and
// kinds of values, so an editor flags what opensom would refuse.
func TestSchemaRefuses(t *testing.T) {
	sch := schema(t)
	for name, text := range map[string]string{
		"unknown key":        "schools: [{name: a, colour: red}]",
		"no schools":         "version: 1",
		"pupil without name": "schools: [{name: a, pupils: [{number: 1}]}]",
		"grade too high":     "schools: [{name: a, tests: [{group: g, name: t, date: today, grades: {1: 11}}]}]",
		"bad switch":         "schools: [{name: a, switches: {cijfersAan: true}}]",
		"bad weekday kind":   "schools: [{name: a, timetable: [{day: monday, group: g, weeks: some}]}]",
	} {
		if err := validate(t, sch, []byte(text)); err == nil {
			t.Errorf("%s: the schema accepts %q", name, text)
		}
	}
	if err := validate(t, sch, []byte(strings.TrimSpace(`
schools: [{name: a, pupils: [{name: {first: A, last: B}, groups: g1}]}]`))); err != nil {
		t.Errorf("the schema refuses a good file: %v", err)
	}
}
