package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/store/sqlstore"
)

// seedArgs seed a small world: two schools with a history year, on a fixed
// date.
func seedArgs(db string, more ...string) []string {
	return append([]string{"seed", "--db", db, "--schools", "2", "--pupils", "40",
		"--years", "2", "--now", "2026-11-18", "--progress", "none"}, more...)
}

// runSeed runs opensom with args and returns its error and output.
func runSeed(t *testing.T, args []string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

// notSchoolData are the tables that hold no world: the schema's record,
// the server's keys and secrets, tokens, counters and the data version.
var notSchoolData = map[string]bool{
	"schema_migrations": true, "data_version": true, "signing_keys": true,
	"server_secrets": true, "token_families": true, "refresh_tokens": true,
	"auth_codes": true, "login_attempts": true, "rate_buckets": true,
	"sqlite_sequence": true,
}

// dumpHash hashes every row of every school-data table of a SQLite file,
// tables by name and rows by all their columns, and counts the rows.
func dumpHash(t *testing.T, file string) (string, int) {
	t.Helper()
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tables, err := db.QueryContext(ctx,
		`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			t.Fatal(err)
		}
		if !notSchoolData[n] {
			names = append(names, n)
		}
	}
	if err := tables.Err(); err != nil {
		t.Fatal(err)
	}
	tables.Close()

	h := sha256.New()
	total := 0
	for _, name := range names {
		total += dumpTable(t, db, name, h)
	}
	return hex.EncodeToString(h.Sum(nil)), total
}

// dumpTable writes the table's rows to h, ordered by every column.
func dumpTable(t *testing.T, db *sql.DB, name string, h interface{ Write([]byte) (int, error) }) int {
	t.Helper()
	ctx := context.Background()
	probe, err := db.QueryContext(ctx, "SELECT * FROM "+name+" LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := probe.Columns()
	probe.Close()
	if err != nil {
		t.Fatal(err)
	}
	order := make([]string, len(cols))
	for i := range cols {
		order[i] = fmt.Sprint(i + 1)
	}
	rows, err := db.QueryContext(ctx,
		"SELECT * FROM "+name+" ORDER BY "+strings.Join(order, ", "))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	fmt.Fprintf(h, "table %s %v\n", name, cols)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(h, "%T:%v|", v, v)
		}
		h.Write([]byte("\n"))
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSeedDeterministic: the same flags give the same world byte for
// byte, in two files; another seed gives another world; and --replace on a
// filled database gives what an empty one gets.
func TestSeedDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")
	for _, db := range []string{a, b} {
		if out, err := runSeed(t, seedArgs(db)); err != nil {
			t.Fatalf("seed %s: %v\n%s", db, err, out)
		}
	}
	ha, rows := dumpHash(t, a)
	if hb, _ := dumpHash(t, b); hb != ha {
		t.Fatalf("two seeds with the same flags differ: %s and %s", ha, hb)
	}
	if rows < 10_000 {
		t.Fatalf("the seeded world has %d rows: too few to mean anything", rows)
	}

	if out, err := runSeed(t, seedArgs(c, "--seed", "7")); err != nil {
		t.Fatalf("seed 7: %v\n%s", err, out)
	}
	if hc, _ := dumpHash(t, c); hc == ha {
		t.Fatal("another seed gives the same world")
	}
	if out, err := runSeed(t, seedArgs(c, "--replace")); err != nil {
		t.Fatalf("seed --replace: %v\n%s", err, out)
	}
	if hc, _ := dumpHash(t, c); hc != ha {
		t.Fatal("--replace on a seeded database gives another world than an empty one gets")
	}
}

// TestSeedRefusesNonEmpty: a database that holds a school, the demo world
// here, is left alone without --replace.
func TestSeedRefusesNonEmpty(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	// accounts fills an empty database with the demo world.
	if out, err := runSeed(t, []string{"accounts", "--db", db}); err != nil {
		t.Fatalf("accounts: %v\n%s", err, out)
	}
	before, _ := dumpHash(t, db)

	out, err := runSeed(t, seedArgs(db))
	if err == nil || !strings.Contains(err.Error(), "--replace") ||
		!strings.Contains(err.Error(), "already holds a school") {
		t.Fatalf("seed on the demo world: %v, want a refusal that names --replace\n%s", err, out)
	}
	if after, _ := dumpHash(t, db); after != before {
		t.Fatal("the refused seed changed the database")
	}
}

func TestSeedFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // each must be in the error
	}{
		{"no schools", seedArgs(db, "--schools", "0"), nil,
			[]string{"schools: want 1 to 300, got 0"}},
		{"too many pupils", seedArgs(db, "--pupils", "9999"), nil,
			[]string{"pupils: want 1 to 5000, got 9999"}},
		{"no years", seedArgs(db, "--years", "0"), nil, []string{"years: want 1 to 6"}},
		{"all at once", seedArgs(db, "--schools", "-1", "--years", "7"), nil,
			[]string{"schools", "years"}},
		{"not a date", seedArgs(db, "--now", "2026-02-30"), nil,
			[]string{`now: want a date yyyy-mm-dd, got "2026-02-30"`}},
		{"progress", seedArgs(db, "--progress", "loud"), nil, []string{"progress: want auto"}},
		{"memory", seedArgs(":memory:"), nil, []string{"db: a world seeded in memory"}},
		{"not a number", seedArgs(db, "--pupils", "many"), nil, []string{"invalid value"}},
		{"an argument", seedArgs(db, "extra"), nil, []string{`unexpected argument "extra"`}},
		{"a variable", seedArgs(db), map[string]string{"OPENSOM_YEARS": "x"},
			[]string{"OPENSOM_YEARS"}},
		{"a variable out of range", []string{"seed", "--db", db}, map[string]string{
			"OPENSOM_SCHOOLS": "500"}, []string{"schools: want 1 to 300, got 500"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out, err := runSeed(t, tc.args)
			if err == nil {
				t.Fatalf("seed %v succeeded\n%s", tc.args, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error()+out, w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if n := strings.Count(err.Error(), "now:"); n > 1 {
				t.Errorf("error %q names now %d times", err, n)
			}
		})
	}
	if _, err := runSeed(t, []string{"seed", "--replace=maybe"}); err == nil {
		t.Error("--replace=maybe accepted")
	}
}

// fakeClock moves a second at every call.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

func TestProgressLines(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newProgress(&out, "lines", 10, 2, 200, clk.now)
	for i := range 10 {
		p.add(1000, i == 4 || i == 9, 100)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// One line every five seconds of the clock, and one at the end.
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), out.String())
	}
	last := lines[len(lines)-1]
	for _, want := range []string{"100%", "2/2 schools", "200/200 pupils", "10k rows"} {
		if !strings.Contains(last, want) {
			t.Errorf("last line %q lacks %q", last, want)
		}
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("lines mode draws a bar")
	}
}

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newProgress(&out, "bar", 4, 1, 50, clk.now)
	p.add(10, false, 0)
	p.add(10, false, 0)
	got := out.String()
	if !strings.HasPrefix(got, "\r[") || !strings.Contains(got, "50%") ||
		!strings.Contains(got, "left") {
		t.Errorf("bar at half way: %q", got)
	}
	p.add(10, false, 0)
	p.add(10, true, 50)
	p.finish()
	if !strings.HasSuffix(out.String(), "\n") || !strings.Contains(out.String(), "1/1 schools") {
		t.Errorf("finished bar: %q", out.String())
	}
	// Not a terminal: auto writes lines.
	if p := newProgress(&out, "auto", 1, 1, 1, clk.now); p.bar {
		t.Error("auto draws a bar on a buffer")
	}
	out.Reset()
	p = newProgress(&out, "none", 1, 1, 1, clk.now)
	p.add(1, true, 1)
	p.finish()
	if out.Len() != 0 {
		t.Errorf("none wrote %q", out.String())
	}
}

// The seeded database records the command that made it, so that an admin
// reset can refuse to put the demo world in its place.
func TestSeedRecordsItsSource(t *testing.T) {
	db := filepath.Join(t.TempDir(), "seeded.db")
	if out, err := runSeed(t, seedArgs(db, "--seed", "11")); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	st, err := sqlstore.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src, err := st.WorldSource(context.Background())
	want := "opensom seed --seed 11 --schools 2 --pupils 40 --years 2 --now 2026-11-18"
	if err != nil || src != want {
		t.Fatalf("WorldSource = %q, %v; want %q", src, err, want)
	}
}
