package config

import (
	"errors"
	"flag"
	"fmt"
	"time"
)

// Seed is the configuration of `opensom seed`: which world to generate,
// into which database. DB and Seed are read as for serve (--db and
// OPENSOM_DB, --seed and OPENSOM_SEED).
type Seed struct {
	DB      string
	Seed    int64
	Schools int
	Pupils  int // per school
	Years   int // school years with lessons and grades, the current one included
	// Now is the date, yyyy-mm-dd, whose school year is the current one;
	// "" is today.
	Now string
	// Replace wipes the school data of a database that holds some; without
	// it such a database is refused.
	Replace bool
	// Progress is how progress shows: auto (a bar on a terminal, lines
	// otherwise), bar, lines or none.
	Progress string
}

// SeedDefaults is the seed configuration with nothing set: five schools
// of a thousand pupils, this school year only.
func SeedDefaults() Seed {
	return Seed{DB: "opensom.db", Seed: DefaultSeed, Schools: 5, Pupils: 1000, Years: 1,
		Progress: "auto"}
}

// Register adds the flags of c to fs, as Config.Register does.
func (c *Seed) Register(fs *flag.FlagSet) *Env {
	e := &Env{}
	e.str(fs, &c.DB, "db", "DB",
		"SQLite database file or a postgres://user@host/db URL to fill")
	e.int64(fs, &c.Seed, "seed", "SEED", "seed of the world")
	e.int(fs, &c.Schools, "schools", "SCHOOLS", "number of schools")
	e.int(fs, &c.Pupils, "pupils", "PUPILS", "pupils of each school")
	e.int(fs, &c.Years, "years", "YEARS",
		"school years with lessons and grades: 1 is the current one only")
	e.str(fs, &c.Now, "now", "NOW",
		"date yyyy-mm-dd whose school year is the current one (default today)")
	e.str(fs, &c.Progress, "progress", "PROGRESS",
		"auto (a bar on a terminal, lines otherwise), bar, lines or none")
	// No variable: one left set must never wipe a database.
	fs.BoolVar(&c.Replace, "replace", false,
		"wipe the school data of a database that already holds a school")
	return e
}

// Validate checks what the configuration alone can tell; the generator
// checks the sizes of the world.
func (c *Seed) Validate() error {
	var errs []error
	if c.DB == "" {
		errs = append(errs, errors.New("db: must not be empty"))
	}
	if c.DB == ":memory:" {
		errs = append(errs, errors.New("db: a world seeded in memory is gone when seed ends; "+
			"name a file or a postgres:// URL"))
	}
	if c.Now != "" {
		if _, err := time.Parse(time.DateOnly, c.Now); err != nil {
			errs = append(errs, fmt.Errorf("now: want a date yyyy-mm-dd, got %q", c.Now))
		}
	}
	switch c.Progress {
	case "auto", "bar", "lines", "none":
	default:
		errs = append(errs, fmt.Errorf("progress: want auto, bar, lines or none, got %q",
			c.Progress))
	}
	return errors.Join(errs...)
}

// DBForLog is DB as Config.DBForLog writes it.
func (c Seed) DBForLog() string {
	return Config{DB: c.DB}.DBForLog()
}
