package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore"
)

// parseSeed fills the seed configuration from flags and the environment
// and checks it, with the world's sizes, in one go.
func parseSeed(args []string, stderr io.Writer,
	now func() time.Time) (config.Seed, demo.SeedOptions, error) {
	cfg := config.SeedDefaults()
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := cfg.Register(fs)
	if err := fs.Parse(args); err != nil {
		return cfg, demo.SeedOptions{}, err
	}
	if fs.NArg() > 0 {
		return cfg, demo.SeedOptions{}, fmt.Errorf("seed: unexpected argument %q", fs.Arg(0))
	}
	opts := demo.SeedOptions{Seed: cfg.Seed, Now: now(), Schools: cfg.Schools,
		Pupils: cfg.Pupils, Years: cfg.Years}
	errs := []error{env.Err(), cfg.Validate()}
	if cfg.Now != "" {
		// A date that does not parse is Validate's to report.
		if d, err := school.ParseDate(cfg.Now); err == nil {
			opts.Now = d
		}
	}
	errs = append(errs, opts.Validate())
	if err := errors.Join(errs...); err != nil {
		return cfg, opts, fmt.Errorf("configuration: %w", err)
	}
	return cfg, opts, nil
}

// seedDB generates a world into a database: the generator hands out parts
// on one goroutine, the writer writes them on another, and each school is
// committed once it is whole.
//
// TODO: a seed that fails or is interrupted keeps the schools it
// committed (and, with --replace, has wiped the old world): the database
// then holds part of a world until it is seeded again with --replace. One
// transaction for the whole world would hold a WAL as big as the database.
func seedDB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, opts, err := parseSeed(args, stderr, time.Now)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := sqlstore.Open(ctx, cfg.DB, log)
	if err != nil {
		return fmt.Errorf("seed: open database: %w", err)
	}
	defer st.Close()
	w, err := st.WriteWorld(ctx, cfg.Replace)
	if errors.Is(err, school.ErrNotEmpty) {
		return fmt.Errorf("seed: %s already holds a school: seed an empty database, or add "+
			"--replace to wipe its school data first", cfg.DBForLog())
	}
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer w.Close()

	prog := newProgress(stderr, cfg.Progress, opts.Parts(), opts.Schools,
		opts.Schools*opts.Pupils, time.Now)
	rows, err := pump(ctx, opts, w, prog)
	if err != nil {
		return fmt.Errorf("seed: %w (%d of %d schools were written whole; "+
			"seed again with --replace)", err, prog.schools, opts.Schools)
	}
	prog.finish()
	took := time.Since(prog.start)
	fmt.Fprintf(stdout, "seeded %d schools, %d pupils, %d rows into %s in %s; "+
		"their accounts: opensom accounts --db %s\n", opts.Schools, prog.pupils, rows,
		cfg.DBForLog(), took.Round(time.Millisecond), cfg.DBForLog())
	return nil
}

// SeedSource is the world Source a seed records: the command that makes
// the same world again.
func SeedSource(o demo.SeedOptions) string {
	return fmt.Sprintf("%s--seed %d --schools %d --pupils %d --years %d --now %s",
		admin.SeedSourcePrefix, o.Seed, o.Schools, o.Pupils, o.Years,
		o.Now.Format(time.DateOnly))
}

// pump runs the generator and the writer side by side and returns the
// rows written. A few parts wait between them, so that memory stays flat
// when one is faster than the other.
func pump(ctx context.Context, opts demo.SeedOptions, w school.WorldWriter,
	prog *progress) (int64, error) {
	g, gctx := errgroup.WithContext(ctx)
	parts := make(chan demo.Part, 4)
	g.Go(func() error {
		defer close(parts)
		return demo.Seed(gctx, opts, func(p demo.Part) error {
			select {
			case parts <- p:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		})
	})
	g.Go(func() error {
		first := true
		for p := range parts {
			if first {
				// The store keeps what made its world, so that an admin
				// reset can tell a seeded world from the demo world.
				p.World.Source, first = SeedSource(opts), false
			}
			if err := w.Write(gctx, p.World); err != nil {
				return err
			}
			if p.Last {
				if err := w.Commit(gctx); err != nil {
					return err
				}
			}
			prog.add(p.World.Rows(), p.Last, p.Pupils)
		}
		// Every school's last part was committed: what is left is a
		// school the generator did not finish, for Close to roll back.
		return nil
	})
	err := g.Wait()
	return prog.rows, err
}
