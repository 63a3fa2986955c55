package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/server"
	"github.com/opensom/opensom/internal/world"
)

// worldNow is a Wednesday in the school year 2024/2025.
var worldNow = time.Date(2025, time.March, 5, 10, 0, 0, 0, school.Amsterdam)

// worldFile is a small school written as a world file.
const worldFile = `schools:
  - name: Het Wereldcollege
    tenant: wereld
    uuid: 5c0f6a84-4a0a-4d7e-9a39-0c4f5e0e6b01
    holidays: []
    subjects: [{abbrev: wisA, name: wiskunde A}]
    staff: [{abbrev: jvr, name: Jan de Vries}]
    classes: [{name: 4havo-a}]
    groups: [{name: 4h-wisA1, subject: wisA, classes: 4havo-a}]
    pupils:
      - {name: Emma de Jong, number: 203001, class: 4havo-a, password: boot-vogel-80}
    timetable:
      - {day: monday, hour: 1, group: 4h-wisA1, teacher: jvr, room: A101}
      - {day: wednesday, hour: 2, group: 4h-wisA1, teacher: jvr, room: A101}
    changes:
      - {group: 4h-wisA1, date: 2025-03-03, cancelled: true}
    tests:
      - {group: 4h-wisA1, name: SO hoofdstuk 1, kind: SO, date: 2025-02-10, grades: {203001: 7.8}}
      - {group: 4h-wisA1, name: PW hoofdstuk 2, weight: 3, date: 2025-02-20,
         grades: {203001: 6.4}}
`

const worldTenant = "5c0f6a84-4a0a-4d7e-9a39-0c4f5e0e6b01"

func writeWorld(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// startWorld serves the world file at path as `opensom serve --world`
// does, with the admin API open to the token "admin".
func startWorld(t *testing.T, path string) *env {
	t.Helper()
	w, err := world.LoadFile(path, world.Options{Now: worldNow})
	if err != nil {
		t.Fatal(err)
	}
	return start(t, w, worldNow, func(c *config.Config) {
		c.World = path
		c.AdminToken = "admin"
	})
}

// reset calls POST /_opensom/reset and returns status and body.
func (e *env) reset(t *testing.T) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", e.url+"/_opensom/reset", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("reset answered %d %s", resp.StatusCode, b)
	}
	return resp.StatusCode, m
}

// TestWorldFile: a world file's pupil logs in and reads its grades and
// lessons through the REST API; a reset goes back to the file, picking up
// its changes, and a file with problems resets nothing.
func TestWorldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.yaml")
	writeWorld(t, path, worldFile)
	e := startWorld(t, path)

	tok := e.login(t, worldTenant, "203001", "boot-vogel-80").AccessToken
	_, me := e.getJSON(t, "/rest/v1/leerlingen", tok)
	pupil := selfID(t, items(t, me)[0])

	_, grades := e.getJSON(t, fmt.Sprintf("/rest/v1/resultaten/huidigVoorLeerling/%d", pupil), tok)
	got := map[string]string{}
	for _, g := range items(t, grades) {
		desc, _ := g["omschrijving"].(string)
		typ, _ := g["type"].(string)
		got[typ+" "+desc], _ = g["resultaat"].(string)
	}
	for k, v := range map[string]string{
		"Toetskolom SO hoofdstuk 1": "7.8", "Toetskolom PW hoofdstuk 2": "6.4",
		// (7.8 + 3*6.4) / 4 = 6.75, rounded half up.
		"PeriodeGemiddeldeKolom ": "6.8", "RapportGemiddeldeKolom ": "6.8",
	} {
		if got[k] != v {
			t.Errorf("grade %q = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}

	_, week := e.getJSON(t, "/rest/v1/afspraken?begindatum=2025-03-03&einddatum=2025-03-09", tok)
	lessons := items(t, week)
	if len(lessons) != 2 {
		t.Fatalf("%d lessons in the week, want Monday's and Wednesday's: %v", len(lessons), lessons)
	}
	if lessons[0]["afspraakStatus"] != "VERVALLEN" || lessons[1]["afspraakStatus"] != "ACTIEF" ||
		lessons[1]["locatie"] != "A101" {
		t.Errorf("lessons = %v, want Monday's cancelled and Wednesday's in A101", lessons)
	}

	// A pupil added to the file comes in with a reset.
	writeWorld(t, path, strings.Replace(worldFile, "    pupils:\n", "    pupils:\n"+
		"      - {name: Daan Bos, number: 203002, class: 4havo-a, password: kaas-molen-31}\n", 1))
	if code, body := e.reset(t); code != 200 || body["pupils"] != 2.0 {
		t.Fatalf("reset = %d %v, want 200 with two pupils", code, body)
	}
	e.login(t, worldTenant, "203002", "kaas-molen-31")

	// A file with problems now: 400 naming them, and the world stays.
	writeWorld(t, path, strings.Replace(worldFile, "class: 4havo-a,", "class: 4B,", 1))
	code, body := e.reset(t)
	problems, _ := body["problems"].([]any)
	want := path + `:11: schools[0].pupils[0].class: no group "4B"`
	if code != 400 || len(problems) != 1 || problems[0] != want {
		t.Fatalf("reset of a bad file = %d %v, want 400 with %q", code, body, want)
	}
	e.login(t, worldTenant, "203002", "kaas-molen-31")
}

// TestOpenStoreWorld: serve --world fills an empty database, keeps a
// database that holds the same world, and refuses one that holds another;
// a file with problems opens nothing.
func TestOpenStoreWorld(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	dir := t.TempDir()
	path := filepath.Join(dir, "w.yaml")
	writeWorld(t, path, worldFile)
	cfg := config.Default()
	cfg.DB = filepath.Join(dir, "w.db")
	cfg.World = path

	open := func(c config.Config) (int64, error) {
		t.Helper()
		st, err := server.OpenStore(ctx, c, log, worldNow)
		if err != nil {
			return 0, err
		}
		defer st.Close()
		return st.DataVersion(ctx)
	}
	first, err := open(cfg)
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	// Another day, another layout of the same content: the same world,
	// and nothing is imported again.
	writeWorld(t, path, "# the same school\n"+strings.ReplaceAll(worldFile, "{abbrev: jvr, name: Jan de Vries}",
		"{name: Jan de Vries, abbrev: jvr}"))
	again, err := open(cfg)
	if err != nil || again != first {
		t.Fatalf("second start: version %d, %v; want %d, nil", again, err, first)
	}

	writeWorld(t, path, strings.Replace(worldFile, "Emma de Jong", "Emma de Wit", 1))
	if _, err := open(cfg); !errors.Is(err, server.ErrOtherWorld) ||
		!strings.Contains(err.Error(), "fresh --db") {
		t.Errorf("start on a changed file: %v, want ErrOtherWorld telling to use a fresh --db", err)
	}

	demoDB := cfg
	demoDB.DB, demoDB.World = filepath.Join(dir, "demo.db"), ""
	if _, err := open(demoDB); err != nil {
		t.Fatal(err)
	}
	demoDB.World = path
	if _, err := open(demoDB); !errors.Is(err, server.ErrOtherWorld) ||
		!strings.Contains(err.Error(), "the demo world") {
		t.Errorf("world file on the demo's database: %v, want ErrOtherWorld", err)
	}

	bad := cfg
	bad.DB = filepath.Join(dir, "never.db")
	writeWorld(t, path, "schools: [{name: x, colour: red}]\n")
	_, err = open(bad)
	var we *world.Errors
	if !errors.As(err, &we) || len(we.Problems) != 1 {
		t.Errorf("bad file: %v, want its one problem", err)
	}
	if _, err := os.Stat(bad.DB); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a bad file created the database (%v)", err)
	}
}
